// The blob storage contract every backend (folder, S3) implements and every wrapper (retry, concurrency limit,
// fault injection in tests) preserves. The repository layer is written against this contract only.
//
// Guarantees each backend gives:
// - Keys are '/'-separated relative paths of [A-Za-z0-9._-] segments; backends map them to files or object keys.
// - put() is atomic: a reader sees either no object or the whole object, never a partial one. When put()
//   resolves, the object is durable (fsync'd / acknowledged by the provider). Once put() settles, the backend
//   holds no reference to `data`: the caller may reuse or free it.
// - put(..., { ifNoneMatch: true }) creates the object only if no object exists under the key, atomically; when one
//   exists it rejects with StorageError code 'already-exists' and leaves the existing object untouched. Some S3
//   providers ignore the header (the write then overwrites) or reject it ('unsupported'): `init` probes which,
//   records it in the repository config and warns (src/repo/repository.ts).
// - Listings are read-after-write consistent: an object whose put() resolved shows up in every list() started
//   afterwards, and a deleted one does not. The lock protocol depends on this (AWS S3, MinIO and local folders
//   give it; docs/repository-format.md, "Locks").
// - get() returns the whole object or rejects; a short read is an error, never a silent truncation. A missing
//   object rejects with code 'not-found'. Reads are idempotent.
// - stat() returns undefined for a missing object.
// - list(prefix) yields each object under the prefix exactly once (no particular order), with its size.
// - delete() of a missing object succeeds (idempotent), so an interrupted prune can simply run again.
//
// Errors: every failure is a StorageError. `retryable` says whether the same call may succeed later (timeouts,
// 5xx, throttling, connection resets); 'not-found', 'already-exists', 'permission' and 'invalid' are permanent.

export interface BlobInfo {
  key: string;
  size: number;
  /** Last modification time; used by prune's grace period. */
  modified: Date;
}

export interface BackendCapabilities {
  /** How many requests in flight make sense for this backend. */
  maxConnections: number;
}

export interface PutOptions {
  /** Create only: fail with 'already-exists' when the key exists. */
  ifNoneMatch?: boolean;
}

export interface Backend {
  /** Where the repository lives, safe to print (no credentials). */
  readonly location: string;
  readonly capabilities: BackendCapabilities;
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<void>;
  get(key: string): Promise<Buffer>;
  stat(key: string): Promise<BlobInfo | undefined>;
  list(prefix: string): AsyncIterable<BlobInfo>;
  delete(key: string): Promise<void>;
  /** Releases connections; further calls are not allowed. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'permission'
  | 'invalid'
  /** The provider does not implement what was asked (e.g. If-None-Match answered with 501). */
  | 'unsupported'
  /** Network errors, timeouts, 5xx, throttling. */
  | 'transient'
  /** Anything else the provider rejected; not retried. */
  | 'failed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: { key?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.key = options.key;
  }

  get retryable(): boolean {
    return this.code === 'transient';
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

const KEY_RE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Rejects keys that could escape a folder backend or mean different things on different providers. */
export function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new StorageError('invalid', `invalid object key ${JSON.stringify(key)}`, { key });
  }
}

/** Drains an async iterable of blobs into an array (for small prefixes such as keys/ and locks/). */
export async function listAll(backend: Backend, prefix: string): Promise<BlobInfo[]> {
  const out: BlobInfo[] = [];
  for await (const b of backend.list(prefix)) out.push(b);
  return out;
}
