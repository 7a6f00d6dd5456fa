// What a test file uses to reach the real services: connection details plus a fresh database or bucket per test.
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { inject } from 'vitest';
import { clientConfig, connectionUrl } from './postgres.ts';
import type { MinioInfo, ServiceInfo } from './types.ts';

export function services(): ServiceInfo {
  const s = inject('services');
  if (!s) throw new Error('test services were not started: run the suite through `npm test` (vitest globalSetup)');
  return s;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Creates an empty database on the shared server; returns its name, URL and a pg client config. */
export async function freshDatabase(prefix = 'test'): Promise<{ name: string; url: string; config: pg.ClientConfig }> {
  const info = services().postgres;
  const name = uniqueName(prefix);
  const admin = new pg.Client(clientConfig(info, 'postgres'));
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return { name, url: connectionUrl(info, name), config: clientConfig(info, name) };
}

export function s3Client(info: MinioInfo = services().minio): S3Client {
  return new S3Client({
    endpoint: info.endpoint,
    region: info.region,
    forcePathStyle: true,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
  });
}

/** Creates an empty bucket on the shared MinIO; returns its name. */
export async function freshBucket(prefix = 'test'): Promise<string> {
  const name = uniqueName(prefix).replace(/_/g, '-');
  const client = s3Client();
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return name;
}
