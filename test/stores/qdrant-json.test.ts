// The Qdrant store's lossless JSON and canonical forms: what they keep (u64 ids, i64 payload integers, integral
// floats, -0.0, strings that look like numbers) and what the fingerprint treats as equal (float32 bits, sparse
// order, the unnamed vector however it is spelled).
import { describe, expect, it } from 'vitest';
import { canonicalPoint, canonicalVectors } from '../../src/stores/qdrant/canonical.ts';
import { JsonFloat, parseLossless, stringifyLossless } from '../../src/stores/qdrant/json.ts';

/** An independent reference: JSON.parse with a source-text reviver. */
function reference(text: string): unknown {
  const reviver = (_k: string, v: unknown, ctx?: { source?: string }) => {
    if (typeof v !== 'number' || !ctx?.source) return v;
    if (/[.eE]/.test(ctx.source)) return Number.isInteger(v) ? new JsonFloat(v) : v;
    return Number.isSafeInteger(v) ? v : BigInt(ctx.source);
  };
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown);
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Random JSON text with the tricky parts: escapes, digits in strings, integral floats, exponents, big integers. */
function randomJson(rnd: () => number, depth: number): string {
  const pick = Math.floor(rnd() * (depth > 3 ? 8 : 10));
  const strings = ['"a"', '"1.0"', '"x\\"1.0\\""', '"\\\\"', '"tab\\t\\u00e9"', '"名前 🚀"', '"-12e3"', '""'];
  const numbers = [
    '0',
    '-0',
    '1.0',
    '-0.0',
    '2.50',
    '1e3',
    '1.5e-3',
    '-2E+2',
    '12345678901234567890',
    '-9223372036854775808',
    '9007199254740991',
    '0.1',
    '3.000',
  ];
  switch (pick) {
    case 0:
    case 1:
      return strings[Math.floor(rnd() * strings.length)]!;
    case 2:
    case 3:
    case 4:
      return numbers[Math.floor(rnd() * numbers.length)]!;
    case 5:
      return ['true', 'false', 'null'][Math.floor(rnd() * 3)]!;
    case 6:
    case 7:
      return `${rnd() < 0.5 ? ' ' : ''}{${Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => `${strings[i % strings.length]!.replace(/^"/, `"k${i}`)}:${randomJson(rnd, depth + 1)}`).join(',')}}`;
    default:
      return `[${Array.from({ length: Math.floor(rnd() * 5) }, () => randomJson(rnd, depth + 1)).join(', ')}]`;
  }
}

describe('Qdrant lossless JSON', () => {
  it('parses like the reference and writes back what it read, for a thousand random documents', () => {
    const rnd = prng(7);
    for (let i = 0; i < 1000; i++) {
      const text = randomJson(rnd, 0);
      const parsed = parseLossless(text);
      expect(stringifyLossless(parsed)).toBe(stringifyLossless(reference(text)));
      expect(stringifyLossless(parseLossless(stringifyLossless(parsed)))).toBe(stringifyLossless(parsed));
    }
  });

  it('keeps u64 ids, i64 payload integers, integral floats and negative zero; leaves strings alone', () => {
    const text =
      '{"id":18446744073709551615,"p":{"big":-9223372036854775808,"f":1.0,"e":2e3,"z":-0.0,"s":"1.0 \\" 99999999999999999999"}}';
    expect(stringifyLossless(parseLossless(text))).toBe(
      '{"id":18446744073709551615,"p":{"big":-9223372036854775808,"f":1.0,"e":2000.0,"z":-0.0,"s":"1.0 \\" 99999999999999999999"}}',
    );
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(stringifyLossless(parseLossless('{"b":{"d":1,"c":[{"y":1,"x":2}]},"a":1.0}'), true)).toBe(
      '{"a":1.0,"b":{"c":[{"x":2,"y":1}],"d":1}}',
    );
  });
});

describe('Qdrant canonical points', () => {
  it('compares vectors as float32: two spellings of the same float32 value are the same point', () => {
    const a = parseLossless('{"id":1,"payload":{},"vector":[0.1,1.0]}') as never;
    const b = parseLossless('{"id":1,"payload":{},"vector":[0.10000000149011612,1]}') as never;
    expect(canonicalPoint(a)).toBe(canonicalPoint(b));
    const c = parseLossless('{"id":1,"payload":{},"vector":[0.1000001,1.0]}') as never;
    expect(canonicalPoint(c)).not.toBe(canonicalPoint(a));
  });

  it('treats an unnamed vector the same whether returned bare or under the name ""', () => {
    expect(canonicalVectors([1, 2])).toEqual(canonicalVectors({ '': [1, 2] }));
  });

  it('orders sparse vectors by index, and tells dense, multi and sparse apart', () => {
    expect(canonicalVectors({ s: { indices: [5, 1], values: [0.5, 2] } })).toEqual(
      canonicalVectors({ s: { indices: [1, 5], values: [2, 0.5] } }),
    );
    const kinds = [
      canonicalVectors({ v: [1, 2] }).v,
      canonicalVectors({ v: [[1, 2]] }).v,
      canonicalVectors({ v: { indices: [0, 1], values: [1, 2] } }).v,
    ];
    expect(new Set(kinds).size).toBe(3);
  });

  it('tells a payload float 1.0 from the integer 1, and a UUID id from its integer look-alike', () => {
    const f = parseLossless('{"id":1,"payload":{"x":1.0}}') as never;
    const i = parseLossless('{"id":1,"payload":{"x":1}}') as never;
    expect(canonicalPoint(f)).not.toBe(canonicalPoint(i));
    expect(canonicalPoint({ id: '00000000-0000-0000-0000-000000000001', payload: {} })).not.toBe(
      canonicalPoint({ id: 1, payload: {} }),
    );
  });
});
