// Repositories for tests: a temp folder or a fresh MinIO bucket, the CLI environment that opens them, and
// a cheap KDF (BACKDRILL_INSECURE_TEST_KDF) so hundreds of opens do not spend minutes in scrypt.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChunkerParams } from '../../src/pipeline/chunker.ts';
import { TEST_KDF } from '../../src/repo/keys.ts';
import { Repository } from '../../src/repo/repository.ts';
import type { Backend } from '../../src/storage/backend.ts';
import { openBackend } from '../../src/storage/index.ts';
import { freshBucket, services } from '../services/context.ts';

export const PASSWORD = 'correct horse battery staple';

export function tempDir(prefix = 'bd-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A location string for a new, empty repository: a temp folder, or a bucket on the real MinIO. */
export async function newLocation(kind: 'folder' | 'minio'): Promise<string> {
  if (kind === 'folder') return join(tempDir('bd-repo-'), 'repo');
  const m = services().minio;
  const url = new URL(m.endpoint);
  return `s3:${url.protocol}//${url.host}/${await freshBucket('repo')}/backups`;
}

/** Environment for the CLI and the AWS SDK chain (the MinIO credentials come from the standard AWS variables). */
export function cliEnv(location: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const m = services().minio;
  return {
    BACKDRILL_REPOSITORY: location,
    BACKDRILL_PASSWORD: PASSWORD,
    BACKDRILL_INSECURE_TEST_KDF: '1',
    AWS_ACCESS_KEY_ID: m.accessKeyId,
    AWS_SECRET_ACCESS_KEY: m.secretAccessKey,
    AWS_REGION: m.region,
    PATH: process.env.PATH,
    ...extra,
  };
}

export function backendFor(location: string): Backend {
  const m = services().minio;
  process.env.AWS_ACCESS_KEY_ID = m.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = m.secretAccessKey;
  process.env.AWS_REGION = m.region;
  return openBackend(location, { retry: { baseDelayMs: 5, maxDelayMs: 50 } });
}

export async function initRepo(
  backend: Backend,
  options: { chunker?: ChunkerParams; encryption?: 'aes-256-gcm' | 'none' } = {},
): Promise<Repository> {
  const { repo } = await Repository.init(backend, {
    ...(options.encryption === 'none' ? { encryption: 'none' } : { password: PASSWORD }),
    kdf: TEST_KDF,
    ...(options.chunker ? { chunker: options.chunker } : {}),
  });
  return repo;
}
