// SIGKILL during a backup, at many random points: the repository stays valid, no partial snapshot is ever
// visible, and the next backup succeeds and reuses what the killed ones stored.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoLock } from '../../src/repo/lock.ts';
import { Repository } from '../../src/repo/repository.ts';
import { runCli } from '../helpers/cli.ts';
import { backendFor, cliEnv, initRepo, newLocation, PASSWORD } from '../helpers/repo.ts';
import { digestOf, randomStream } from '../helpers/streams.ts';

const SPEC = { size: 24_000_000, seed: 'crash' };
const CHUNKER = { min: 64 * 1024, avg: 256 * 1024, max: 1024 * 1024 };

function backupProcess(env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'backup', '--stdin', '--name', 'db', '--json'],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  randomStream({ ...SPEC, pieceSize: 256 * 1024 })
    .pipe(child.stdin)
    .on('error', () => {});
  child.stdin.on('error', () => {});
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number; stdout: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, ms: Date.now() - started, stdout })),
  );
  return { child, done };
}

describe('SIGKILL during backup', () => {
  it('at 22 random points leaves a valid repository with only complete snapshots', async () => {
    const location = await newLocation('folder');
    (await initRepo(backendFor(location), { chunker: CHUNKER })).close();
    const env = cliEnv(location);
    const want = await digestOf(randomStream(SPEC));

    // One full run tells how long a backup takes, so kill points spread over all of it.
    const full = await backupProcess(env).done;
    expect(full.code).toBe(0);
    // The estimate follows the runs that complete: under load, or as chunks already stored make runs faster, the
    // kill points stay inside the backup.
    let estimateMs = full.ms;
    // Later runs reuse chunks and finish faster; a fresh repository per run would hide that. Start over empty.
    const location2 = await newLocation('folder');
    (await initRepo(backendFor(location2), { chunker: CHUNKER })).close();
    const env2 = cliEnv(location2);

    let killed = 0;
    let completed = 0;
    for (let i = 0; i < 22; i++) {
      const { child, done } = backupProcess(env2);
      const at = Math.floor(estimateMs * (0.15 + 0.8 * Math.random()));
      const timer = setTimeout(() => child.kill('SIGKILL'), at);
      const r = await done;
      clearTimeout(timer);
      if (r.signal === 'SIGKILL') killed++;
      else {
        expect(r.code).toBe(0);
        completed++;
        estimateMs = r.ms;
      }
      // After every kill: structure valid, every visible snapshot complete and correct.
      const verify = await runCli(['verify', '--json'], { env: env2 });
      expect(JSON.parse(verify.stdout).errors).toEqual([]);
      const snaps = JSON.parse((await runCli(['snapshots', '--json'], { env: env2 })).stdout);
      // A process killed just after writing its manifest has a complete snapshot too.
      expect(snaps.length).toBeGreaterThanOrEqual(completed);
      expect(snaps.length).toBeLessThanOrEqual(i + 1);
      for (const s of snaps) expect(s.size).toBe(SPEC.size);
    }
    expect(killed).toBeGreaterThanOrEqual(15);

    const deep = await runCli(['verify', '--read-data', '--json'], { env: env2 });
    expect(deep.code, deep.stdout).toBe(0);

    // Every chunk the killed (and completed) backups stored is reused by the next backup, none stored twice.
    const storedBefore = readdirSync(join(location2, 'data'), { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    ).length;
    expect(storedBefore).toBeGreaterThan(0);
    const next = await backupProcess(env2).done;
    expect(next.code).toBe(0);
    const summary = JSON.parse(next.stdout);
    expect(summary.chunks_reused).toBe(storedBefore);
    const repo = await Repository.open(backendFor(location2), { password: PASSWORD });
    const snap = await repo.loadSnapshot(summary.snapshot_id);
    const { readArtifact, findArtifact } = await import('../../src/repo/read.ts');
    expect(await digestOf(readArtifact(repo, findArtifact(snap, 'db')))).toEqual(want);
    // The killed processes' shared locks do not block an exclusive lock: their processes are gone.
    const lock = await RepoLock.acquire(repo, 'exclusive', { operation: 'prune' });
    await lock.release();
    await repo.close();
  }, 600_000);
});
