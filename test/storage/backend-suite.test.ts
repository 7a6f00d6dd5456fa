// The one contract every storage backend must pass, run against the folder backend and the real MinIO.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Backend, isStorageError, listAll } from '../../src/storage/backend.ts';
import { FsBackend } from '../../src/storage/fs.ts';
import { S3Backend } from '../../src/storage/s3.ts';
import { freshBucket, services } from '../services/context.ts';

const factories: Array<[string, () => Promise<Backend>]> = [
  ['folder', async () => new FsBackend(mkdtempSync(join(tmpdir(), 'bd-fs-')))],
  [
    'MinIO (real S3)',
    async () => {
      const m = services().minio;
      return new S3Backend({
        bucket: await freshBucket('suite'),
        prefix: 'some/prefix',
        endpoint: m.endpoint,
        region: m.region,
        credentials: { accessKeyId: m.accessKeyId, secretAccessKey: m.secretAccessKey },
      });
    },
  ],
];

describe.each(factories)('storage backend contract: %s', (_name, make) => {
  it('round-trips objects byte for byte, including empty and 9 MiB ones', async () => {
    const b = await make();
    const big = Buffer.alloc(9 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 255;
    for (const [key, data] of [
      ['a/empty', Buffer.alloc(0)],
      ['a/one', Buffer.from([0xff])],
      ['b/c/big', big],
    ] as const) {
      await b.put(key, data);
      expect((await b.get(key)).equals(data)).toBe(true);
      expect((await b.stat(key))?.size).toBe(data.length);
    }
    await b.close();
  });

  it('a missing object is not-found on get and undefined on stat; delete of a missing object succeeds', async () => {
    const b = await make();
    await expect(b.get('nope/x')).rejects.toSatisfy((e: unknown) => isStorageError(e, 'not-found'));
    expect(await b.stat('nope/x')).toBeUndefined();
    await expect(b.delete('nope/x')).resolves.toBeUndefined();
    await b.close();
  });

  it('create-only writes (If-None-Match) refuse to overwrite and leave the first object intact', async () => {
    const b = await make();
    await b.put('locks/l1', Buffer.from('first'), { ifNoneMatch: true });
    const err = await b.put('locks/l1', Buffer.from('second'), { ifNoneMatch: true }).catch((e: unknown) => e);
    expect(isStorageError(err, 'already-exists')).toBe(true);
    expect((await b.get('locks/l1')).toString()).toBe('first');
    // A plain put does overwrite.
    await b.put('locks/l1', Buffer.from('third'));
    expect((await b.get('locks/l1')).toString()).toBe('third');
    await b.close();
  });

  it('of two racing create-only writes exactly one wins', async () => {
    const b = await make();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => b.put('race/key', Buffer.from(`writer ${i}`), { ifNoneMatch: true })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(isStorageError(r.reason, 'already-exists')).toBe(true);
    await b.close();
  });

  it('lists each object under a prefix exactly once, with sizes, across pages', async () => {
    const b = await make();
    const keys = Array.from({ length: 1105 }, (_, i) => `data/${(i % 7).toString(16).padStart(2, '0')}/obj${i}`);
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k, j) => b.put(k, Buffer.alloc((i + j) % 5))));
    }
    await b.put('other/x', Buffer.from('x'));
    const listed = await listAll(b, 'data/');
    expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
    const sizes = new Map(listed.map((o) => [o.key, o.size]));
    expect(sizes.get('data/03/obj10')).toBe(10 % 5);
    expect(await listAll(b, 'missing/')).toEqual([]);
    await b.close();
  }, 180_000);

  it('rejects keys that could escape the repository', async () => {
    const b = await make();
    for (const key of ['../x', 'a/../../x', '/abs', 'a//b', 'a/./b', 'sp ace']) {
      await expect(b.put(key, Buffer.from('x'))).rejects.toSatisfy((e: unknown) => isStorageError(e, 'invalid'));
    }
    await b.close();
  });
});

describe('S3 backend errors', () => {
  it('wrong credentials are a permanent permission error that names the object, not the secret', async () => {
    const m = services().minio;
    const bucket = await freshBucket('creds');
    const b = new S3Backend({
      bucket,
      endpoint: m.endpoint,
      region: m.region,
      credentials: { accessKeyId: m.accessKeyId, secretAccessKey: 'not-the-secret-0123456789' },
    });
    const err = await b.get('config').catch((e: unknown) => e);
    expect(isStorageError(err, 'permission')).toBe(true);
    expect((err as Error).message).toContain('config');
    expect((err as Error).message).not.toContain('not-the-secret');
    await b.close();
  });
});
