// The committed bundle runs each command in a process that re-executed itself with tuned V8 and malloc settings, or on
// a worker thread where it cannot (src/command-process.ts): what a user sees of the process must not change either
// way: exit codes, standard input, and what Ctrl-C or a cancelled CI job (SIGINT, SIGTERM) does.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_FLAGS, YOUNG_GENERATION_MIB } from '../src/command-process.ts';
import { cliEnv, newLocation } from './helpers/repo.ts';

const BIN = new URL('../bin/backdrill.js', import.meta.url).pathname;
const ENTRY = new URL('./fixtures/command-entry.ts', import.meta.url).pathname;

function start(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, done, out: () => ({ stdout, stderr }) };
}

/** The two ways a command runs: on the re-executed process's main thread (the default), or on a worker thread. */
const MODES = [
  ['main thread', {}],
  ['command thread', { BACKDRILL_COMMAND_THREAD: '1' }],
] as const;

describe.each(MODES)('a command of the bundle on the %s', (_mode, modeEnv) => {
  it('keeps exit codes, standard input and output', async () => {
    const env = { ...cliEnv(await newLocation('folder')), ...modeEnv };
    const init = start(['init'], env);
    init.child.stdin.end();
    expect((await init.done).code).toBe(0);

    const backup = start(['backup', '--stdin', '--name', 'lines.txt', '--json'], env);
    backup.child.stdin.end('one\ntwo\n');
    expect(await backup.done).toEqual({ code: 0, signal: null });
    const id = (JSON.parse(backup.out().stdout) as { snapshot_id: string }).snapshot_id;

    const dump = start(['dump', id, 'lines.txt'], env);
    dump.child.stdin.end();
    expect((await dump.done).code).toBe(0);
    expect(dump.out().stdout).toBe('one\ntwo\n');

    const bad = start(['dump', 'ffffffff', 'lines.txt'], env);
    bad.child.stdin.end();
    expect((await bad.done).code).not.toBe(0);
    expect(bad.out().stderr).toMatch(/ffffffff/);
  }, 60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a backup of standard input ends the process as the signal does, with no snapshot`, async () => {
      const env = { ...cliEnv(await newLocation('folder')), ...modeEnv };
      const init = start(['init'], env);
      init.child.stdin.end();
      expect((await init.done).code).toBe(0);

      const backup = start(['backup', '--stdin', '--name', 'endless.txt'], env);
      backup.child.stdin.write('data that never ends\n');
      // Let the command start reading before the signal arrives.
      await new Promise((r) => setTimeout(r, 1500));
      backup.child.kill(signal);
      expect(await backup.done).toEqual({ code: null, signal });

      const list = start(['snapshots', '--json'], env);
      list.child.stdin.end();
      expect((await list.done).code).toBe(0);
      expect(JSON.parse(list.out().stdout)).toEqual([]);
    }, 60_000);
  }
});

describe('the tuned process of a command', () => {
  /** Runs the fixture entry; what it saw of its process. */
  async function seen(env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
    child.stdin.end();
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const saw = JSON.parse(stdout) as {
      pid: number;
      reexecuted: boolean;
      mainThread: boolean;
      newSpaceMiB: number;
      execArgv: string[];
      startedWith: string | null;
      env: string | null;
      child: string;
    };
    return { code, spawnedPid: child.pid, ...saw };
  }

  it('re-executes the same process once with them, and keeps them from the programs it starts', async () => {
    const s = await seen({});
    expect(s.code).toBe(3); // the command's exit code
    expect(s.pid).toBe(s.spawnedPid); // the same process (execve), not a child of it
    expect(s.reexecuted).toBe(true);
    // glibc cuts the variable at its first ':' once it has read it; the whole value is MALLOC_TUNABLES.
    expect(s.startedWith).toMatch(/^GLIBC_TUNABLES=glibc\.malloc\.arena_max=2/);
    expect(s.env).toBeNull();
    expect(s.child).toBe('unset');
  });

  it("runs the command on the main thread with the young generation capped as a command thread's", async () => {
    const tuned = await seen({});
    expect(tuned.mainThread).toBe(true);
    expect(tuned.execArgv).toEqual(expect.arrayContaining(SEMI_SPACE_FLAGS));
    const worker = await seen({ BACKDRILL_COMMAND_THREAD: '1' });
    expect(worker.mainThread).toBe(false);
    expect(worker.code).toBe(3);
    // V8's default grows to 128 MiB; both ways stop at the same cap.
    expect(tuned.newSpaceMiB).toBe(worker.newSpaceMiB);
    expect(tuned.newSpaceMiB).toBeLessThanOrEqual(YOUNG_GENERATION_MIB);
  });

  it("keeps the user's own GLIBC_TUNABLES for the programs it starts", async () => {
    const s = await seen({ GLIBC_TUNABLES: 'glibc.rtld.optional_static_tls=1024' });
    expect(s.reexecuted).toBe(true);
    expect(s.env).toBe('glibc.rtld.optional_static_tls=1024');
    expect(s.child).toBe('glibc.rtld.optional_static_tls=1024');
  });

  it('leaves malloc alone when the user tuned it, or with BACKDRILL_MALLOC_TUNABLES=0', async () => {
    const mine = await seen({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' });
    expect(mine.startedWith).toBe('GLIBC_TUNABLES=glibc.malloc.arena_max=4');
    expect(mine.child).toBe('glibc.malloc.arena_max=4');
    expect((await seen({ MALLOC_ARENA_MAX: '4' })).startedWith).toBeNull();
    const off = await seen({ BACKDRILL_MALLOC_TUNABLES: '0' });
    expect(off.startedWith).toBeNull();
    expect(off.code).toBe(3);
    // Still re-executed for the V8 flag.
    expect(off.reexecuted).toBe(true);
    expect(off.mainThread).toBe(true);
  });

  it('does not re-execute when the user capped the young generation and malloc is left alone', async () => {
    const s = await seen({ BACKDRILL_MALLOC_TUNABLES: '0', NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(s.reexecuted).toBe(false);
    expect(s.mainThread).toBe(true);
    expect(s.newSpaceMiB).toBe(16);
  });
});
