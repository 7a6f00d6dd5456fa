// Lossless JSON for Qdrant points. Qdrant ids are u64 and payload integers i64, and a payload float keeps its
// type even when integral (1.0 is not 1: `match` filters and integer indexes treat them differently). JSON.parse
// rounds integers above 2^53 and turns 1.0 into 1, so points are read and written through this module instead.
import { randomBytes } from 'node:crypto';

/** An integral number that was written as a float (1.0, 2e3): written back as a float. */
export class JsonFloat {
  constructor(readonly value: number) {}
}

/** JSON text inserted verbatim by stringifyLossless (a point line read back from an export). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonFloat
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Parses JSON keeping big integers (as bigint) and integral floats (as JsonFloat). A scan outside strings tags
 * only those number tokens, then the native parser does the work: 2-3x faster on vector-heavy pages than a
 * JSON.parse reviver reading each value's source text.
 */
export function parseLossless(text: string): JsonValue {
  const n = text.length;
  let parts: string[] | undefined;
  let tag = '';
  let last = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i) + 1;
      continue;
    }
    if (c !== 45 && (c < 48 || c > 57)) {
      i++;
      continue;
    }
    const start = i;
    let intDigits = c === 45 ? 0 : 1;
    let dot = false;
    let exp = false;
    let nonZeroFraction = false;
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d >= 48 && d <= 57) {
        if (exp) continue;
        if (dot) nonZeroFraction ||= d !== 48;
        else intDigits++;
      } else if (d === 46) dot = true;
      else if (d === 101 || d === 69 || ((d === 43 || d === 45) && exp)) exp = true;
      else break;
    }
    let kind = '';
    if (exp) kind = Number.isInteger(Number(text.slice(start, i))) ? 'f' : '';
    else if (dot) kind = nonZeroFraction ? '' : 'f';
    else if (intDigits >= 16 && !Number.isSafeInteger(Number(text.slice(start, i)))) kind = 'i';
    if (!kind) continue;
    if (!parts) {
      parts = [];
      // The JSON escape of NUL plus a random nonce: no payload string can start with it by accident.
      tag = `\\u0000${randomBytes(8).toString('hex')}:`;
    }
    parts.push(text.slice(last, start), `"${tag}${kind}${text.slice(start, i)}"`);
    last = i;
  }
  if (!parts) return JSON.parse(text) as JsonValue;
  parts.push(text.slice(last));
  const marker = JSON.parse(`"${tag}"`) as string;
  return untag(JSON.parse(parts.join('')) as JsonValue, marker);
}

/** Index of the quote that closes the string opening at `open`. */
function stringEnd(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  for (;;) {
    if (j < 0) return text.length;
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
}

function untag(v: JsonValue, marker: string): JsonValue {
  if (typeof v === 'string') {
    if (!v.startsWith(marker)) return v;
    const token = v.slice(marker.length + 1);
    return v[marker.length] === 'f' ? new JsonFloat(Number(token)) : BigInt(token);
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = untag(v[i]!, marker);
  } else if (v !== null && typeof v === 'object' && !(v instanceof JsonFloat)) {
    for (const k of Object.keys(v)) v[k] = untag(v[k]!, marker);
  }
  return v;
}

function writeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as JSON`);
  return JSON.stringify(n);
}

function writeFloat(n: number): string {
  if (Object.is(n, -0)) return '-0.0';
  const s = writeNumber(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * Writes JSON keeping what parseLossless kept. `sortKeys` gives the canonical form used for hashing; without it
 * object keys keep their order (payloads are restored as they were read).
 */
export function stringifyLossless(value: unknown, sortKeys = false): string {
  const out: string[] = [];
  write(value, out, sortKeys);
  return out.join('');
}

function write(value: unknown, out: string[], sortKeys: boolean): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    out.push(writeNumber(value));
  } else if (typeof value === 'bigint') {
    out.push(value.toString());
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (value instanceof JsonFloat) {
    out.push(writeFloat(value.value));
  } else if (value instanceof RawJson) {
    out.push(value.text);
  } else if (Array.isArray(value)) {
    // Vectors: arrays of plain numbers are the bulk of the data; the native writer is much faster for them.
    if (value.length > 0 && value.every((v) => typeof v === 'number')) {
      out.push(JSON.stringify(value));
      return;
    }
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      write(v, out, sortKeys);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (sortKeys) keys.sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write((value as Record<string, unknown>)[k], out, sortKeys);
    });
    out.push('}');
  } else {
    throw new Error(`cannot write a ${typeof value} as JSON`);
  }
}

/** The plain number of a JSON number as parseLossless returns it (vectors: floats, never big integers). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof JsonFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`expected a number, got ${typeof v}`);
}
