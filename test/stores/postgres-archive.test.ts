// The PostgreSQL row hash (rowhash.wat) and the pg_dump archive reader that feeds it while a backup streams:
// hashes that depend on the rows only (not their order, not how the bytes are split), archives from the real
// pg_dump read in pieces of any size, and clear errors for archives backdrill cannot fingerprint.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustomArchivePrinter } from '../../src/stores/postgres/archive.ts';
import {
  copyTablePrint,
  dataTables,
  dumpSessionSettings,
  largeObjectsPrint,
} from '../../src/stores/postgres/fingerprint.ts';
import { RowHasher } from '../../src/stores/postgres/rowhash.ts';
import { freshDatabase, services } from '../services/context.ts';
import { clientConfig } from '../services/postgres.ts';

const exec = promisify(execFile);

function hashRows(...pieces: Array<string | Buffer | Buffer[]>): { count: number; hash: string } {
  const h = new RowHasher();
  for (const p of pieces.flat()) h.rows(typeof p === 'string' ? Buffer.from(p) : p);
  return h.digest();
}

/** Deterministic COPY-like rows of varied lengths (0 to ~300 bytes), some with escapes. */
function sampleRows(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = createHash('sha256').update(String(i)).digest('hex');
    return `${i}\t${d.slice(0, i % 61)}\t\\N\t${'x'.repeat((i * 37) % 240)}\\n${d.slice(5, 9)}`;
  });
}

describe('row hash', () => {
  const rows = sampleRows(2000);
  const text = `${rows.join('\n')}\n`;
  const whole = hashRows(text);

  it('counts rows and does not depend on their order or on where the bytes are split', () => {
    expect(whole.count).toBe(2000);
    expect(hashRows(`${[...rows].reverse().join('\n')}\n`)).toEqual(whole);
    const buf = Buffer.from(text);
    for (const step of [1, 3, 7, 8, 9, 64, 4095]) {
      const parts: Buffer[] = [];
      for (let o = 0; o < buf.length; o += step) parts.push(buf.subarray(o, o + step));
      expect(hashRows(parts), `pieces of ${step}`).toEqual(whole);
    }
  });

  it('one changed byte, a lost row, a duplicated row or two swapped cells change it', () => {
    const variants = [
      text.replace('\t\\N\t', '\t\\M\t'),
      `${rows.slice(1).join('\n')}\n`,
      `${rows.join('\n')}\n${rows[5]}\n`,
      text.replace(
        `${rows[3]}\n${rows[4]}`,
        `${rows[4]!.split('\t')[0]}\t${rows[3]!.split('\t').slice(1).join('\t')}\n${rows[3]!.split('\t')[0]}\t${rows[4]!.split('\t').slice(1).join('\t')}`,
      ),
    ];
    for (const v of variants) expect(hashRows(v).hash).not.toBe(whole.hash);
    expect(hashRows('a\tb\n').hash).not.toBe(hashRows('a\tb \n').hash);
  });

  it("stops at pg_dump's end-of-data line; empty rows (tables without columns) count", () => {
    expect(hashRows('a\n\\.\n\n\n')).toEqual(hashRows('a\n'));
    expect(hashRows('\n\n\n').count).toBe(3);
    const h = new RowHasher();
    h.rows(Buffer.from('a\nb'));
    expect(h.partial).toBe(true);
  });
});

