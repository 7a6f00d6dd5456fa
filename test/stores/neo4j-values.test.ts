// The Neo4j export's value encoding on its own (no server): every Cypher type decodes to what the driver would send
// back, the text is canonical (the fingerprint hashes it), and damaged text is refused rather than guessed at.
import { Date as CypherDate, DateTime, Duration, LocalDateTime, LocalTime, Point, Time } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { BackdrillError } from '../../src/errors.ts';
import { decodeProps, decodeValue, encodeEntries, encodeValue, propsJson } from '../../src/stores/neo4j/values.ts';

/** encode(decode(encode(v))) must be encode(v): the text is a fixed point, so nothing drifts across restores. */
function roundTrip(v: unknown): string {
  const text = encodeValue(v);
  expect(encodeValue(decodeValue(JSON.parse(text)))).toBe(text);
  return text;
}

describe('Neo4j value encoding', () => {
  it('keeps integers beyond 2^53 and floats JSON cannot spell', () => {
    expect(roundTrip(9007199254740993n)).toBe('{"i":"9007199254740993"}');
    expect(roundTrip(-9223372036854775808n)).toBe('{"i":"-9223372036854775808"}');
    expect(roundTrip(0.1)).toBe('0.1');
    expect(roundTrip(1)).toBe('1');
    expect(roundTrip(Number.MAX_VALUE)).toBe('1.7976931348623157e+308');
    expect(roundTrip(5e-324)).toBe('5e-324');
    expect(roundTrip(Number.NaN)).toBe('{"f":"NaN"}');
    expect(roundTrip(Number.POSITIVE_INFINITY)).toBe('{"f":"Infinity"}');
    expect(roundTrip(Number.NEGATIVE_INFINITY)).toBe('{"f":"-Infinity"}');
    expect(roundTrip(-0)).toBe('{"f":"-0"}');
    expect(Object.is(decodeValue({ f: '-0' }), -0)).toBe(true);
    // A float that looks integral stays a float (a JS number), an integer stays a bigint.
    expect(typeof decodeValue(JSON.parse(encodeValue(2)))).toBe('number');
    expect(typeof decodeValue(JSON.parse(encodeValue(2n)))).toBe('bigint');
  });

  it('keeps strings, booleans, bytes and lists of each', () => {
    for (const s of ['', 'héllo 🎉', 'a\u0000b', '"`\\\n', '日本語'])
      expect(decodeValue(JSON.parse(roundTrip(s)))).toBe(s);
    expect(roundTrip(true)).toBe('true');
    const bytes = new Int8Array([0, 1, -1, 127, -128]);
    expect(roundTrip(bytes)).toBe('{"b":"AAH/f4A="}');
    expect(decodeValue({ b: 'AAH/f4A=' })).toEqual(bytes);
    expect(roundTrip([1n, 2n])).toBe('[{"i":"1"},{"i":"2"}]');
    expect(roundTrip([1.5, -0, Number.NaN])).toBe('[1.5,{"f":"-0"},{"f":"NaN"}]');
    expect(roundTrip([])).toBe('[]');
    expect(roundTrip(['a', 'b'])).toBe('["a","b"]');
  });

  it('keeps every temporal type with nanoseconds, offsets and zones', () => {
    expect(roundTrip(new CypherDate(-999999999, 1, 1))).toBe('{"date":[-999999999,1,1]}');
    expect(roundTrip(new LocalTime(23, 59, 59, 999999999))).toBe('{"ltime":[23,59,59,999999999]}');
    expect(roundTrip(new Time(12, 0, 0, 1, -37800))).toBe('{"time":[12,0,0,1,-37800]}');
    expect(roundTrip(new LocalDateTime(2024, 2, 29, 0, 0, 0, 1))).toBe('{"ldt":[2024,2,29,0,0,0,1]}');
    expect(roundTrip(new DateTime(999999999, 12, 31, 23, 59, 59, 999999999, 50400))).toBe(
      '{"dt":[999999999,12,31,23,59,59,999999999,50400]}',
    );
    // 2022-10-30 02:30 happens twice in Berlin; the offset the driver reports picks the first (CEST, +2h).
    const zoned = new DateTime(2022, 10, 30, 2, 30, 0, 5, 7200, 'Europe/Berlin');
    expect(roundTrip(zoned)).toBe('{"dtz":["1667089800",5,"Europe/Berlin"]}');
    const later = new DateTime(2022, 10, 30, 2, 30, 0, 5, 3600, 'Europe/Berlin');
    expect(roundTrip(later)).toBe('{"dtz":["1667093400",5,"Europe/Berlin"]}');
    // Before 1970 and before year 1: the instant arithmetic is exact on both sides of the epoch.
    const idesOfMarch = new Date(0);
    idesOfMarch.setUTCFullYear(-44, 2, 15);
    idesOfMarch.setUTCHours(12, 0, 0, 0);
    expect(roundTrip(new DateTime(-44, 3, 15, 12, 0, 0, 0, 0, 'UTC'))).toBe(
      `{"dtz":["${idesOfMarch.getTime() / 1000}",0,"UTC"]}`,
    );
    expect(roundTrip(new Duration(14n, -3n, 9223372036854775807n, 999999999n))).toBe(
      '{"dur":["14","-3","9223372036854775807",999999999]}',
    );
  });

  it('keeps points of every SRID, 2D and 3D', () => {
    expect(roundTrip(new Point(7203, 1.5, -0))).toBe('{"pt":[7203,1.5,{"f":"-0"}]}');
    expect(roundTrip(new Point(9157, 1, 2, 3))).toBe('{"pt":[9157,1,2,3]}');
    expect(roundTrip(new Point(4326, 12.5, 56.1))).toBe('{"pt":[4326,12.5,56.1]}');
    expect(roundTrip(new Point(4979, -180, 90, 1e6))).toBe('{"pt":[4979,-180,90,1000000]}');
  });

  it('writes property maps in one canonical order, whatever the keys look like', () => {
    const a = { b: 1n, a: 'x', '10': true, '9': false, 'x y': 0.5, '`': [], __proto__x: 1 };
    const b = Object.fromEntries(Object.entries(a).reverse());
    expect(propsJson(encodeEntries(a))).toBe(propsJson(encodeEntries(b)));
    // String order, not JavaScript's integer-keys-first object order.
    expect(propsJson(encodeEntries({ '9': 1.5, '10': 2.5 }))).toBe('{"10":2.5,"9":1.5}');
  });

  it('decodes a "__proto__" property key as a plain property', () => {
    const props = decodeProps(JSON.parse('{"__proto__":{"i":"7"},"k":"v"}'));
    expect(Object.keys(props)).toEqual(['__proto__', 'k']);
    expect(Object.getOwnPropertyDescriptor(props, '__proto__')?.value).toBe(7n);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });

  it('refuses damaged or unknown encodings instead of guessing', () => {
    for (const bad of [
      null,
      { i: '1.5' },
      { f: 'nan' },
      { date: [1, 2] },
      { x: 1 },
      { i: '1', f: 'NaN' },
      { dtz: [1, 0, 'UTC'] },
    ]) {
      expect(() => decodeValue(bad), JSON.stringify(bad)).toThrow(BackdrillError);
    }
    expect(() => encodeValue({ nested: 'map' })).toThrow(/cannot encode a Cypher value of type Object/);
  });
});
