// The JavaScript side of rowhash.wat: an order-independent hash of COPY text rows (see the .wat for the method),
// at memory speed, fed either plain COPY data or the inside of a pg_dump custom-format data block.
import { wasmInstance } from '../../pipeline/wasm.ts';
import { WASM_BASE64 } from './rowhash-wasm.ts';

/** Identifies the row hashes this module computes, in fingerprints ("<method>:<hex>"). */
export const ROW_HASH_METHOD = 'copy-xxh64x2';

interface Exports {
  memory: { buffer: ArrayBuffer };
  rows(ptr: number, len: number): void;
  block(ptr: number, len: number): number;
  reset(skip: number): void;
  sum1(): bigint;
  sum2(): bigint;
  count(): bigint;
  ended(): number;
  done(): number;
  bad(): number;
  partial(): number;
}

/** Bytes copied into the module's memory per call (its memory holds 1 MiB and a bit). */
const WINDOW = 1 << 20;

export class RowHasher {
  private readonly x: Exports;
  private readonly mem: Uint8Array;

  constructor() {
    this.x = wasmInstance<Exports>(WASM_BASE64);
    this.mem = new Uint8Array(this.x.memory.buffer);
  }

  /** Starts a new data set. `skip`: frame custom-format chunks without hashing them (data that is not rows). */
  reset(skip = false): this {
    this.x.reset(skip ? 1 : 0);
    return this;
  }

  /** Plain COPY text data, split anywhere. */
  rows(buf: Uint8Array): void {
    for (let o = 0; o < buf.length; o += WINDOW) {
      const part = buf.subarray(o, o + WINDOW);
      this.mem.set(part, 0);
      this.x.rows(0, part.length);
    }
  }

  /**
   * Bytes of a custom-format data block, after its header: returns how many belong to it (all of `buf` while the
   * block goes on; fewer once its end marker was read, and `blockDone` turns true).
   */
  block(buf: Uint8Array): number {
    let used = 0;
    while (used < buf.length && !this.blockDone) {
      const part = buf.subarray(used, used + WINDOW);
      this.mem.set(part, 0);
      used += this.x.block(0, part.length);
    }
    if (this.x.bad()) throw new Error('a data chunk has a negative length');
    return used;
  }

  get blockDone(): boolean {
    return this.x.done() === 1;
  }

  /** Whether pg_dump's end-of-data line ("\.") was seen. */
  get ended(): boolean {
    return this.x.ended() === 1;
  }

  /** Whether the data so far stops inside a row (complete COPY data ends with a newline). */
  get partial(): boolean {
    return this.x.partial() !== 0;
  }

  digest(): { count: number; hash: string } {
    const hex = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
    return { count: Number(this.x.count()), hash: `${ROW_HASH_METHOD}:${hex(this.x.sum1())}${hex(this.x.sum2())}` };
  }
}
