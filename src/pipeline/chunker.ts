// Content-defined chunking (FastCDC with normalized chunking): cut points depend on the content, so an insert or
// an update shifts only the chunks around it and the rest deduplicates. The gear table is derived from the
// repository's chunk-ID key, so chunk boundaries do not reveal content to someone without the key.
import { hkdfSync } from 'node:crypto';
import type { Readable } from 'node:stream';
import { chunkBuffer, ownsBuffer, releaseOwned } from './buffers.ts';
import { WASM_BASE64 } from './gear-wasm.ts';
import { wasmInstance } from './wasm.ts';

export interface ChunkerParams {
  min: number;
  avg: number;
  max: number;
}

/** Anything that yields bytes: a node stream, an async generator, or an array of buffers. */
export type ByteSource = Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export const DEFAULT_CHUNKER: ChunkerParams = { min: 512 * 1024, avg: 2 * 1024 * 1024, max: 8 * 1024 * 1024 };

export function checkChunkerParams(p: ChunkerParams): void {
  const pow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
  if (!(p.min >= 64 && p.min < p.avg && p.avg < p.max && pow2(p.avg) && p.max <= 64 * 1024 * 1024)) {
    throw new Error(
      `invalid chunker parameters ${JSON.stringify(p)}: need 64 <= min < avg < max <= 64 MiB, avg a power of two`,
    );
  }
}

export function gearTable(chunkIdKey: Buffer): Int32Array {
  const bytes = Buffer.from(hkdfSync('sha256', chunkIdKey, Buffer.alloc(0), 'backdrill/v1/chunker-gear', 1024));
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = bytes.readInt32LE(i * 4);
  return table;
}

/** A mask with the `bits` highest bits of 32 set: the high bits of a gear hash mix the most input bytes. */
function highMask(bits: number): number {
  return bits >= 32 ? -1 : ~((1 << (32 - bits)) - 1) | 0;
}

export interface ChunkerOptions {
  /**
   * The pushed buffers are the chunker's to free once their bytes are in chunks: each one that is the only view of
   * its memory (a pipe's or a file stream's reads are) is released then. Without it, hundreds of MiB of dead read
   * buffers wait for the garbage collector, and V8 collects far more often for them (36 full collections in a
   * PostgreSQL bench backup, against 2 with it).
   */
  disposable?: boolean;
}

interface GearExports {
  memory: { buffer: ArrayBuffer };
  h: { value: number };
  scan(from: number, to: number, h: number, mask: number): number;
}

/** Where gear.wat keeps the bytes it scans, and how many it holds. */
const WINDOW_AT = 1024;
const WINDOW = 1 << 20;

/** This thread's instance of gear.wat (one for all chunkers: a scan runs start to end within one call), and whose
 * gear table its memory holds. */
let instance: { x: GearExports; window: Uint8Array; gear?: Int32Array } | undefined;

/** The gear hash of chunker.ts's cut points, run by gear.wat over windows of the bytes. */
class GearScanner {
  /** The hash after the last scan. */
  h = 0;

  constructor(private readonly gear: Int32Array) {}

  /**
   * Feeds buf[from, to) to the hash; returns the index just after the first byte whose hash has no bit of `mask`
   * set, or -1 when none has.
   */
  scan(buf: Uint8Array, from: number, to: number, mask: number): number {
    if (!instance) {
      const x = wasmInstance<GearExports>(WASM_BASE64);
      instance = { x, window: new Uint8Array(x.memory.buffer, WINDOW_AT, WINDOW) };
    }
    const { x, window } = instance;
    if (instance.gear !== this.gear) {
      new Int32Array(x.memory.buffer, 0, 256).set(this.gear);
      instance.gear = this.gear;
    }
    for (let o = from; o < to; o += WINDOW) {
      const len = Math.min(WINDOW, to - o);
      window.set(buf.subarray(o, o + len));
      const at = x.scan(0, len, this.h, mask);
      this.h = x.h.value;
      if (at >= 0) return o + at;
    }
    return -1;
  }
}

export class Chunker {
  private readonly maskS: number;
  private readonly maskL: number;
  private readonly gear: GearScanner;
  private pending: Uint8Array[] = [];
  private pendingLen = 0;
  /** Pushed buffers whose last bytes are in `pending`: freed with it (disposable input only). */
  private owners: Uint8Array[] = [];

  constructor(
    private readonly params: ChunkerParams,
    gear: Int32Array,
    private readonly options: ChunkerOptions = {},
  ) {
    checkChunkerParams(params);
    const bits = Math.log2(params.avg);
    // Normalized chunking, level 2: harder to cut before avg, easier after, so sizes cluster around avg.
    this.maskS = highMask(bits + 2);
    this.maskL = highMask(bits - 2);
    this.gear = new GearScanner(gear);
  }

  /** Feeds bytes; returns the chunks completed by them. The caller must not modify `buf` afterwards (it is kept,
   * not copied, until its chunk completes; node streams hand out fresh buffers), nor read it when the chunker is
   * `disposable` (it may be freed by then). Each chunk owns its whole
   * ArrayBuffer, referenced nowhere else: the caller may transfer it to a worker or free it (see buffers.ts). */
  push(buf: Uint8Array): Buffer[] {
    const out: Buffer[] = [];
    const { min, avg, max } = this.params;
    const n = buf.length;
    const disposable = this.options.disposable === true && ownsBuffer(buf);
    let pos = 0;
    while (pos < n) {
      // Chunk offset of buf[j] is base + j. The hash starts at the chunk's min-th byte: no cut comes before.
      const base = this.pendingLen - pos;
      const from = Math.max(pos, min - base);
      const endS = Math.min(n, avg - base);
      let cut = from < endS ? this.gear.scan(buf, from, endS, this.maskS) : -1;
      if (cut < 0) {
        const endL = Math.min(n, max - base);
        const fromL = Math.max(from, endS);
        if (fromL < endL) cut = this.gear.scan(buf, fromL, endL, this.maskL);
        if (cut < 0 && max - base <= n) cut = max - base;
      }
      if (cut < 0) {
        this.pending.push(buf.subarray(pos));
        this.pendingLen += n - pos;
        if (disposable) this.owners.push(buf);
        return out;
      }
      out.push(this.take(buf.subarray(pos, cut)));
      pos = cut;
    }
    if (disposable) releaseOwned(buf);
    return out;
  }

  /** Ends the stream; returns the last, possibly short, chunk (none for an empty stream). */
  finish(): Buffer[] {
    if (this.pendingLen === 0) return [];
    return [this.take(new Uint8Array(0))];
  }

  private take(tail: Uint8Array): Buffer {
    // Own, non-pooled memory: chunks are transferred to worker threads (and may come back, see recycle).
    const chunk = chunkBuffer(this.pendingLen + tail.length);
    let o = 0;
    for (const p of this.pending) {
      chunk.set(p, o);
      o += p.length;
    }
    chunk.set(tail, o);
    for (const b of this.owners) releaseOwned(b);
    this.owners = [];
    this.pending = [];
    this.pendingLen = 0;
    this.gear.h = 0;
    return chunk;
  }
}

/** Splits a byte stream into content-defined chunks, pulling from the source only as fast as they are consumed. */
export async function* chunkStream(source: ByteSource, chunker: Chunker): AsyncGenerator<Buffer> {
  for await (const piece of source as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    yield* chunker.push(bytes);
  }
  yield* chunker.finish();
}
