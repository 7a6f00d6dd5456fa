// The exact text encoding of Cypher property values used by the logical export, and its inverse. Every value the
// server can store round-trips bit for bit: integers beyond 2^53, NaN / ±Infinity / -0.0, byte arrays, every
// temporal type with nanoseconds and its zone, points with SRID. The encoding is canonical (map keys sorted, one
// spelling per value), so the fingerprint hashes the same text the export writes.
//
// JSON with tagged objects: a string, a boolean or a finite non-negative-zero float is itself; a list is an array;
// everything else is an object with one tag key:
//   {"i":"-12"} integer          {"f":"NaN"|"Infinity"|"-Infinity"|"-0"} float JSON cannot spell
//   {"b":"AQID"} bytes (base64)   {"date":[y,m,d]}  {"ltime":[h,m,s,ns]}  {"time":[h,m,s,ns,offsetSeconds]}
//   {"ldt":[y,mo,d,h,mi,s,ns]}   {"dt":[y,mo,d,h,mi,s,ns,offsetSeconds]} DateTime with an offset
//   {"dtz":["epochSecondUtc",ns,"Europe/Berlin"]} DateTime with a named zone (the instant, as Bolt carries it)
//   {"dur":["months","days","seconds",ns]}  {"pt":[srid,x,y]} or {"pt":[srid,x,y,z]}
import { Date as CypherDate, DateTime, Duration, isInt, LocalDateTime, LocalTime, Point, Time } from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';

/** A value as the driver hands it over (with useBigInt) and takes it back as a parameter. */
export type CypherValue = unknown;

function big(x: unknown): bigint {
  if (typeof x === 'bigint') return x;
  if (typeof x === 'number') return BigInt(x);
  if (isInt(x)) return x.toBigInt();
  throw new TypeError(`expected an integer field, got ${typeof x}`);
}

function num(x: unknown): number {
  return Number(big(x));
}

