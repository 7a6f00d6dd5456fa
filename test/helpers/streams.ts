// Deterministic test data generated on the fly: AES-256-CTR keystream (incompressible, fast, native) or a
// compressible text-like stream, in pieces, so gigabyte streams never sit in memory.
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';

function keystream(seed: string): (n: number) => Buffer {
  const key = createHash('sha256').update(`key:${seed}`).digest();
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  return (n) => cipher.update(Buffer.alloc(n));
}

export interface StreamSpec {
  size: number;
  seed?: string;
  /** Byte ranges overwritten with other pseudo-random bytes (to model a changed part). */
  mutations?: Array<{ offset: number; length: number; seed: string }>;
  pieceSize?: number;
}

/** A readable of `size` pseudo-random bytes; the same spec always yields the same bytes. */
export function randomStream(spec: StreamSpec): Readable {
  const piece = spec.pieceSize ?? 1024 * 1024;
  const next = keystream(spec.seed ?? 'default');
  const muts = (spec.mutations ?? []).map((m) => ({ ...m, bytes: keystream(m.seed)(m.length) }));
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= spec.size) {
        this.push(null);
        return;
      }
      const n = Math.min(piece, spec.size - offset);
      const buf = next(n);
      for (const m of muts) {
        const from = Math.max(m.offset, offset);
        const to = Math.min(m.offset + m.length, offset + n);
        if (from < to) m.bytes.copy(buf, from - offset, from - m.offset, to - m.offset);
      }
      offset += n;
      this.push(buf);
    },
  });
}

/** All of a stream's bytes, in one buffer (for streams small enough to hold). */
export async function bytesOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of source) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

/** SHA-256 of a stream's bytes, and its length. */
export async function digestOf(source: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const b of source) {
    h.update(b);
    size += b.length;
  }
  return { sha256: h.digest('hex'), size };
}
