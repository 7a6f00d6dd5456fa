// The S3-compatible backend (AWS S3, MinIO, R2, ...) through @aws-sdk/client-s3. Credentials come from the
// standard AWS chain (env, profile, web identity / GitHub OIDC role, instance metadata) unless given explicitly.
// The SDK loads with the first request: a folder repository never pays for it (tens of MiB of code and heap).
import type { S3Client } from '@aws-sdk/client-s3';
import { commonJs } from '../lazy.ts';
import { redactUrl } from '../urls.ts';
import { type Backend, type BlobInfo, checkKey, type PutOptions, StorageError } from './backend.ts';

type Sdk = typeof import('@aws-sdk/client-s3');
/** Set once the SDK has loaded; error classification needs its exception class. */
let loadedSdk: Sdk | undefined;

async function loadSdk(): Promise<Sdk> {
  loadedSdk ??= commonJs(await import('@aws-sdk/client-s3'));
  return loadedSdk;
}

export interface S3Options {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash. */
  prefix?: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; omit for AWS. */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxConnections?: number;
}

/** Objects above this size go up as multipart uploads (lib-storage); chunks and manifests stay far below it. */
const MULTIPART_THRESHOLD = 64 * 1024 * 1024;

export class S3Backend implements Backend {
  readonly location: string;
  readonly capabilities: { maxConnections: number };
  private client: Promise<{ sdk: Sdk; client: S3Client }> | undefined;
  private readonly options: S3Options;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3Options) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
    const endpoint = options.endpoint ? redactUrl(options.endpoint) : 's3';
    this.location = `s3:${endpoint === 's3' ? '' : `${endpoint}/`}${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ''}`;
    this.capabilities = { maxConnections: options.maxConnections ?? 16 };
    this.options = options;
  }

  private sdk(): Promise<{ sdk: Sdk; client: S3Client }> {
    const options = this.options;
    this.client ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        ...(options.credentials ? { credentials: options.credentials } : {}),
        // Our retry wrapper owns retries, so a failure is classified once and backoff is not multiplied.
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
      }),
    }));
    return this.client;
  }

  private objectKey(key: string): string {
    checkKey(key);
    return this.prefix + key;
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<void> {
    const Key = this.objectKey(key);
    try {
      const { sdk, client } = await this.sdk();
      if (data.byteLength > MULTIPART_THRESHOLD && !options.ifNoneMatch) {
        const { Upload } = commonJs(await import('@aws-sdk/lib-storage'));
        await new Upload({ client, params: { Bucket: this.bucket, Key, Body: data } }).done();
        return;
      }
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: data,
          ContentLength: data.byteLength,
          ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (err) {
      throw s3Error(err, key, 'put');
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      const { sdk, client } = await this.sdk();
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!res.Body) throw new StorageError('transient', `get ${key}: empty response body`, { key });
      const bytes = Buffer.from(await res.Body.transformToByteArray());
      if (res.ContentLength !== undefined && bytes.length !== res.ContentLength) {
        throw new StorageError('transient', `get ${key}: short read (${bytes.length} of ${res.ContentLength} bytes)`, {
          key,
        });
      }
      return bytes;
    } catch (err) {
      throw s3Error(err, key, 'get');
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const { sdk, client } = await this.sdk();
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: res.ContentLength ?? 0, modified: res.LastModified ?? new Date(0) };
    } catch (err) {
      const e = s3Error(err, key, 'stat');
      if (e.code === 'not-found') return undefined;
      throw e;
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      let res: import('@aws-sdk/client-s3').ListObjectsV2CommandOutput;
      try {
        const { sdk, client } = await this.sdk();
        res = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }),
        );
      } catch (err) {
        throw s3Error(err, prefix, 'list');
      }
      for (const o of res.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) };
      }
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    try {
      const { sdk, client } = await this.sdk();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      const e = s3Error(err, key, 'delete');
      if (e.code !== 'not-found') throw e;
    }
  }

  async close(): Promise<void> {
    if (this.client) (await this.client).client.destroy();
  }
}

/** Classifies an SDK failure as permanent or retryable; the message names the object and never the credentials. */
function s3Error(err: unknown, key: string, op: string): StorageError {
  if (err instanceof StorageError) return err;
  const status = loadedSdk && err instanceof loadedSdk.S3ServiceException ? err.$metadata.httpStatusCode : undefined;
  const name = (err as { name?: string }).name ?? 'Error';
  const message = (err as Error).message ?? String(err);
  const what = `${op} ${key}: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}`;
  if (status === 404 || name === 'NoSuchKey' || name === 'NotFound')
    return new StorageError('not-found', what, { key });
  if (name === 'NoSuchBucket') return new StorageError('failed', what, { key });
  if (status === 412 || name === 'PreconditionFailed') return new StorageError('already-exists', what, { key });
  if (status === 501 || name === 'NotImplemented') return new StorageError('unsupported', what, { key });
  if (status === 403 || status === 401 || name === 'AccessDenied' || name === 'InvalidAccessKeyId') {
    return new StorageError('permission', what, { key, cause: err });
  }
  if (status === 409 && name === 'ConditionalRequestConflict') return new StorageError('transient', what, { key });
  if (status === undefined || status >= 500 || status === 429 || status === 408 || name === 'SlowDown') {
    return new StorageError('transient', what, { key, cause: err });
  }
  return new StorageError('failed', what, { key, cause: err });
}
