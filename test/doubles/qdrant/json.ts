// JSON as the Qdrant double reads and writes it. Qdrant (Rust, serde_json) keeps u64/i64 integers exactly and
// keeps an integral float (1.0) a float; JSON.parse does neither. Written independently of src/ on purpose: a
// bug in the adapter's own lossless JSON must not be mirrored here and cancel itself out in the tests.

/** A float whose value is integral (serde_json writes it as 1.0). */
export class DFloat {
  constructor(readonly value: number) {}
}

/** Marks a number to be written verbatim (vector values already formatted as float32 text). */
export class Verbatim {
  constructor(readonly text: string) {}
}

export type DJson = null | boolean | number | bigint | string | DFloat | DJson[] | { [key: string]: DJson };

export function dparse(text: string): DJson {
  const reviver = (_k: string, v: unknown, ctx?: { source?: string }): unknown => {
    if (typeof v !== 'number' || !ctx?.source) return v;
    const src = ctx.source;
    const isFloatLiteral = src.includes('.') || src.includes('e') || src.includes('E');
    if (isFloatLiteral) return Number.isInteger(v) ? new DFloat(v) : v;
    return Number.isSafeInteger(v) ? v : BigInt(src);
  };
  return JSON.parse(text, reviver as (this: unknown, key: string, value: unknown) => unknown) as DJson;
}

export function dstringify(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Verbatim) return v.text;
  if (v instanceof DFloat) {
    if (Object.is(v.value, -0)) return '-0.0';
    const s = String(v.value);
    return s.includes('e') || s.includes('.') ? s : `${s}.0`;
  }
  if (Array.isArray(v)) return `[${v.map(dstringify).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${dstringify(x)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof DFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return Number.NaN;
}

/** A float32 value as serde_json/ryu writes it: the shortest decimal that reads back as the same float32. */
export function f32Text(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`non-finite vector value ${x}`);
  if (Object.is(x, -0)) return '-0.0';
  // If p digits read back as x, so do p + 1: binary-search the shortest precision (9 always suffices).
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(x.toPrecision(mid))) === x) hi = mid;
    else lo = mid + 1;
  }
  const s = String(Number(x.toPrecision(lo)));
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}
