// A pool of worker threads that seal (compress + encrypt) and unseal objects, so compression and encryption use
// every core while the main thread chunks and hashes. The worker runs this same module: from source, Node 24
// loads it directly (erasable TypeScript only); from a bundle, the bundle file itself (see src/cli/index.ts).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { chunkBuffer, MAPPED_FROM, markExclusive, ownsBuffer, recycle, release, releaseOwned } from './buffers.ts';
import { chunkIdOf, EnvelopeError, type MasterKeys, type ObjectType, seal, unseal } from './envelope.ts';

const ROLE = 'backdrill-pipeline';

type Task =
  // recycle: `data` was transferred, and is sent back with the reply for its memory to be reused (buffers.ts).
  | { op: 'seal'; type: ObjectType; id: string; data: Uint8Array; level: number | null; recycle: boolean }
  // into: memory transferred to decompress into (envelope.ts unseal); sent back with the reply when left unused.
  | {
      op: 'unseal';
      type: ObjectType;
      id: string;
      data: Uint8Array;
      maxSize: number;
      expectedSize?: number;
      into?: Uint8Array;
      /** A chunk's: the plaintext's HMAC must be its ID. */
      checkId?: boolean;
    };

type Reply =
  | { seq: number; ok: true; data: Uint8Array; spent?: Uint8Array }
  | { seq: number; ok: false; message: string; envelope: boolean };

interface WireKeys {
  encryption: Uint8Array | null;
  chunkId: Uint8Array;
}

/** A buffer can be transferred only when it owns its whole ArrayBuffer (small Buffers share a pool). */
function transferList(b: Uint8Array): ArrayBuffer[] {
  return ownsBuffer(b) ? [b.buffer as ArrayBuffer] : [];
}

function serve(): void {
  // The keys come in the first message: a pool starts its workers before a repository's keys are unwrapped.
  let keys: MasterKeys | undefined;
  const port = parentPort!;
  port.on('message', (msg: { keys: WireKeys } | { seq: number; task: Task }) => {
    if ('keys' in msg) {
      keys = {
        encryption: msg.keys.encryption ? Buffer.from(msg.keys.encryption) : null,
        chunkId: Buffer.from(msg.keys.chunkId),
      };
      return;
    }
    const { seq, task } = msg;
    try {
      if (!keys) throw new Error('pipeline worker: a task came before the keys');
      const out =
        task.op === 'seal' ? seal(keys, task.type, task.id, task.data, task.level) : unsealChecked(keys, task);
      // Memory to send back for reuse: a sealed chunk's plaintext (a sealed object never shares memory with it; the
      // check keeps it so), or the memory an unsealed chunk was not decompressed into.
      const spent =
        task.op === 'seal' ? (task.recycle ? task.data : undefined) : task.into?.byteLength ? task.into : undefined;
      if (spent && out.buffer !== spent.buffer) {
        const reply: Reply = { seq, ok: true, data: out, spent };
        port.postMessage(reply, [...transferList(out), spent.buffer as ArrayBuffer]);
        if (spent !== task.data) release(task.data);
        return;
      }
      const reply: Reply = { seq, ok: true, data: out };
      port.postMessage(reply, transferList(out));
    } catch (err) {
      const reply: Reply = {
        seq,
        ok: false,
        message: (err as Error).message,
        envelope: err instanceof EnvelopeError,
      };
      port.postMessage(reply);
    }
    // The input was transferred or copied to this thread and the reply is on its way (transferred or copied):
    // free it now rather than at this worker's next GC. So is memory to decompress into that a failure left unused.
    release(task.data);
    if (task.op === 'unseal' && task.into && task.into.byteLength > 0) releaseOwned(task.into);
  });
}

function unsealChecked(keys: MasterKeys, task: Extract<Task, { op: 'unseal' }>): Buffer {
  const out = unseal(keys, task.type, task.id, task.data, task.maxSize, task.expectedSize, task.into);
  // Here rather than on the main thread, which has the plaintext's other work to do: the bytes are still in this
  // core's cache.
  if (task.checkId && chunkIdOf(keys, out) !== task.id) throw new EnvelopeError('content does not match its ID');
  return out;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) serve();

interface Slot {
  worker: Worker;
  inFlight: number;
}