export function encodeFloat(x: number): string {
  if (Number.isFinite(x)) return x === 0 && 1 / x < 0 ? '{"f":"-0"}' : JSON.stringify(x);
  return Number.isNaN(x) ? '{"f":"NaN"}' : x > 0 ? '{"f":"Infinity"}' : '{"f":"-Infinity"}';
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for any Cypher year. */
function daysFromCivil(y: bigint, m: bigint, d: bigint): bigint {
  const yy = m <= 2n ? y - 1n : y;
  const era = (yy >= 0n ? yy : yy - 399n) / 400n;
  const yoe = yy - era * 400n;
  const mp = (m + 9n) % 12n;
  const doy = (153n * mp + 2n) / 5n + d - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}

function civilFromDays(z0: bigint): [bigint, bigint, bigint] {
  const z = z0 + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  return [m <= 2n ? yoe + era * 400n + 1n : yoe + era * 400n, m, d];
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Canonical JSON text of one property value; throws for a type a property cannot hold. */
export function encodeValue(v: CypherValue): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return encodeFloat(v);
    case 'bigint':
      return `{"i":"${v}"}`;
    default:
      break;
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + encodeValue(v[i]);
    return `${out}]`;
  }
  if (v instanceof Int8Array) {
    return `{"b":"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"}`;
  }
  if (isInt(v)) return `{"i":"${v.toString()}"}`;
  if (v instanceof DateTime) {
    const fields = [v.year, v.month, v.day, v.hour, v.minute, v.second].map(big) as [
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    if (v.timeZoneId) {
      // The driver derives the wall-clock fields and offset from the instant; local - offset is that instant again,
      // exactly, whatever the local time zone database says. The instant plus the zone id is what the server stores.
      const [y, mo, d, h, mi, s] = fields;
      const local = daysFromCivil(y, mo, d) * 86400n + h * 3600n + mi * 60n + s;
      const utc = local - big(v.timeZoneOffsetSeconds);
      return `{"dtz":["${utc}",${num(v.nanosecond)},${JSON.stringify(v.timeZoneId)}]}`;
    }
    return `{"dt":[${fields.join(',')},${num(v.nanosecond)},${num(v.timeZoneOffsetSeconds)}]}`;
  }
  if (v instanceof LocalDateTime) {
    return `{"ldt":[${[v.year, v.month, v.day, v.hour, v.minute, v.second, v.nanosecond].map(num).join(',')}]}`;
  }
  if (v instanceof CypherDate) return `{"date":[${[v.year, v.month, v.day].map(num).join(',')}]}`;
  if (v instanceof Time) {
    return `{"time":[${[v.hour, v.minute, v.second, v.nanosecond, v.timeZoneOffsetSeconds].map(num).join(',')}]}`;
  }
  if (v instanceof LocalTime) return `{"ltime":[${[v.hour, v.minute, v.second, v.nanosecond].map(num).join(',')}]}`;
  if (v instanceof Duration) {
    return `{"dur":["${big(v.months)}","${big(v.days)}","${big(v.seconds)}",${num(v.nanoseconds)}]}`;
  }
  if (v instanceof Point) {
    const coords = v.z === undefined ? [v.x, v.y] : [v.x, v.y, v.z];
    return `{"pt":[${num(v.srid)},${coords.map((c) => encodeFloat(Number(c))).join(',')}]}`;
  }
  const what = v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
  throw new BackdrillError('fatal', `cannot encode a Cypher value of type ${what}: backdrill does not know it yet`, {
    hint: 'report it with the server version; the export stops rather than lose the value',
  });
}

/** Property keys in canonical order with each value's encoding. */
export function encodeEntries(props: Record<string, CypherValue>): Array<[string, string]> {
  const keys = Object.keys(props).sort();
  return keys.map((k) => [k, encodeValue(props[k])]);
}

/** Canonical JSON text of a property map, from encodeEntries. */
export function propsJson(entries: Array<[string, string]>): string {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${v}`;
  }
  return `${out}}`;
}

function bad(json: unknown): never {
  throw new BackdrillError(
    'integrity',
    `the export holds a value backdrill cannot read: ${JSON.stringify(json).slice(0, 200)}`,
  );
}

function ints(a: unknown, n: number): number[] {
  if (!Array.isArray(a) || a.length !== n || !a.every((x) => typeof x === 'number' && Number.isInteger(x))) bad(a);
  return a as number[];
}

function decodeFloat(j: unknown): number {
  if (typeof j === 'number') return j;
  if (j !== null && typeof j === 'object' && 'f' in j) {
    switch ((j as { f: unknown }).f) {
      case 'NaN':
        return Number.NaN;
      case 'Infinity':
        return Number.POSITIVE_INFINITY;
      case '-Infinity':
        return Number.NEGATIVE_INFINITY;
      case '-0':
        return -0;
    }
  }
  return bad(j);
}

/** The driver value (a query parameter) for one encoded property value. */
export function decodeValue(j: unknown): CypherValue {
  switch (typeof j) {
    case 'string':
    case 'boolean':
    case 'number':
      return j;
    case 'object':
      break;
    default:
      bad(j);
  }
  if (j === null) bad(j);
  if (Array.isArray(j)) return j.map(decodeValue);
  const o = j as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) bad(j);
  const tag = keys[0]!;
  const a = o[tag];
  switch (tag) {
    case 'i':
      if (typeof a !== 'string' || !/^-?\d+$/.test(a)) bad(j);
      return BigInt(a);
    case 'f':
      return decodeFloat(j);
    case 'b':
      if (typeof a !== 'string') bad(j);
      return new Int8Array(Buffer.from(a, 'base64'));
    case 'date': {
      const [y, m, d] = ints(a, 3) as [number, number, number];
      return new CypherDate(y, m, d);
    }
    case 'ltime': {
      const [h, m, s, ns] = ints(a, 4) as [number, number, number, number];
      return new LocalTime(h, m, s, ns);
    }
    case 'time': {
      const [h, m, s, ns, off] = ints(a, 5) as [number, number, number, number, number];
      return new Time(h, m, s, ns, off);
    }
    case 'ldt': {
      const [y, mo, d, h, mi, s, ns] = ints(a, 7) as [number, number, number, number, number, number, number];
      return new LocalDateTime(y, mo, d, h, mi, s, ns);
    }
    case 'dt': {
      const f = ints(a, 8) as [number, number, number, number, number, number, number, number];
      return new DateTime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }
    case 'dtz': {
      if (!Array.isArray(a) || a.length !== 3 || typeof a[0] !== 'string' || !/^-?\d+$/.test(a[0])) bad(j);
      const [, ns, zone] = a as [string, unknown, unknown];
      if (typeof ns !== 'number' || typeof zone !== 'string') bad(j);
      // Wall-clock fields in UTC with offset 0: the driver sends fields - offset, which is the instant itself.
      const utc = BigInt(a[0] as string);
      const days = floorDiv(utc, 86400n);
      const sod = utc - days * 86400n;
      const [y, m, d] = civilFromDays(days);
      return new DateTime(
        Number(y),
        Number(m),
        Number(d),
        Number(sod / 3600n),
        Number((sod % 3600n) / 60n),
        Number(sod % 60n),
        ns,
        0,
        zone,
      );
    }
    case 'dur': {
      if (!Array.isArray(a) || a.length !== 4) bad(j);
      const [mo, d, s, ns] = a as unknown[];
      for (const x of [mo, d, s]) if (typeof x !== 'string' || !/^-?\d+$/.test(x)) bad(j);
      if (typeof ns !== 'number') bad(j);
      return new Duration(BigInt(mo as string), BigInt(d as string), BigInt(s as string), BigInt(ns));
    }
    case 'pt': {
      if (!Array.isArray(a) || (a.length !== 3 && a.length !== 4) || typeof a[0] !== 'number') bad(j);
      const [srid, ...coords] = a as [number, ...unknown[]];
      const [x, y, z] = coords.map(decodeFloat) as [number, number, number | undefined];
      return new Point(srid, x, y, z);
    }
    default:
      return bad(j);
  }
}

/** Decodes an encoded property map in place (a "__proto__" key stays an ordinary property). */
export function decodeProps(p: unknown): Record<string, CypherValue> {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) bad(p);
  const o = p as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') continue;
    if (k === '__proto__') Object.defineProperty(o, k, { value: decodeValue(v), enumerable: true, writable: true });
    else o[k] = decodeValue(v);
  }
  return o;
}

/** Backtick-quotes a label, relationship type, property key or schema name for Cypher and for fingerprint names. */
export function quoteName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
