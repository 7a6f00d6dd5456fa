// unseal() with the plaintext size a chunk reference records: one output allocation, and still exact when the
// recorded size is wrong (the repository reports the mismatch itself, after unsealing). And the large buffers
// chunks travel in between threads.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkBuffer, largeBuffer, largeCapacity, ownsBuffer, release } from '../../src/pipeline/buffers.ts';
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

describe('unseal into memory the caller gives', () => {
  const plain = compressible(3 * 1024 * 1024 + 17);
  const sealed = seal(keys, 'chunk', 'c4', Buffer.from(plain), 1);

  it('decompresses into it: the plaintext is the start of that memory, and the memory can be given again', () => {
    const into = largeBuffer(4 * 1024 * 1024);
    into.fill(0xee);
    const out = unseal(keys, 'chunk', 'c4', sealed, 8 << 20, plain.length, into);
    expect(out.buffer).toBe(into.buffer);
    expect(out.byteOffset).toBe(0);
    expect(out.equals(plain)).toBe(true);
    expect(ownsBuffer(out)).toBe(true);
    // The same memory again, for another chunk: nothing of the first is left in the second.
    const other = compressible(1024 * 1024 + 3).reverse();
    const again = unseal(
      keys,
      'chunk',
      'c5',
      seal(keys, 'chunk', 'c5', Buffer.from(other), 1),
      8 << 20,
      other.length,
      into,
    );
    expect(again.buffer).toBe(into.buffer);
    expect(again.equals(other)).toBe(true);
  });

  it('fills memory of exactly the plaintext size, and leaves memory too small unused', () => {
    const exact = Buffer.allocUnsafeSlow(plain.length);
    expect(unseal(keys, 'chunk', 'c4', sealed, 8 << 20, plain.length, exact).buffer).toBe(exact.buffer);
    for (const size of [plain.length - 1, 1024 * 1024]) {
      const small = Buffer.allocUnsafeSlow(size);
      const out = unseal(keys, 'chunk', 'c4', sealed, 8 << 20, plain.length, small);
      expect(out.buffer).not.toBe(small.buffer);
      expect(out.equals(plain)).toBe(true);
    }
  });

  it('still refuses output beyond maxSize, however large the memory', () => {
    const into = chunkBuffer(8 << 20);
    expect(() => unseal(keys, 'chunk', 'c4', sealed, 1 << 20, plain.length, into)).toThrow(/cannot decompress/);
  });

  it('fails on data that is not zstd, and decompresses the next chunk right', () => {
    // An unencrypted object whose checksum is right but whose body, flagged zstd, is not: only a writer with the
    // repository's keys could make one, and unseal must still fail cleanly rather than return garbage.
    const header = Buffer.from('BDR1\0', 'latin1');
    const body = Buffer.concat([Buffer.from([1]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), randomBytes(5000)]);
    const sum = createHash('sha256')
      .update(Buffer.concat([header, Buffer.from('backdrill/v1/chunk/bad', 'utf8')]))
      .update(body)
      .digest();
    const bad = Buffer.concat([header, sum, body]);
    const plainKeys: MasterKeys = { encryption: null, chunkId: keys.chunkId };
    expect(() => unseal(plainKeys, 'chunk', 'bad', bad, 8 << 20, 2 << 20, largeBuffer(2 << 20))).toThrow(
      /chunk bad: cannot decompress/,
    );
    const into = largeBuffer(4 << 20);
    const out = unseal(keys, 'chunk', 'c4', sealed, 8 << 20, plain.length, into);
    expect(out.buffer).toBe(into.buffer);
    expect(out.equals(plain)).toBe(true);
  });
});

describe('large buffers', () => {
  const HUGE = 2 * 1024 * 1024;

  it('asks for whole 2 MiB huge pages less malloc’s page from 1 MiB up, and the exact size below', () => {
    expect(largeCapacity(1000)).toBe(1000);
    expect(largeCapacity(1024 * 1024 - 1)).toBe(1024 * 1024 - 1);
    for (const n of [1024 * 1024, HUGE - 4096, HUGE - 4095, HUGE, 5 * HUGE + 1, 8 * 1024 * 1024]) {
      const c = largeCapacity(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect((c + 4096) % HUGE).toBe(0);
      expect(c - n).toBeLessThan(HUGE);
    }
  });

  it('hands out a view of its own memory: transferable, and freed by release', () => {
    const b = largeBuffer(3 * 1024 * 1024 + 5);
    expect(b.length).toBe(3 * 1024 * 1024 + 5);
    expect(b.buffer.byteLength).toBe(largeCapacity(b.length));
    expect(ownsBuffer(b)).toBe(true);
    // A view of the start of memory that other views share is not owned: transferring it would empty them.
    const shared = Buffer.allocUnsafeSlow(4 * 1024 * 1024);
    expect(ownsBuffer(shared.subarray(0, 1024 * 1024))).toBe(false);
    expect(ownsBuffer(b.subarray(1))).toBe(false);
    release(b);
    expect(b.length).toBe(0);
  });

  it('unseal returns a sized chunk as the start of such memory, and seal takes one in', () => {
    const plain = compressible(2 * 1024 * 1024 + 99);
    const input = largeBuffer(plain.length);
    plain.copy(input);
    const sealed = seal(keys, 'chunk', 'c2', input, 1);
    const out = unseal(keys, 'chunk', 'c2', sealed, 8 << 20, plain.length);
    expect(out.equals(plain)).toBe(true);
    expect(ownsBuffer(out)).toBe(true);
    expect(out.buffer.byteLength).toBe(largeCapacity(plain.length));
  });

  it("never takes a small chunk's memory for its own: it may be a slice of Node's shared pool", () => {
    for (const size of [100, 2000, 4000]) {
      const plain = compressible(size);
      const out = unseal(keys, 'chunk', 'c3', seal(keys, 'chunk', 'c3', Buffer.from(plain), 1), 8 << 20, size);
      expect(out.equals(plain)).toBe(true);
      expect(ownsBuffer(out)).toBe(out.byteOffset === 0 && out.byteLength === out.buffer.byteLength);
      expect(ownsBuffer(Buffer.from(out.buffer, 0, 1))).toBe(out.buffer.byteLength === 1);
    }
  });
});