export class PipelinePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private closed = false;

  private keyed = false;

  /**
   * Starts the workers. Each loads its code (about 0.1 s on a 2-core runner) until setKeys gives it the keys: a
   * repository opening its key file (scrypt, about 0.1 s too) can start them first.
   */
  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerUrl(), { workerData: { role: ROLE } });
      // Idle workers must not keep a finished CLI alive; in-flight work holds a ref below.
      worker.unref();
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (reply: Reply) => {
        slot.inFlight--;
        if (slot.inFlight === 0) worker.unref();
        const p = this.pending.get(reply.seq);
        if (!p) return;
        this.pending.delete(reply.seq);
        if (reply.ok && reply.spent) {
          // Sent back transferred: this thread holds the only view of that memory.
          markExclusive(reply.spent);
          recycle(reply.spent);
        }
        if (reply.ok) {
          const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
          // Transferred or copied here, its memory has no other view in this thread: a consumer may recycle it.
          markExclusive(data);
          p.resolve(data);
        } else p.reject(reply.envelope ? new EnvelopeError(reply.message) : new Error(reply.message));
      });
      worker.on('error', (err) => this.failAll(err));
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`pipeline worker exited unexpectedly (code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** Gives the workers the keys they seal and unseal with; once, before any task. */
  setKeys(keys: MasterKeys): this {
    if (this.keyed) throw new Error('pipeline pool: the keys were given already');
    const wire: WireKeys = { encryption: keys.encryption, chunkId: keys.chunkId };
    for (const s of this.slots) s.worker.postMessage({ keys: wire });
    this.keyed = true;
    return this;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private submit(task: Task): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('pipeline pool is closed'));
    if (!this.keyed) return Promise.reject(new Error('pipeline pool: no keys yet'));
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inFlight < slot.inFlight) slot = s;
    const seq = this.seq++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      if (slot.inFlight === 0) slot.worker.ref();
      slot.inFlight++;
      const transfer = transferList(task.data);
      if (task.op === 'unseal' && task.into) transfer.push(task.into.buffer as ArrayBuffer);
      slot.worker.postMessage({ seq, task }, transfer);
    });
  }

  /**
   * Compresses and encrypts. `data` is transferred when it owns its memory: do not use it afterwards. Its memory then
   * comes back, once sealed, for chunkBuffer to reuse (buffers.ts recycle).
   */
  seal(type: ObjectType, id: string, data: Uint8Array, level: number | null): Promise<Buffer> {
    return this.submit({ op: 'seal', type, id, data, level, recycle: ownsBuffer(data) });
  }

  /**
   * Authenticates, decrypts and decompresses; rejects with EnvelopeError when the object is damaged. With an
   * expected size of 1 MiB and more the plaintext lands in chunk memory given back for reuse (buffers.ts recycle):
   * a consumer done with it can recycle it in turn.
   */
  unseal(type: ObjectType, id: string, data: Uint8Array, maxSize: number, expectedSize?: number): Promise<Buffer> {
    return this.submitUnseal(type, id, data, maxSize, expectedSize, false);
  }

  /**
   * unseal() of a chunk that also proves its plaintext is the one its ID names (HMAC), or rejects with
   * EnvelopeError.
   */
  unsealChunk(id: string, data: Uint8Array, maxSize: number, expectedSize: number): Promise<Buffer> {
    return this.submitUnseal('chunk', id, data, maxSize, expectedSize, true);
  }

  private submitUnseal(
    type: ObjectType,
    id: string,
    data: Uint8Array,
    maxSize: number,
    expectedSize: number | undefined,
    checkId: boolean,
  ): Promise<Buffer> {
    const into = expectedSize !== undefined && expectedSize >= MAPPED_FROM ? chunkBuffer(expectedSize) : undefined;
    return this.submit({
      op: 'unseal',
      type,
      id,
      data,
      maxSize,
      ...(expectedSize !== undefined ? { expectedSize } : {}),
      ...(into ? { into: Buffer.from(into.buffer, 0, into.buffer.byteLength) } : {}),
      ...(checkId ? { checkId } : {}),
    });
  }

  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('pipeline pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * From source (tsx, vitest) this module is its own worker. A bundle ships dist/pipeline-worker.js (built from
 * worker-entry.ts) at the root of dist/; the bundled code may sit in dist/, dist/actions/ or dist/chunks/.
 */
function workerUrl(): URL {
  const self = new URL(import.meta.url);
  if (self.pathname.endsWith('.ts')) return self;
  for (const rel of ['./pipeline-worker.js', '../pipeline-worker.js']) {
    const candidate = new URL(rel, self);
    if (existsSync(candidate)) return candidate;
  }
  return self;
}

export function defaultPoolSize(): number {
  const env = Number(process.env.BACKDRILL_WORKERS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, Math.min(availableParallelism(), 8));
}
