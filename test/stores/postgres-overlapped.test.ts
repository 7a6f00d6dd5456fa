// Restoring a custom-format archive while it streams in (overlapped.ts), against the real server: a table's rows
// load while its data block is still arriving, and an archive that fails mid-block leaves no pg_restore running
// and nothing reported as restored.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustomArchivePrinter } from '../../src/stores/postgres/archive.ts';
import { overlappedRestore, type PgRestoreRun } from '../../src/stores/postgres/overlapped.ts';
import { tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { clientConfig } from '../services/postgres.ts';

const exec = promisify(execFile);
const PIECE = 64 * 1024;

let dump: Buffer;
/** Where the big table's data block lies in the archive. */
let big: { start: number; end: number };

beforeAll(async () => {
  const info = services().postgres;
  const db = (await freshDatabase('overlap')).name;
  const c = new pg.Client(clientConfig(info, db));
  await c.connect();
  await c.query(
    `CREATE TABLE small (id int PRIMARY KEY, v text);
     INSERT INTO small SELECT i, md5(i::text) FROM generate_series(1, 1000) i;
     CREATE TABLE big (id int PRIMARY KEY, v text);
     INSERT INTO big SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 200000) i;`,
  );
  await c.end();
  dump = await pgDump(db);
  const printer = new CustomArchivePrinter(() => false, {
    block: (e, start, end) => {
      if (e.tag === 'big') big = { start, end };
    },
  });
  printer.push(dump);
  printer.end();
  expect(big.end - big.start).toBeGreaterThan(20 * PIECE);
});

/** Piped out of pg_dump, as backdrill takes it: no data offsets in the TOC. */
async function pgDump(db: string): Promise<Buffer> {
  const info = services().postgres;
  const env = { ...process.env, PGPASSWORD: info.password };
  const args = ['-h', info.host, '-p', String(info.port), '-U', info.user, '-Fc', '-Z0', db];
  return (await exec(join(info.binDir, 'pg_dump'), args, { env, encoding: 'buffer', maxBuffer: 1 << 30 })).stdout;
}

/**
 * A database of `tables` (name, rows of ~140 bytes), dumped as backdrill takes it, with where each table's data block
 * lies in the archive (and its dump ID).
 */
async function archiveOf(
  name: string,
  tables: Array<[string, number]>,
): Promise<{ archive: Buffer; blocks: Map<string, { dumpId: number; start: number; end: number }> }> {
  const source = (await freshDatabase(name)).name;
  const c = new pg.Client(clientConfig(services().postgres, source));
  await c.connect();
  for (const [table, rows] of tables) {
    await c.query(`CREATE TABLE ${table} (id int, v text);
      INSERT INTO ${table} SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, ${rows}) i;`);
  }
  await c.end();
  const archive = await pgDump(source);
  const blocks = new Map<string, { dumpId: number; start: number; end: number }>();
  const printer = new CustomArchivePrinter(() => false, {
    block: (e, start, end) => {
      if (e.tag) blocks.set(e.tag, { dumpId: e.dumpId, start, end });
    },
  });
  printer.push(archive);
  printer.end();
  return { archive, blocks };
}

/** Row counts of `tables` in the database `c` is connected to. */
async function counts(c: pg.Client, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n as number;
  return out;
}

/**
 * Restores `archive` into a fresh database with the second half of `table`'s data block held back until that
 * table's rows are arriving and `during` has looked; returns the pg_restore runs and the row count of every table.
 */
async function restoreHeldBack(
  a: Awaited<ReturnType<typeof archiveOf>>,
  table: string,
  during: (c: pg.Client) => Promise<void>,
  dataBytes?: ReadonlyMap<number, number>,
): Promise<{ runs: PgRestoreRun[]; rows: Record<string, number> }> {
  const b = a.blocks.get(table)!;
  const target = await freshDatabase(`${table}_target`);
  const t = new pg.Client(target.config);
  await t.connect();
  try {
    const s = stoppingSource(b.start + Math.floor((b.end - b.start) / 2), a.archive);
    const restoring = restoreInto(target.name, s.source, dataBytes);
    await rowsArriving(t, table);
    await during(t);
    s.resume();
    const runs = await restoring;
    expect(runs.filter((r) => r.code !== 0)).toEqual([]);
    return { runs, rows: await counts(t, [...a.blocks.keys()]) };
  } finally {
    await t.end();
  }
}

/** The archive in pieces, stopping at `at` until resume() (go on) or fail() (the source throws). */
function stoppingSource(at: number, archive: Buffer = dump) {
  let go!: (fail?: Error) => void;
  const gate = new Promise<Error | undefined>((resolve) => {
    go = resolve;
  });
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let o = 0; o < archive.length; o += PIECE) {
      const end = Math.min(o + PIECE, archive.length);
      if (o < at && at <= end) {
        yield archive.subarray(o, at);
        const err = await gate;
        if (err) throw err;
        yield archive.subarray(at, end);
      } else {
        yield archive.subarray(o, end);
      }
    }
  }
  return { source: source(), resume: () => go(), fail: (err: Error) => go(err) };
}

