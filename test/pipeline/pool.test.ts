// The pipeline's worker pool: started before a repository's keys are unwrapped (Repository.open with pipeline),
// then given them.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chunkBuffer, largeBuffer, ownsBuffer, recycle } from '../../src/pipeline/buffers.ts';
import { chunkIdOf, EnvelopeError, seal } from '../../src/pipeline/envelope.ts';
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

describe('unsealChunk', () => {
  it("proves the plaintext is the one the chunk's ID names, and rejects one sealed under another chunk's ID", async () => {
    const pool = new PipelinePool(1);
    try {
      const keys = { encryption: randomBytes(32), chunkId: randomBytes(32) };
      pool.setKeys(keys);
      const plain = Buffer.alloc(3 * 1024 * 1024, 'a row\n');
      const id = chunkIdOf(keys, plain);
      expect((await pool.unsealChunk(id, seal(keys, 'chunk', id, plain, 1), 8 << 20, plain.length)).equals(plain)).toBe(
        true,
      );
      // Authentic (sealed with the repository's keys under that ID), but not that chunk's content: only a writer
      // with the keys and a bug makes one.
      const other = chunkIdOf(keys, Buffer.from('another chunk'));
      const wrong = pool.unsealChunk(other, seal(keys, 'chunk', other, plain, 1), 8 << 20, plain.length);
      await expect(wrong).rejects.toThrow(EnvelopeError);
      await expect(wrong).rejects.toThrow(/content does not match its ID/);
      // unseal() alone does not check: it serves any object.
      expect((await pool.unseal('chunk', other, seal(keys, 'chunk', other, plain, 1), 8 << 20)).equals(plain)).toBe(
        true,
      );
    } finally {
      await pool.close();
    }
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

  it('is kept for reuse only while fewer memories than asked wait: a reader that ends frees the rest', () => {
    const MiB = 1024 * 1024;
    // 12 MiB less a page, kept; then 10 MiB less a page, given back when one memory waits already: freed.
    const kept = largeBuffer(11.5 * MiB);
    const keptCapacity = kept.buffer.byteLength;
    recycle(kept);
    const freed = largeBuffer(9.5 * MiB);
    recycle(freed, 1);
    expect(freed.length).toBe(0);
    // A 9 MiB chunk would take the smaller memory, had it been kept.
    const next = chunkBuffer(9 * MiB);
    expect(next.buffer.byteLength).toBe(keptCapacity);
  });

  it('a restore decompresses each chunk into the memory of one it was done with', async () => {
    const pool = new PipelinePool(1);
    try {
      const keys = { encryption: randomBytes(32), chunkId: randomBytes(32) };
      pool.setKeys(keys);
      const MiB = 1024 * 1024;
      const plains = [0, 1, 2].map((i) => Buffer.alloc(9 * MiB, `row ${i}\t${'x'.repeat(i * 7)}\n`));
      const sealed = plains.map((p, i) => seal(keys, 'chunk', `c${i}`, p, 1));
      // Memory of 12 MiB less a page, kept for reuse: a 9 MiB chunk in fresh memory would get 10 MiB less a page.
      const given = largeBuffer(11.5 * MiB);
      const capacity = given.buffer.byteLength;
      recycle(given);
      const first = await pool.unseal('chunk', 'c0', sealed[0]!, 16 * MiB, plains[0]!.length);
      expect(first.equals(plains[0]!)).toBe(true);
      expect(first.buffer.byteLength).toBe(capacity);
      expect(ownsBuffer(first)).toBe(true);
      // Done with, its memory takes the next chunk (and views of the old one are empty).
      recycle(first);
      expect(first.length).toBe(0);
      const second = await pool.unseal('chunk', 'c1', sealed[1]!, 16 * MiB, plains[1]!.length);
      expect(second.equals(plains[1]!)).toBe(true);
      expect(second.buffer.byteLength).toBe(capacity);
      // A chunk stored raw (not compressible) leaves the memory it was given unused: it comes back for the next.
      recycle(second);
      const raw = randomBytes(10 * MiB);
      const rawOut = await pool.unseal('chunk', 'r', seal(keys, 'chunk', 'r', raw, 1), 16 * MiB, raw.length);
      expect(rawOut.equals(raw)).toBe(true);
      expect(rawOut.buffer.byteLength).not.toBe(capacity);
      const third = await pool.unseal('chunk', 'c2', sealed[2]!, 16 * MiB, plains[2]!.length);
      expect(third.equals(plains[2]!)).toBe(true);
      expect(third.buffer.byteLength).toBe(capacity);
    } finally {
      await pool.close();
    }
  });
});
