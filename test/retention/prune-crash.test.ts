// SIGKILL during forget --prune and prune, at random points (random times, and random steps picked from the
// --verbose progress: lock taken, plan made, each manifest forgotten, each batch of chunks deleted). After every
// kill the repository verifies, and a second run completes the job: the kept snapshots, no unreferenced chunk.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupStreams, SnapshotWriter } from '../../src/repo/backup.ts';
import { withLock } from '../../src/repo/lock.ts';
import { runCli } from '../helpers/cli.ts';
import { backendFor, cliEnv, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { randomStream } from '../helpers/streams.ts';

const CHUNKER = { min: 2048, avg: 8192, max: 32768 };
const FORGET = ['forget', '--keep-last', '3', '--prune', '--grace', '0s'];
const PRUNE = ['prune', '--grace', '0s'];

interface Run {
  child: ChildProcess;
  lines: string[];
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function start(args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string, n: number) => void): Run {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args, '--verbose'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    partial += d.toString();
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const l of parts) {
      lines.push(l);
      onLine?.(l, lines.length);
    }
  });
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, ms: Date.now() - started })),
  );
  return { child, lines, done };
}

async function json(args: string[], env: NodeJS.ProcessEnv) {
  const r = await runCli([...args, '--json'], { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** A repository with 12 snapshots of one store (each ~1 MB of its own data) and the chunks of a killed backup. */
async function template(): Promise<{ location: string; ids: string[] }> {
  const location = await newLocation('folder');
  const repo = await initRepo(backendFor(location), { chunker: CHUNKER });
  const ids: string[] = [];
  for (let v = 0; v < 12; v++) {
    const parts = [
      randomStream({ size: 500_000, seed: 'shared' }),
      randomStream({ size: 1_000_000, seed: `own-${v}` }),
    ];
    const source = (async function* () {
      for (const p of parts) yield* p;
    })();
    const s = await backupStreams(repo, [{ name: 'dump', source }], { store: { name: 'db', kind: 'stream' } });
    ids.push(s.id);
  }
  await withLock(repo, 'shared', { operation: 'backup (killed)' }, async (lock) => {
    const w = await SnapshotWriter.start(repo, { lock });
    await w.addArtifact('dump', randomStream({ size: 1_000_000, seed: 'killed' }));
  });
  await repo.close();
  return { location, ids };
}

describe('SIGKILL during forget --prune and prune', () => {
  it('at 20 random points leaves a valid repository, and the next run finishes the job', async () => {
    const base = await template();
    const kept = base.ids.slice(-3).sort();
    // Template B: snapshots already forgotten (without --prune), so prune alone has a lot to delete.
    const forgotten = join(tempDir('bd-tpl-'), 'repo');
    cpSync(base.location, forgotten, { recursive: true });
    expect((await runCli(['forget', '--keep-last', '3'], { env: cliEnv(forgotten) })).code).toBe(0);

    // One full run of each tells how long they take and what steps they report.
    const profile: Record<string, { ms: number; lines: number; args: string[]; from: string }> = {};
    for (const [name, args, from] of [
      ['forget', FORGET, base.location],
      ['prune', PRUNE, forgotten],
    ] as const) {
      const copy = join(tempDir('bd-full-'), 'repo');
      cpSync(from, copy, { recursive: true });
      const run = start(args, cliEnv(copy));
      const r = await run.done;
      expect(r.code, run.lines.join('\n')).toBe(0);
      profile[name] = { ms: r.ms, lines: run.lines.length, args, from };
      console.log(`full ${name}: ${r.ms} ms, ${run.lines.length} progress lines: ${run.lines.slice(0, 3).join(' | ')}`);
    }

    let killed = 0;
    const where: string[] = [];
    for (let i = 0; i < 20; i++) {
      const p = profile[i % 2 === 0 ? 'forget' : 'prune']!;
      const location = join(tempDir('bd-kill-'), 'repo');
      cpSync(p.from, location, { recursive: true });
      const env = cliEnv(location);
      const before = new Set((await json(['snapshots'], env)).map((s: { id: string }) => s.id));

      let run: Run;
      let timer: NodeJS.Timeout | undefined;
      if (i % 3 === 0) {
        // A random moment of the whole run, start-up included.
        run = start(p.args, env);
        timer = setTimeout(() => run.child.kill('SIGKILL'), Math.floor(p.ms * (0.2 + 0.7 * Math.random())));
      } else {
        // Right after a random step but the last, plus a few milliseconds: inside the deletion phases.
        const step = 1 + Math.floor(Math.random() * (p.lines - 2));
        const delay = Math.floor(Math.random() * 15);
        run = start(p.args, env, (_line, n) => {
          if (n === step) timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
        });
      }
      const r = await run.done;
      clearTimeout(timer);
      if (r.signal === 'SIGKILL') {
        killed++;
        where.push(`${p.args[0]}: after "${run.lines.at(-1) ?? '(start-up)'}"`);
      } else {
        expect(r.code, run.lines.join('\n')).toBe(0);
      }

      // Valid after the kill: every manifest opens and every chunk it names is there; the kept ones are all there.
      const verify = await json(['verify'], env);
      expect(verify.errors, where.at(-1)).toEqual([]);
      const left = (await json(['snapshots'], env)).map((s: { id: string }) => s.id);
      for (const id of left) expect(before.has(id)).toBe(true);
      for (const id of kept) expect(left).toContain(id);

      // The next run finishes the job.
      const again = await json(p.args, env);
      expect(again.warnings.filter((w: string) => !w.startsWith('stale'))).toEqual([]);
      const deep = await json(['verify', '--read-data'], env);
      expect(deep).toMatchObject({ ok: true, errors: [], unreferenced_chunks: 0 });
      expect((await json(['snapshots'], env)).map((s: { id: string }) => s.id).sort()).toEqual(kept);
    }
    console.log(`killed ${killed} of 20 runs:\n  ${where.join('\n  ')}`);
    expect(killed).toBeGreaterThanOrEqual(15);
  }, 600_000);
});
