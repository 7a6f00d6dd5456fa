// Content-defined chunking, with gear tables chosen to pin down where cuts must fall.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Chunker, gearTable } from '../../src/pipeline/chunker.ts';

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
