// Cross-cutting behaviour wrapped around any backend instead of living inside each one: retries with
// exponential backoff for retryable errors, and a cap on requests in flight.
import { type Backend, type BlobInfo, type PutOptions, StorageError } from './backend.ts';

export interface RetryOptions {
  /** Attempts in all, including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each retry, for logs. */
  onRetry?: (info: { op: string; key: string; attempt: number; error: StorageError; delayMs: number }) => void;
}

export class RetryBackend implements Backend {
  readonly location: string;
  readonly capabilities: Backend['capabilities'];
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly inner: Backend,
    private readonly options: RetryOptions = {},
  ) {
    this.location = inner.location;
    this.capabilities = inner.capabilities;
    this.attempts = options.attempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
  }

  private async retry<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const e = err instanceof StorageError ? err : new StorageError('failed', String(err), { key, cause: err });
        if (!e.retryable || attempt >= this.attempts) throw e;
        // Full jitter: spreads retries of parallel uploads so they do not hit a throttled provider together.
        const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        const delayMs = Math.round(Math.random() * cap);
        this.options.onRetry?.({ op, key, attempt, error: e, delayMs });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<void> {
    let attempted = false;
    await this.retry('put', key, async () => {
      try {
        await this.inner.put(key, data, options);
      } catch (err) {
        // A create-only put that failed after reaching the provider may have succeeded: the retry then sees
        // 'already-exists'. Identical bytes mean our own earlier attempt landed.
        if (attempted && options.ifNoneMatch && err instanceof StorageError && err.code === 'already-exists') {
          const existing = await this.inner.get(key).catch(() => undefined);
          if (existing && Buffer.compare(existing, data) === 0) return;
        }
        attempted = true;
        throw err;
      }
    });
  }

  get(key: string): Promise<Buffer> {
    return this.retry('get', key, () => this.inner.get(key));
  }

  stat(key: string): Promise<BlobInfo | undefined> {
    return this.retry('stat', key, () => this.inner.stat(key));
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    // A listing that fails half-way is restarted whole; duplicates from the first attempt are filtered out.
    const seen = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const b of this.inner.list(prefix)) {
          if (seen.has(b.key)) continue;
          seen.add(b.key);
          yield b;
        }
        return;
      } catch (err) {
        const e = err instanceof StorageError ? err : new StorageError('failed', String(err), { cause: err });
        if (!e.retryable || attempt >= this.attempts) throw e;
        const delayMs = Math.round(Math.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
        this.options.onRetry?.({ op: 'list', key: prefix, attempt, error: e, delayMs });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  delete(key: string): Promise<void> {
    return this.retry('delete', key, () => this.inner.delete(key));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A counting semaphore. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class LimitBackend implements Backend {
  readonly location: string;
  readonly capabilities: Backend['capabilities'];
  private readonly sem: Semaphore;

  constructor(
    private readonly inner: Backend,
    limit = inner.capabilities.maxConnections,
  ) {
    this.location = inner.location;
    this.capabilities = { ...inner.capabilities, maxConnections: limit };
    this.sem = new Semaphore(limit);
  }

  put(key: string, data: Uint8Array, options?: PutOptions): Promise<void> {
    return this.sem.run(() => this.inner.put(key, data, options));
  }
  get(key: string): Promise<Buffer> {
    return this.sem.run(() => this.inner.get(key));
  }
  stat(key: string): Promise<BlobInfo | undefined> {
    return this.sem.run(() => this.inner.stat(key));
  }
  list(prefix: string): AsyncIterable<BlobInfo> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.sem.run(() => this.inner.delete(key));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
