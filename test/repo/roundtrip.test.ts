// Byte-identical round trips and deduplication, through the folder backend and the real MinIO.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { backupStreams } from '../../src/repo/backup.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import type { Repository } from '../../src/repo/repository.ts';
import { verifyRepository } from '../../src/repo/verify.ts';
import { backendFor, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { bytesOf, digestOf, randomStream, type StreamSpec } from '../helpers/streams.ts';

const SMALL = { min: 256, avg: 1024, max: 4096 };
const GiB = 1024 * 1024 * 1024;

async function roundTrip(repo: Repository, spec: StreamSpec) {
  const want = await digestOf(randomStream(spec));
  const snap = await backupStreams(repo, [{ name: 'data', source: randomStream(spec) }], {
    store: { name: 'test', kind: 'stream' },
  });
  const reopened = await repo.loadSnapshot(snap.id);
  const got = await digestOf(readArtifact(repo, findArtifact(reopened, 'data')));
  return { want, got, snap };
}

describe.each(['folder', 'minio'] as const)('round trips through %s', (kind) => {
  it('0 bytes, 1 byte and streams ending exactly on chunk boundaries come back byte for byte', async () => {
    const repo = await initRepo(backendFor(await newLocation(kind)), { chunker: SMALL });
    try {
      for (const size of [0, 1, 255, 256, 4095, 4096, 4097, 8192, 3 * 4096, 100_003]) {
        const { want, got, snap } = await roundTrip(repo, { size, seed: `s${size}`, pieceSize: 777 });
        expect(got, `size ${size}`).toEqual(want);
        expect(snap.artifacts[0]!.size).toBe(size);
        for (const [, chunkSize] of snap.artifacts[0]!.chunks) expect(chunkSize).toBeLessThanOrEqual(SMALL.max);
      }
      // A stream of zeros is cut at one fixed period (where depends on the repository's gear table: see
      // chunker.test.ts), so all of it but the tail is one chunk, stored once.
      const zeros = await backupStreams(repo, [{ name: 'z', source: [new Uint8Array(4096 * 3)] }], {
        store: { name: 'zeros', kind: 'stream' },
      });
      const zeroChunks = zeros.artifacts[0]!.chunks;
      const body = zeroChunks.slice(0, -1);
      expect(new Set(body.map((c) => c[0])).size).toBe(1);
      expect(zeroChunks.at(-1)![1]).toBeLessThanOrEqual(body[0]![1]);
      expect(zeros.stats.chunksNew).toBe(new Set(zeroChunks.map((c) => c[0])).size);
      expect(zeros.stats.chunksNew).toBeLessThanOrEqual(2);
      const back = await digestOf(readArtifact(repo, findArtifact(zeros, 'z')));
      expect(back.size).toBe(4096 * 3);
    } finally {
      await repo.close();
    }
  });

  it('a stream larger than 1 GiB, generated on the fly, comes back byte for byte', async () => {
    const repo = await initRepo(backendFor(await newLocation(kind)));
    try {
      const { want, got, snap } = await roundTrip(repo, { size: GiB + 12_345, seed: `big-${kind}` });
      expect(got).toEqual(want);
      expect(snap.stats.bytesProcessed).toBe(GiB + 12_345);
    } finally {
      await repo.close();
    }
  }, 600_000);
});

// Chunk buffers are freed as soon as they are sealed, stored or found already stored (src/pipeline/buffers.ts):
// every path through the envelope must still store and return the right bytes.
describe.each(['aes-256-gcm', 'none'] as const)('chunks of every kind, encryption %s', (encryption) => {
  it('compressible, incompressible and repeated chunks come back byte for byte and verify', async () => {
    const repo = await initRepo(backendFor(await newLocation('folder')), {
      encryption,
      chunker: { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 },
    });
    try {
      const text = Buffer.from(
        Array.from({ length: 40_000 }, (_, i) => `${i}\tcustomer ${i % 977}\t${(i * 7919) % 10007}.42\tshipped\n`).join(
          '',
        ),
      );
      const noise = Buffer.concat(await randomStream({ size: 1024 * 1024, seed: 'noise' }).toArray());
      const data = Buffer.concat([text, noise, text, noise.subarray(0, 300_000)]);
      // Fresh buffers per backup, as a stream would hand out.
      const pieces = () =>
        Array.from({ length: Math.ceil(data.length / 50_000) }, (_, i) =>
          Buffer.from(data.subarray(i * 50_000, (i + 1) * 50_000)),
        );
      const meta = { store: { name: 'mixed', kind: 'stream' } };
      const first = await backupStreams(repo, [{ name: 'data', source: pieces() }], meta);
      expect(first.stats.chunksReused).toBeGreaterThan(0); // the second copy of `text` deduplicates
      expect(first.stats.bytesAdded).toBeLessThan(data.length * 0.6); // the text compresses
      const second = await backupStreams(repo, [{ name: 'data', source: pieces() }], meta);
      expect(second.stats.chunksNew).toBe(0);
      for (const snap of [first, second]) {
        const got = await digestOf(readArtifact(repo, findArtifact(await repo.loadSnapshot(snap.id), 'data')));
        expect(got).toEqual(await digestOf(Readable.from([data])));
      }
      const verified = await verifyRepository(repo, { readData: true });
      expect(verified.errors).toEqual([]);
      expect(verified.chunksRead).toBe(verified.chunks);
    } finally {
      await repo.close();
    }
  });
});

describe('deduplication', () => {
  it('the same 1 GiB twice stores < 1% new bytes; after changing 1% of it, < 5%', async () => {
    const repo = await initRepo(backendFor(await newLocation('folder')));
    try {
      const base = { size: GiB, seed: 'dedup' };
      const meta = { store: { name: 'db', kind: 'stream' } };
      const first = await backupStreams(repo, [{ name: 'dump', source: randomStream(base) }], meta);
      expect(first.stats.bytesAdded).toBeGreaterThan(GiB * 0.99); // random data: nothing to compress
      const second = await backupStreams(repo, [{ name: 'dump', source: randomStream(base) }], meta);
      expect(second.stats.bytesAdded / GiB).toBeLessThan(0.01);
      // 1% changed, in two places apart in the stream (updates in a dump are rarely contiguous). A changed region
      // costs itself plus the chunks around its ends until the cut points agree again (usually one on each side,
      // 8 MiB at most each), which depends on the repository's random gear table: two regions stay well under 5%,
      // while with four (each a chunk or two long) one CI run stored 5.008%.
      const region = Math.floor((GiB * 0.01) / 2);
      const mutations = [0.3, 0.7].map((f, i) => ({
        offset: Math.floor(GiB * f),
        length: region,
        seed: `m${i}`,
      }));
      const third = await backupStreams(repo, [{ name: 'dump', source: randomStream({ ...base, mutations }) }], meta);
      expect(third.stats.bytesAdded / GiB).toBeLessThan(0.05);
      expect(third.stats.bytesAdded / GiB).toBeGreaterThan(0.009);
      const got = await digestOf(readArtifact(repo, findArtifact(third, 'dump')));
      expect(got).toEqual(await digestOf(randomStream({ ...base, mutations })));
    } finally {
      await repo.close();
    }
  }, 600_000);
});

describe('reading with releaseConsumed', () => {
  it('stream.pipeline into a file gets every byte, and the big chunks were freed as soon as they were written', async () => {
    const repo = await initRepo(backendFor(await newLocation('folder')));
    try {
      const spec = { size: 24 * 1024 * 1024, seed: 'release', pieceSize: 65_536 };
      const snap = await backupStreams(repo, [{ name: 'data', source: randomStream(spec) }], {
        store: { name: 'test', kind: 'stream' },
      });
      const seen: Array<{ chunk: Buffer; length: number }> = [];
      const source = async function* () {
        for await (const chunk of readArtifact(repo, findArtifact(snap, 'data'), { releaseConsumed: true })) {
          seen.push({ chunk, length: chunk.length });
          yield chunk;
        }
      };
      const file = join(tempDir('bd-release-'), 'out');
      await pipeline(source(), createWriteStream(file));
      expect(await digestOf(Readable.from([readFileSync(file)]))).toEqual(await digestOf(randomStream(spec)));
      // Every chunk of 1 MiB or more was freed once the next one was asked for (the last one too, at the end).
      const big = seen.filter((c) => c.length >= 1024 * 1024);
      expect(big.length).toBeGreaterThan(3);
      expect(big.filter((c) => c.chunk.buffer.byteLength !== 0).map((c) => c.length)).toEqual([]);
    } finally {
      await repo.close();
    }
  });
});

describe('reading a byte range', () => {
  it('gives exactly the bytes asked for, reading only the chunks that hold them; a range past the end is refused', async () => {
    const repo = await initRepo(backendFor(await newLocation('folder')), { chunker: SMALL });
    try {
      const spec = { size: 100_003, seed: 'range', pieceSize: 777 };
      const whole = await bytesOf(randomStream(spec));
      const snap = await backupStreams(repo, [{ name: 'data', source: randomStream(spec) }], {
        store: { name: 'test', kind: 'stream' },
      });
      const artifact = findArtifact(snap, 'data');
      const bounds = [0];
      for (const [, size] of artifact.chunks) bounds.push(bounds.at(-1)! + size);
      const b = bounds[5]!;
      const ranges: Array<[number, number | undefined]> = [
        [0, 0],
        [0, 1],
        [b - 1, b + 1], // across a chunk boundary
        [b, bounds[6]], // exactly one chunk
        [12_345, 67_890],
        [99_000, undefined],
        [100_003, undefined],
      ];
      for (const [start, end] of ranges) {
        const read: number[] = [];
        const counting = new Proxy(repo, {
          get: (target, prop, receiver) =>
            prop === 'readChunk'
              ? (ref: [string, number, number]) => {
                  read.push(artifact.chunks.findIndex((c) => c[0] === ref[0]));
                  return target.readChunk(ref);
                }
              : Reflect.get(target, prop, receiver),
        });
        const range = end === undefined ? { start } : { start, end };
        const got = await bytesOf(readArtifact(counting, artifact, { range }));
        expect(got.equals(whole.subarray(start, end)), `bytes ${start}-${end}`).toBe(true);
        // The chunks read are those that overlap the range, no more.
        const last = end ?? whole.length;
        const holding = bounds.slice(0, -1).flatMap((s, i) => (s < last && bounds[i + 1]! > start ? [i] : []));
        expect(new Set(read), `chunks for ${start}-${end}`).toEqual(new Set(holding));
      }
      const err = await bytesOf(readArtifact(repo, artifact, { range: { start: 10, end: 100_004 } })).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ kind: 'integrity', message: expect.stringMatching(/bytes 10-100004 asked for/) });
    } finally {
      await repo.close();
    }
  });
});
