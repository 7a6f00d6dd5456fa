// Unreliable storage and concurrency: retries carry backups through failing requests, concurrent backups both
// land, and the data that comes back is exactly what went in.
import { describe, expect, it } from 'vitest';
import { backupStreams } from '../../src/repo/backup.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import { Repository } from '../../src/repo/repository.ts';
import { verifyRepository } from '../../src/repo/verify.ts';
import { rawBackend, wrapBackend } from '../../src/storage/index.ts';
import { FaultyBackend } from '../helpers/faulty-backend.ts';
import { backendFor, initRepo, newLocation, PASSWORD } from '../helpers/repo.ts';
import { digestOf, randomStream } from '../helpers/streams.ts';

const SMALLISH = { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 };

describe.each(['folder', 'minio'] as const)('faults on %s', (kind) => {
  it('with 10% of storage requests failing (500/503/timeouts, some after the write landed), backups complete', async () => {
    const location = await newLocation(kind);
    backendFor(location); // sets the MinIO credentials in the environment
    await initRepo(backendFor(location), { chunker: SMALLISH });
    const faulty = new FaultyBackend(rawBackend(location), { failRate: 0.1, failAfterWriteRate: 0.05, seed: 7 });
    const repo = await Repository.open(
      wrapBackend(faulty, { retry: { baseDelayMs: 1, maxDelayMs: 20, attempts: 12 } }),
      {
        password: PASSWORD,
      },
    );
    try {
      const spec = { size: 20_000_000, seed: `faulty-${kind}` };
      const snap = await backupStreams(repo, [{ name: 'x', source: randomStream(spec) }], {
        store: { name: 'x', kind: 'stream' },
      });
      expect(faulty.injected).toBeGreaterThan(10);
      expect(await digestOf(readArtifact(repo, findArtifact(snap, 'x')))).toEqual(await digestOf(randomStream(spec)));
      const v = await verifyRepository(repo, { readData: true });
      expect(v.errors).toEqual([]);
    } finally {
      await repo.close();
    }
  }, 300_000);

  it('two backups at once into one repository both succeed and share chunks', async () => {
    const location = await newLocation(kind);
    const repo1 = await initRepo(backendFor(location), { chunker: SMALLISH });
    const repo2 = await Repository.open(backendFor(location), { password: PASSWORD });
    try {
      const shared = { size: 8_000_000, seed: 'shared' };
      const [a, b] = await Promise.all([
        backupStreams(repo1, [{ name: 'a', source: randomStream(shared) }], { store: { name: 'a', kind: 'stream' } }),
        backupStreams(repo2, [{ name: 'b', source: randomStream(shared) }], { store: { name: 'b', kind: 'stream' } }),
      ]);
      const { snapshots } = await repo1.listSnapshots();
      expect(snapshots.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
      const v = await verifyRepository(repo1, { readData: true });
      expect(v.ok).toBe(true);
      // Same content: each chunk stored once, however the two raced.
      expect(v.chunks).toBe(a.artifacts[0]!.chunks.length);
      expect(v.unreferenced).toBe(0);
    } finally {
      await repo1.close();
      await repo2.close();
    }
  }, 120_000);
});