async function restoreInto(
  database: string,
  source: AsyncIterable<Uint8Array>,
  dataBytes?: ReadonlyMap<number, number>,
) {
  const info = services().postgres;
  const env = {
    ...process.env,
    PGHOST: info.host,
    PGPORT: String(info.port),
    PGUSER: info.user,
    PGPASSWORD: info.password,
  };
  return overlappedRestore({
    source,
    file: join(tempDir(), 'archive.dump'),
    pgRestore: join(info.binDir, 'pg_restore'),
    env,
    database,
    jobs: 2,
    dataBytes,
  });
}

/** Waits until a COPY into `table` of `db` has taken rows; fails after 30 s. */
async function rowsArriving(c: pg.Client, table: string): Promise<number> {
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    const r = await c.query(
      `SELECT tuples_processed::int AS n FROM pg_stat_progress_copy p JOIN pg_class k ON k.oid = p.relid
        WHERE p.datname = current_database() AND k.relname = $1`,
      [table],
    );
    if (r.rows[0]?.n > 0) return r.rows[0].n as number;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no rows arrived in ${table} within 30 s`);
}

function pgRestoresFor(db: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('pg_restore') && l.includes(db));
}

/**
 * Starts restoring the archive into a fresh database with the second half of big's block held back, and runs
 * `check` with a client of that database while the restore is under way.
 */
async function withHeldBackRestore(
  check: (c: pg.Client, s: ReturnType<typeof stoppingSource>, restoring: Promise<PgRestoreRun[]>) => Promise<void>,
): Promise<void> {
  const target = await freshDatabase('target');
  const c = new pg.Client(target.config);
  await c.connect();
  try {
    const s = stoppingSource(big.start + Math.floor((big.end - big.start) / 2));
    await check(c, s, restoreInto(target.name, s.source));
  } finally {
    await c.end();
  }
}

describe('overlapped restore of a streaming custom-format archive (real server)', () => {
  it("loads a table's rows while its data block is still arriving", async () => {
    await withHeldBackRestore(async (c, s, restoring) => {
      // Half of big's block is on disk and the rest is held back: its rows are going in already.
      expect(await rowsArriving(c, 'big')).toBeGreaterThan(0);
      s.resume();
      const runs = await restoring;
      expect(runs.filter((r) => r.code !== 0)).toEqual([]);
      expect(runs.map((r) => r.what)).toContain('data of big');
      const counts = await c.query(
        'SELECT (SELECT count(*) FROM small)::int AS small, (SELECT count(*) FROM big)::int AS big',
      );
      expect(counts.rows[0]).toEqual({ small: 1000, big: 200000 });
      // post-data ran after the rows: big's primary key is there.
      const pk = await c.query("SELECT 1 FROM pg_constraint WHERE conname = 'big_pkey'");
      expect(pk.rowCount).toBe(1);
    });
  });

  it('tables waiting when the archive is complete load beside the one still loading, not behind it', async () => {
    const a = await archiveOf('order', [
      ['a_first', 150_000],
      ['b_big', 150_000],
      ['c_mid', 30_000],
    ]);
    // a_first loads while the archive streams (it is the first table), held back half way; the rest then arrives
    // at once. b_big and c_mid wait for a slot: each must get a pg_restore of its own (one of them beside a_first),
    // not both one after the other in the single slot that was free when the archive was complete.
    const { runs, rows } = await restoreHeldBack(a, 'a_first', async () => {});
    const data = runs.map((r) => r.what).filter((w) => w.startsWith('data of'));
    expect(data.sort()).toEqual(['data of a_first', 'data of b_big', 'data of c_mid']);
    expect(rows).toEqual({ a_first: 150_000, b_big: 150_000, c_mid: 30_000 });
  });

  it('with the sizes the backup recorded, the largest table loads first, before smaller ones that arrived earlier', async () => {
    const a = await archiveOf('largest', [
      ['a_small', 1_000],
      ['b_huge', 150_000],
      ['c_mid', 20_000],
    ]);
    const dataBytes = new Map([...a.blocks.values()].map((b) => [b.dumpId, b.end - b.start]));
    // b_huge's rows go in while its block arrives; a_small, whole on disk since before, waits: the one slot
    // beside reading the archive is b_huge's.
    const { rows } = await restoreHeldBack(
      a,
      'b_huge',
      async (t) => expect(await counts(t, ['a_small'])).toEqual({ a_small: 0 }),
      dataBytes,
    );
    expect(rows).toEqual({ a_small: 1_000, b_huge: 150_000, c_mid: 20_000 });
  });

  it('an archive that fails mid-block fails the restore, leaves no pg_restore running and no rows of that table', async () => {
    await withHeldBackRestore(async (c, s, restoring) => {
      const target = (await c.query('SELECT current_database() AS db')).rows[0].db as string;
      const outcome = restoring.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await rowsArriving(c, 'big');
      expect(pgRestoresFor(target).length).toBeGreaterThan(0);
      s.fail(new Error('chunk 41 of the archive failed its integrity check'));
      expect(await outcome).toMatchObject({ message: 'chunk 41 of the archive failed its integrity check' });
      expect(pgRestoresFor(target)).toEqual([]);
      // The server ends the killed COPY's session; until then its rows would not be visible anyway.
      for (let i = 0; i < 100; i++) {
        const others = await c.query(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        if (others.rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await c.query('SELECT count(*)::int AS n FROM big')).rows[0].n).toBe(0);
    });
  });
});
