// Fault injection for storage tests: a backend wrapper that fails a share of requests with retryable errors
// (500/503/timeouts as the S3 backend classifies them), or fails specific calls, or corrupts what it returns.
import type { Backend, BlobInfo, PutOptions } from '../../src/storage/backend.ts';
import { StorageError } from '../../src/storage/backend.ts';

export interface FaultOptions {
  /** Probability (0..1) that a request fails with a retryable error before reaching the inner backend. */
  failRate?: number;
  /** Probability that a put reaches the inner backend and *then* fails (the write landed; the client saw an error). */
  failAfterWriteRate?: number;
  /** Deterministic pseudo-random source, so failures reproduce. */
  seed?: number;
}

export class FaultyBackend implements Backend {
  readonly location: string;
  readonly capabilities: Backend['capabilities'];
  requests = 0;
  injected = 0;
  private state: number;

  constructor(
    readonly inner: Backend,
    readonly options: FaultOptions = {},
  ) {
    this.location = `faulty(${inner.location})`;
    this.capabilities = inner.capabilities;
    this.state = options.seed ?? 12345;
  }

  private random(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private maybeFail(op: string, key: string): void {
    this.requests++;
    if (this.random() < (this.options.failRate ?? 0)) {
      this.injected++;
      const kinds = ['HTTP 500 InternalError', 'HTTP 503 SlowDown', 'socket timeout'];
      throw new StorageError('transient', `${op} ${key}: injected ${kinds[this.injected % kinds.length]}`, { key });
    }
  }

  async put(key: string, data: Uint8Array, options?: PutOptions): Promise<void> {
    this.maybeFail('put', key);
    await this.inner.put(key, data, options);
    if (this.random() < (this.options.failAfterWriteRate ?? 0)) {
      this.injected++;
      throw new StorageError('transient', `put ${key}: injected timeout after the write landed`, { key });
    }
  }
  async get(key: string): Promise<Buffer> {
    this.maybeFail('get', key);
    return this.inner.get(key);
  }
  async stat(key: string): Promise<BlobInfo | undefined> {
    this.maybeFail('stat', key);
    return this.inner.stat(key);
  }
  async *list(prefix: string): AsyncIterable<BlobInfo> {
    this.maybeFail('list', prefix);
    yield* this.inner.list(prefix);
  }
  async delete(key: string): Promise<void> {
    this.maybeFail('delete', key);
    return this.inner.delete(key);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
