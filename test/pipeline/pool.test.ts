// The pipeline's worker pool: started before a repository's keys are unwrapped (Repository.open with pipeline),
// then given them.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chunkBuffer, ownsBuffer, recycle } from '../../src/pipeline/buffers.ts';
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

describe('chunk memory', () => {
  it("comes back from the worker once sealed, and the next chunk reuses it; the sealed bytes are the old chunk's", async () => {
    const pool = new PipelinePool(1);
    try {
      pool.setKeys({ encryption: randomBytes(32), chunkId: randomBytes(32) });
      // 7 MiB: memory of 8 MiB less a page, larger than any chunk the test above leaves behind.
      const size = 7 * 1024 * 1024;
      const a = chunkBuffer(size);
      a.set(randomBytes(size));
      const original = Buffer.from(a);
      const capacity = a.buffer.byteLength;
      expect(capacity).toBeGreaterThanOrEqual(size);
      const sealed = await pool.seal('chunk', 'a'.repeat(64), a, 1);
      // Transferred to the worker: nothing reads it here any more.
      expect(a.length).toBe(0);
      // Its memory is back: the next chunk that fits is written into it (it still holds the old chunk's bytes),
      // and owns it, to be transferred in turn.
      const n = size - 512 * 1024;
      const b = chunkBuffer(n);
      expect(b.length).toBe(n);
      expect(b.buffer.byteLength).toBe(capacity);
      expect(b.equals(original.subarray(0, n))).toBe(true);
      expect(ownsBuffer(b)).toBe(true);
      b.fill(7); // writing the next chunk does not touch what was sealed
      expect((await pool.unseal('chunk', 'a'.repeat(64), sealed, 8 * 1024 * 1024, size)).equals(original)).toBe(true);
      // Handed back by the caller (a chunk already stored), its views are emptied too.
      recycle(b);
      expect(b.length).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