describe('pg_dump archives (real pg_dump)', () => {
  let db: string;
  let dump: Buffer;

  beforeAll(async () => {
    const info = services().postgres;
    db = (await freshDatabase('archive')).name;
    const c = new pg.Client(clientConfig(info, db));
    await c.connect();
    await c.query(`CREATE TABLE t (id int, v text, b bytea, at timestamptz, f float8);
      INSERT INTO t SELECT i, repeat(md5(i::text), i % 9), decode(md5(i::text), 'hex'), '2024-01-01'::timestamptz + i * interval '1 hour', i / 7.0
        FROM generate_series(1, 20000) i;
      CREATE TABLE "Odd ""name"""("ключ" text); INSERT INTO "Odd ""name""" VALUES (E'line\\nbreak'), ('tab\tin');
      CREATE TABLE no_columns(); INSERT INTO no_columns DEFAULT VALUES; INSERT INTO no_columns DEFAULT VALUES;
      CREATE TABLE empty (x int);
      SELECT lo_from_bytea(0, 'large object bytes');`);
    await c.end();
    const env = { ...process.env, PGPASSWORD: info.password, PGTZ: 'UTC' };
    const args = ['-h', info.host, '-p', String(info.port), '-U', info.user, '-Fc', '-Z0', db];
    dump = (await exec(join(info.binDir, 'pg_dump'), args, { env, encoding: 'buffer', maxBuffer: 1 << 30 })).stdout;
  });

  /** What COPY ... TO STDOUT gives for every table, hashed the same way, in pg_dump's session settings. */
  async function copyPrints(): Promise<Record<string, { count: number; hash: string }>> {
    const info = services().postgres;
    const c = new pg.Client(clientConfig(info, db));
    await c.connect();
    try {
      await c.query('BEGIN');
      for (const s of dumpSessionSettings({ encoding: 'UTF8', byteaOutput: 'hex', lcMonetary: 'C' })) await c.query(s);
      const out: Record<string, { count: number; hash: string }> = {};
      for (const t of await dataTables(c)) out[`${t.nspname}.${t.relname}`] = await copyTablePrint(c, t, 'UTF8');
      out['large objects'] = (await largeObjectsPrint(c)).digest();
      return out;
    } finally {
      await c.end();
    }
  }

  function read(pieceSize: number): Record<string, { count: number; hash: string }> {
    const p = new CustomArchivePrinter(() => true);
    for (let o = 0; o < dump.length; o += pieceSize) p.push(dump.subarray(o, o + pieceSize));
    p.end();
    return {
      ...Object.fromEntries(
        p.tables.map((t) => [`${t.entry.namespace}.${t.entry.tag}`, { count: t.count, hash: t.hash }]),
      ),
      'large objects': p.largeObjects.digest(),
    };
  }

  it('hashes every table exactly as COPY from the live database does, whatever the piece size', async () => {
    const want = await copyPrints();
    expect(want['public.t']!.count).toBe(20000);
    expect(want['public.no_columns']!.count).toBe(2);
    expect(want['public.empty']!.count).toBe(0);
    expect(want['large objects']!.count).toBe(1);
    for (const size of [1, 5, 6, 4096, 65536, dump.length]) expect(read(size), `pieces of ${size}`).toEqual(want);
  });

  it('tells where each data block starts as soon as its header has passed, and where it ends once read', () => {
    for (const size of [1, 6, 4096, dump.length]) {
      const seen: string[] = [];
      let pushed = 0;
      let headRead = 0;
      const p = new CustomArchivePrinter(() => false, {
        head: () => {
          headRead = pushed;
        },
        blockStart: (e, start) => {
          // The block's 6-byte header (type, dump id) is in; once the TOC has been read (parsing it may wait for
          // more bytes than it needs), so is none of what follows but the rest of that piece.
          expect(start + 6).toBeLessThanOrEqual(pushed);
          if (start >= headRead) expect(start + 6).toBeGreaterThan(pushed - size);
          seen.push(`start ${e.dumpId} ${start}`);
        },
        block: (e, start, end) => seen.push(`end ${e.dumpId} ${start} ${end}`),
      });
      for (let o = 0; o < dump.length; o += size) {
        pushed = Math.min(o + size, dump.length);
        p.push(dump.subarray(o, o + size));
      }
      p.end();
      const blocks = p.header!.toc.filter((e) => e.hadDumper).length;
      expect(seen.length, `pieces of ${size}`).toBe(2 * blocks);
      // Blocks follow each other: each ends before the next starts, where the next one starts.
      for (let i = 0; i < seen.length; i += 2) {
        const [, id, start] = seen[i]!.split(' ');
        const [end, endId, endStart, endAt] = seen[i + 1]!.split(' ');
        expect([end, endId, endStart]).toEqual(['end', id, start]);
        if (i + 2 < seen.length) expect(seen[i + 2]!.split(' ')[2]).toBe(endAt);
      }
    }
  });

  it('a truncated archive, a compressed one and something that is not an archive are refused clearly', async () => {
    const cut = new CustomArchivePrinter(() => true);
    cut.push(dump.subarray(0, dump.length - 3));
    expect(() => cut.end()).toThrow(/ended inside a data block/);

    const info = services().postgres;
    const env = { ...process.env, PGPASSWORD: info.password };
    const args = ['-h', info.host, '-p', String(info.port), '-U', info.user, '-Fc', '-Z6', db];
    const zipped = (await exec(join(info.binDir, 'pg_dump'), args, { env, encoding: 'buffer', maxBuffer: 1 << 30 }))
      .stdout;
    expect(() => {
      const p = new CustomArchivePrinter(() => true);
      p.push(zipped);
      p.end();
    }).toThrow(/compressed/);

    expect(() => {
      const p = new CustomArchivePrinter(() => true);
      p.push(Buffer.from('-- plain SQL dump\nCREATE TABLE x ();\n'));
      p.end();
    }).toThrow(/not a pg_dump archive/);
  });
});
