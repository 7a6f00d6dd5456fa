// The pipeline's worker pool: started before a repository's keys are unwrapped (Repository.open with pipeline),
// then given them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipelinePool } from '../../src/pipeline/pool.ts';
import { backupStreams } from '../../src/repo/backup.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import { Repository } from '../../src/repo/repository.ts';
import { backendFor, initRepo, newLocation, PASSWORD } from '../helpers/repo.ts';
import { digestOf, randomStream } from '../helpers/streams.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a pipeline pool started before the keys', () => {
  it('refuses work until it has the keys', async () => {
    const pool = new PipelinePool(1);
    try {
      await expect(pool.seal('chunk', 'a'.repeat(64), Buffer.from('data'), 1)).rejects.toThrow(/no keys yet/);
    } finally {
      await pool.close();
    }
  });

  it('serves a repository opened with pipeline: chunks written and read back byte for byte', async () => {
    const location = await newLocation('folder');
    await (await initRepo(backendFor(location))).close();
    const setKeys = vi.spyOn(PipelinePool.prototype, 'setKeys');
    const repo = await Repository.open(backendFor(location), { password: PASSWORD, pipeline: true });
    try {
      // The pool was started by open and given the keys there, not on first use.
      expect(setKeys).toHaveBeenCalledTimes(1);
      const spec = { size: 5_000_000, seed: 'early-pool' };
      const snap = await backupStreams(repo, [{ name: 'data', source: randomStream(spec) }], {
        store: { name: 'test', kind: 'stream' },
      });
      const back = await digestOf(readArtifact(repo, findArtifact(snap, 'data')));
      expect(back).toEqual(await digestOf(randomStream(spec)));
      expect(setKeys).toHaveBeenCalledTimes(1);
    } finally {
      await repo.close();
    }
  });

  it('is closed again when the repository does not open (wrong password)', async () => {
    const location = await newLocation('folder');
    await (await initRepo(backendFor(location))).close();
    const close = vi.spyOn(PipelinePool.prototype, 'close');
    const setKeys = vi.spyOn(PipelinePool.prototype, 'setKeys');
    await expect(
      Repository.open(backendFor(location), { password: 'not the password', pipeline: true }),
    ).rejects.toMatchObject({ kind: 'wrong-key' });
    expect(close).toHaveBeenCalledTimes(1);
    expect(setKeys).not.toHaveBeenCalled();
  });
});
