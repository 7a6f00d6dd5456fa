// Content-defined chunking, with gear tables chosen to pin down where cuts must fall.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Chunker, type ChunkerParams, DEFAULT_CHUNKER, gearTable } from '../../src/pipeline/chunker.ts';

const P = { min: 256, avg: 1024, max: 4096 };

function chunkAll(chunker: Chunker, data: Uint8Array, piece: number): number[] {
  const sizes: number[] = [];
  for (let o = 0; o < data.length; o += piece) {
    for (const c of chunker.push(data.slice(o, o + piece))) sizes.push(c.length);
  }
  for (const c of chunker.finish()) sizes.push(c.length);
  return sizes;
}

/** Pseudo-random bytes, the same on every run: the two tests below then check fixed cut points. */
function seeded(size: number, seed: string): Buffer {
  const out = Buffer.allocUnsafe(size);
  let block = createHash('sha256').update(seed).digest();
  for (let o = 0; o < size; o += 32) {
    block.copy(out, o);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** `size` pseudo-random bytes from `seed`, fast enough for tens of MiB (an AES-CTR key stream). */
function stream(size: number, seed: string): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/**
 * The chunk sizes FastCDC with normalized chunking gives, written as plainly as it is defined: from the min-th byte
 * of a chunk on, h = (h << 1) + gear[byte] (32 bits); cut after the first byte where h & maskS is 0 before avg,
 * where h & maskL is 0 from avg on, and at max at the latest. Repositories written before hold chunks cut so:
 * the chunker must cut exactly here for new backups to deduplicate against them.
 */
function definedSizes(data: Uint8Array, p: ChunkerParams, gear: Int32Array): number[] {
  const bits = Math.log2(p.avg);
  const high = (b: number) => ~((1 << (32 - b)) - 1) | 0;
  const [maskS, maskL] = [high(bits + 2), high(bits - 2)];
  const sizes: number[] = [];
  let start = 0;
  while (start < data.length) {
    let size = Math.min(p.max, data.length - start);
    let h = 0;
    for (let i = p.min; i < size; i++) {
      h = ((h << 1) + gear[data[start + i]!]!) | 0;
      if ((h & (i < p.avg ? maskS : maskL)) === 0) {
        size = i + 1;
        break;
      }
    }
    sizes.push(size);
    start += size;
  }
  return sizes;
}

/** A gear table whose entry for byte 0 is `g0`, the rest from a random key. */
function gearWith(g0: number): Int32Array {
  const table = gearTable(randomBytes(32));
  table[0] = g0;
  return table;
}

describe('chunker', () => {
  // On a run of one byte value the gear hash settles at -G[b] after 32 bytes: the run is cut at max when that
  // value misses the mask, and right after the first place a cut is allowed when it hits it.
  it('cuts a run of zeros at the maximum size when the settled hash misses the mask', () => {
    const sizes = chunkAll(new Chunker(P, gearWith(-0x7fff_ffff)), new Uint8Array(3 * 4096 + 100), 777);
    expect(sizes).toEqual([4096, 4096, 4096, 100]);
  });

  it('cuts a run of zeros at one shorter period when the settled hash hits the mask', () => {
    // -G[0] = 0x00000001: its 8 high bits are zero (the mask past avg), its 12 high bits too (the mask before).
    const sizes = chunkAll(new Chunker(P, gearWith(-1)), new Uint8Array(3 * 4096), 777);
    expect(new Set(sizes.slice(0, -1)).size).toBe(1);
    expect(sizes[0]).toBeGreaterThan(P.min);
    expect(sizes[0]).toBeLessThan(P.avg);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3 * 4096);
  });

  it('finds the same cuts whatever sizes the input arrives in, and never exceeds the bounds', () => {
    const data = seeded(200_000, 'pieces');
    const gear = gearTable(seeded(32, 'key-1'));
    const whole = chunkAll(new Chunker(P, gear), data, data.length);
    for (const piece of [1, 7, 255, 4096, 65_536]) expect(chunkAll(new Chunker(P, gear), data, piece)).toEqual(whole);
    expect(whole.reduce((a, b) => a + b, 0)).toBe(data.length);
    for (const s of whole.slice(0, -1)) {
      expect(s).toBeGreaterThan(P.min);
      expect(s).toBeLessThanOrEqual(P.max);
    }
  });

  it('cuts exactly where FastCDC is defined to, whatever sizes the input arrives in', () => {
    // Small parameters over many chunks, and the default ones over pieces larger than the scanner's 1 MiB window.
    const small = stream(3_000_000, 'defined-small');
    const gear = gearTable(seeded(32, 'key-4'));
    const want = definedSizes(small, P, gear);
    expect(want.length).toBeGreaterThan(1000);
    for (const piece of [1000, 65_536, small.length])
      expect(chunkAll(new Chunker(P, gear), small, piece)).toEqual(want);
    const large = stream(40 * 1024 * 1024, 'defined-large');
    const wantLarge = definedSizes(large, DEFAULT_CHUNKER, gear);
    expect(wantLarge.length).toBeGreaterThan(8);
    for (const piece of [65_536, 3 * 1024 * 1024 + 5]) {
      expect(chunkAll(new Chunker(DEFAULT_CHUNKER, gear), large, piece)).toEqual(wantLarge);
    }
  });

  it('chunkers with different keys, fed in turns, each cut as they do alone', () => {
    const data = stream(400_000, 'turns');
    const [g1, g2] = [gearTable(seeded(32, 'key-5')), gearTable(seeded(32, 'key-6'))];
    const [c1, c2] = [new Chunker(P, g1), new Chunker(P, g2)];
    const s1: number[] = [];
    const s2: number[] = [];
    for (let o = 0; o < data.length; o += 5000) {
      for (const c of c1.push(data.subarray(o, o + 5000))) s1.push(c.length);
      for (const c of c2.push(data.subarray(o, o + 5000))) s2.push(c.length);
    }
    for (const c of c1.finish()) s1.push(c.length);
    for (const c of c2.finish()) s2.push(c.length);
    expect(s1).toEqual(definedSizes(data, P, g1));
    expect(s2).toEqual(definedSizes(data, P, g2));
    expect(s1).not.toEqual(s2);
  });

  it('disposable: frees each pushed buffer once its bytes are in chunks, and cuts exactly the same chunks', () => {
    const data = seeded(300_000, 'disposable');
    const gear = gearTable(seeded(32, 'key-3'));
    const plain = new Chunker(P, gear);
    const want = [...plain.push(data), ...plain.finish()].map((b) => Buffer.from(b).toString('base64'));
    const chunker = new Chunker(P, gear, { disposable: true });
    const got: string[] = [];
    const pieces: Buffer[] = [];
    let consumed = 0;
    for (let o = 0; o < data.length; o += 10_000) {
      // Each piece owns its memory (as a pipe's reads do) and is larger than Buffer.poolSize.
      const piece = Buffer.allocUnsafeSlow(Math.min(10_000, data.length - o));
      data.copy(piece, 0, o);
      pieces.push(piece);
      for (const c of chunker.push(piece)) {
        got.push(Buffer.from(c).toString('base64'));
        consumed += c.length;
      }
      // A piece is freed exactly when all of its bytes are in completed chunks.
      let end = 0;
      for (const p of pieces) {
        end += 10_000;
        expect(p.buffer.byteLength === 0).toBe(end <= consumed);
      }
    }
    for (const c of chunker.finish()) got.push(Buffer.from(c).toString('base64'));
    expect(got).toEqual(want);
    expect(pieces.every((p) => p.buffer.byteLength === 0)).toBe(true);

    // A view into a larger buffer is never freed: its memory may hold other data.
    const shared = Buffer.allocUnsafeSlow(50_000);
    const c2 = new Chunker(P, gear, { disposable: true });
    c2.push(shared.subarray(0, 20_000));
    c2.finish();
    expect(shared.byteLength).toBe(50_000);
  });

  it('an insertion changes only the chunks around it', () => {
    const data = seeded(400_000, 'insert');
    const gear = gearTable(seeded(32, 'key-2'));
    const edited = Buffer.concat([data.subarray(0, 200_000), Buffer.from('inserted'), data.subarray(200_000)]);
    const chunks = (d: Uint8Array) => {
      const c = new Chunker(P, gear);
      return [...c.push(d), ...c.finish()].map((b) => Buffer.from(b).toString('base64'));
    };
    const before = new Set(chunks(data));
    const after = chunks(edited);
    const changed = after.filter((c) => !before.has(c)).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(3);
  });
});
