// unseal() with the plaintext size a chunk reference records: one output allocation, and still exact when the
// recorded size is wrong (the repository reports the mismatch itself, after unsealing).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ownsBuffer } from '../../src/pipeline/buffers.ts';
import { type MasterKeys, seal, unseal } from '../../src/pipeline/envelope.ts';

const keys: MasterKeys = { encryption: randomBytes(32), chunkId: randomBytes(32) };

function compressible(size: number): Buffer {
  const words = ['alpha ', 'beta ', 'gamma ', 'delta ', '\n'];
  let s = '';
  for (let i = 0; s.length < size; i++) s += words[(i * 7) % words.length]! + i.toString(36);
  return Buffer.from(s.slice(0, size));
}

describe('unseal with an expected size', () => {
  const plain = compressible(3 * 1024 * 1024 + 17);
  const sealed = seal(keys, 'chunk', 'c1', Buffer.from(plain), 3);

  it('returns the plaintext in a buffer of its own (transferable between threads)', () => {
    const out = unseal(keys, 'chunk', 'c1', sealed, 8 << 20, plain.length);
    expect(out.equals(plain)).toBe(true);
    expect(ownsBuffer(out)).toBe(true);
    expect(sealed.length).toBeLessThan(plain.length / 2);
  });

  it('still returns the exact plaintext when the expected size is wrong', () => {
    for (const expected of [100, plain.length - 1, plain.length + 1, 8 << 20, 1]) {
      expect(unseal(keys, 'chunk', 'c1', sealed, 8 << 20, expected).equals(plain)).toBe(true);
    }
  });

  it('still refuses output beyond maxSize', () => {
    expect(() => unseal(keys, 'chunk', 'c1', sealed, 1 << 20, plain.length)).toThrow(/cannot decompress/);
  });
});
