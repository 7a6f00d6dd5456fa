// Proves the real MinIO test service works with the AWS SDK the project uses, including the conditional
// writes (If-None-Match: *) that the repository's immutable objects and locks depend on.

import { existsSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MinioServer, startMinio } from './minio.ts';

let server: MinioServer;
let s3: S3Client;
const bucket = 'smoke';

beforeAll(async () => {
  server = await startMinio();
  s3 = new S3Client({
    endpoint: server.info.endpoint,
    region: server.info.region,
    credentials: { accessKeyId: server.info.accessKeyId, secretAccessKey: server.info.secretAccessKey },
    forcePathStyle: true,
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
}, 900_000); // a cold cache builds MinIO from source first

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  if (server) expect(existsSync(server.dataDir)).toBe(false);
}, 60_000);

async function put(key: string, body: string, ifNoneMatch?: string) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, IfNoneMatch: ifNoneMatch }));
}

async function get(key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString()) ?? '';
}

describe('minio test service', () => {
  it('listens on loopback with the credentials it reports', () => {
    expect(server.info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.info.accessKeyId).not.toBe('minioadmin');
  });

  it('round-trips an object', async () => {
    const body = `hello ${Date.now()}\n`.repeat(1000);
    await put('round/trip.txt', body);
    expect(await get('round/trip.txt')).toBe(body);
  });

  it('lists objects under a prefix', async () => {
    await Promise.all(['list/a', 'list/b', 'list/c/d'].map((k) => put(k, k)));
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/' }));
    expect((res.Contents ?? []).map((o) => o.Key).sort()).toEqual(['list/a', 'list/b', 'list/c/d']);
    const shallow = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/' }));
    expect((shallow.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(['list/c/']);
  });

  it('honours If-None-Match: * on PutObject', async () => {
    await put('locks/exclusive', 'first', '*');
    const err = await put('locks/exclusive', 'second', '*').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((err as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    expect((err as S3ServiceException).name).toBe('PreconditionFailed');
    // The refused write must not have replaced the object.
    expect(await get('locks/exclusive')).toBe('first');
  });

  it('lets exactly one of several racing If-None-Match: * writers win', async () => {
    const writers = Array.from({ length: 8 }, (_, i) => put('locks/raced', `writer ${i}`, '*'));
    const results = await Promise.allSettled(writers);
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(S3ServiceException);
        // S3 may answer a concurrent conditional write with 409 ConditionalRequestConflict instead of 412.
        expect([409, 412]).toContain((r.reason as S3ServiceException).$metadata.httpStatusCode);
      }
    }
    expect(await get('locks/raced')).toBe(`writer ${winners[0]}`);
  });
});
