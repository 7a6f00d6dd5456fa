// Opens a backend from a repository location string, with the standard wrappers around it.
//   /path/to/repo, ./repo, local:/path     a local folder
//   s3:https://host:9000/bucket[/prefix]    an S3-compatible endpoint (MinIO, R2, ...), path-style
//   s3://bucket[/prefix]                     AWS S3 (region from AWS_REGION / AWS_DEFAULT_REGION)
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Backend } from './backend.ts';
import { FsBackend } from './fs.ts';
import { S3Backend, type S3Options } from './s3.ts';
import { LimitBackend, RetryBackend, type RetryOptions } from './wrappers.ts';

export type { Backend, BlobInfo } from './backend.ts';
export { isStorageError, StorageError } from './backend.ts';

export type Location = { kind: 'local'; path: string } | ({ kind: 's3' } & S3Options);

export function parseLocation(location: string): Location {
  const loc = location.trim();
  if (loc === '') {
    throw new UsageError('the repository location is empty', 'set --repo or BACKDRILL_REPOSITORY');
  }
  if (loc.startsWith('s3://')) {
    const [bucket, ...rest] = loc.slice('s3://'.length).split('/');
    if (!bucket) throw badS3(location);
    return { kind: 's3', bucket, prefix: rest.filter(Boolean).join('/') };
  }
  if (loc.startsWith('s3:')) {
    let url: URL;
    try {
      url = new URL(loc.slice('s3:'.length));
    } catch {
      throw badS3(location);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badS3(location);
    const [bucket, ...rest] = url.pathname.split('/').filter(Boolean);
    if (!bucket) throw badS3(location);
    const credentials =
      url.username !== ''
        ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) }
        : undefined;
    return {
      kind: 's3',
      endpoint: `${url.protocol}//${url.host}`,
      forcePathStyle: true,
      bucket,
      prefix: rest.join('/'),
      ...(credentials ? { credentials } : {}),
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc) && !loc.startsWith('local:')) {
    throw new UsageError(
      `unsupported repository location ${JSON.stringify(redactLocation(location))}`,
      'use a folder path, s3://bucket/prefix (AWS) or s3:https://host:port/bucket/prefix (S3-compatible)',
    );
  }
  return { kind: 'local', path: resolve(loc.startsWith('local:') ? loc.slice('local:'.length) : loc) };
}

function badS3(location: string): UsageError {
  return new UsageError(
    `cannot read the S3 location ${JSON.stringify(redactLocation(location))}`,
    'expected s3://bucket[/prefix] for AWS or s3:https://host:port/bucket[/prefix] for S3-compatible storage',
  );
}

/** A location string without credentials, safe for logs. */
export function redactLocation(location: string): string {
  return location.replace(/(\/\/)[^@/]*@/, '$1');
}

export interface OpenBackendOptions {
  retry?: RetryOptions;
  /** Caps requests in flight; default: the backend's own maxConnections. */
  connections?: number;
}

/** The raw backend for a location, without wrappers (tests wrap it in fault injectors first). */
export function rawBackend(location: string | Location): Backend {
  const loc = typeof location === 'string' ? parseLocation(location) : location;
  if (loc.kind === 'local') return new FsBackend(loc.path);
  const { kind: _kind, ...s3 } = loc;
  return new S3Backend(s3);
}

/** Wraps a backend in the standard retry and concurrency-limit layers. */
export function wrapBackend(backend: Backend, options: OpenBackendOptions = {}): Backend {
  return new RetryBackend(new LimitBackend(backend, options.connections), options.retry);
}

export function openBackend(location: string | Location, options: OpenBackendOptions = {}): Backend {
  return wrapBackend(rawBackend(location), options);
}
