// Restoring a custom-format archive while it streams in (overlapped.ts), against the real server: a table's rows
// load while its data block is still arriving, and an archive that fails mid-block leaves no pg_restore running
// and nothing reported as restored.
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustomArchivePrinter } from '../../src/stores/postgres/archive.ts';
import { type BlockPlace, overlappedRestore, type PgRestoreRun } from '../../src/stores/postgres/overlapped.ts';
import { tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { clientConfig } from '../services/postgres.ts';

const exec = promisify(execFile);
const PIECE = 64 * 1024;

let dump: Buffer;
/** Where the big table's data block lies in the archive. */
let big: { start: number; end: number };
/** Where the archive's first data block starts (the head, TOC and all, is before it). */
let firstBlock = Number.POSITIVE_INFINITY;

beforeAll(async () => {
  const info = services().postgres;
  const db = (await freshDatabase('overlap')).name;
  const c = new pg.Client(clientConfig(info, db));
  await c.connect();
  await c.query(
    `CREATE TABLE small (id int PRIMARY KEY, v text);
     COMMENT ON TABLE small IS '${'A long comment: the TOC is then more than the 4 KiB the archive parser first waits for. '.repeat(60)}';
     INSERT INTO small SELECT i, md5(i::text) FROM generate_series(1, 1000) i;
     CREATE TABLE big (id int PRIMARY KEY, v text);
     INSERT INTO big SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 200000) i;`,
  );
  await c.end();
  dump = await pgDump(db);
  const printer = new CustomArchivePrinter(() => false, {
    block: (e, start, end) => {
      if (e.tag === 'big') big = { start, end };
      firstBlock = Math.min(firstBlock, start);
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
  more = '',
): Promise<{ archive: Buffer; blocks: Map<string, { dumpId: number; start: number; end: number }> }> {
  const source = (await freshDatabase(name)).name;
  const c = new pg.Client(clientConfig(services().postgres, source));
  await c.connect();
  for (const [table, rows] of tables) {
    await c.query(`CREATE TABLE ${table} (id int, v text);
      INSERT INTO ${table} SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, ${rows}) i;`);
  }
  if (more) await c.query(more);
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
    const restoring = restoreInto(target.name, s.source, dataBytes ? { dataBytes } : {});
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

/** The archive in pieces, as the repository hands it out. */
async function* pieces(archive: Buffer): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < archive.length; o += PIECE) yield archive.subarray(o, o + PIECE);
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

/**
 * Restores into `database` from `source`: a stream read whole, or an archive in memory read in ranges (around the
 * `direct` blocks, and each of those on its own). `ranges` collects the ranges read.
 */
async function restoreInto(
  database: string,
  source: AsyncIterable<Uint8Array> | Buffer,
  options: {
    dataBytes?: ReadonlyMap<number, number>;
    direct?: ReadonlyMap<number, BlockPlace>;
    ranges?: Array<[number, number | undefined]>;
  } = {},
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
    read: (start, end) => {
      options.ranges?.push([start, end]);
      if (Buffer.isBuffer(source)) return pieces(source.subarray(start, end));
      if (start !== 0 || end !== undefined) throw new Error('this source is read whole, from its start');
      return source;
    },
    direct: options.direct,
    file: join(tempDir(), 'archive.dump'),
    pgRestore: join(info.binDir, 'pg_restore'),
    env,
    database,
    connect: async () => {
      const c = new pg.Client(clientConfig(info, database));
      await c.connect();
      return c;
    },
    jobs: 2,
    dataBytes: options.dataBytes,
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

/** The sessions other than `c`'s on its database, and what each runs. */
async function otherSessions(c: pg.Client): Promise<string[]> {
  const r = await c.query(
    'SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return r.rows.map((x) => x.query as string);
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
      // (Once, under a loaded machine, the list came back without big's run: the message shows the whole list.)
      expect(
        runs.map((r) => r.what),
        JSON.stringify(runs.map((r) => r.what)),
      ).toContain('data of big');
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

  it("a table's indexes and constraints go in once its rows are loaded, while another table still loads", async () => {
    const target = await freshDatabase('early');
    const c = new pg.Client(target.config);
    const locker = new pg.Client(target.config);
    await c.connect();
    try {
      // The archive stops before its first data block: pre-data goes in, then big is locked so that its load
      // waits, and the rest of the archive arrives.
      const s = stoppingSource(firstBlock);
      const restoring = restoreInto(target.name, s.source);
      await expect
        .poll(
          async () => {
            const r = await c.query("SELECT to_regclass('big') IS NOT NULL AND to_regclass('small') IS NOT NULL AS ok");
            return r.rows[0].ok === true && (await otherSessions(c)).length === 0;
          },
          { timeout: 30_000, interval: 50, message: 'pre-data to be restored' },
        )
        .toBe(true);
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE big IN ACCESS EXCLUSIVE MODE');
      s.resume();
      const constraint = async (name: string) =>
        (await c.query('SELECT 1 FROM pg_constraint WHERE conname = $1', [name])).rowCount === 1;
      await expect
        .poll(() => constraint('small_pkey'), {
          timeout: 30_000,
          interval: 50,
          message: "small's primary key while big's load waits",
        })
        .toBe(true);
      expect(await constraint('big_pkey')).toBe(false);
      await locker.query('COMMIT');
      const runs = await restoring;
      expect(runs.filter((r) => r.code !== 0)).toEqual([]);
      const what = runs.map((r) => r.what);
      expect(what, JSON.stringify(what)).toContain('post-data (early: CONSTRAINT small small_pkey)');
      // big's primary key came with the final post-data run, once its rows were in.
      expect(await constraint('big_pkey')).toBe(true);
      expect(what.indexOf('post-data')).toBeGreaterThan(what.indexOf('data of big'));
      expect(await counts(c, ['small', 'big'])).toEqual({ small: 1000, big: 200000 });
    } finally {
      await locker.end();
      await c.end();
    }
  });

  it('large tables load straight from their ranges of the archive; the rest of it is read once, around them', async () => {
    // A sequence value and a large object too: pg_restore reads their blocks from the local file, past its holes.
    const a = await archiveOf(
      'direct',
      [
        ['a_big', 60_000],
        ['b_small', 500],
        ['c_big', 40_000],
      ],
      `CREATE SEQUENCE s; SELECT setval('s', 4242);
       SELECT lo_from_bytea(7331, convert_to(repeat('large object ', 10000), 'UTF8'));`,
    );
    const bigs = ['a_big', 'c_big'].map((t) => a.blocks.get(t)!);
    const direct = new Map(bigs.map((b) => [b.dumpId, { start: b.start, end: b.end }]));
    const target = await freshDatabase('direct_target');
    const ranges: Array<[number, number | undefined]> = [];
    const runs = await restoreInto(target.name, a.archive, { direct, ranges });
    expect(runs.filter((r) => r.code !== 0)).toEqual([]);
    const t = new pg.Client(target.config);
    await t.connect();
    try {
      expect(await counts(t, ['a_big', 'b_small', 'c_big'])).toEqual({ a_big: 60_000, b_small: 500, c_big: 40_000 });
      const other = await t.query(
        "SELECT (SELECT last_value::int FROM s) AS s, length(convert_from(lo_get(7331), 'UTF8')) AS lo",
      );
      expect(other.rows[0]).toEqual({ s: 4242, lo: 130_000 });
    } finally {
      await t.end();
    }
    // Each large block is read on its own, and everything else once, in order, without them.
    const places = bigs.map((b): [number, number] => [b.start, b.end]).sort((x, y) => x[0] - y[0]);
    const around: Array<[number, number | undefined]> = [];
    let at = 0;
    for (const [start, end] of places) {
      if (start > at) around.push([at, start]);
      at = end;
    }
    around.push([at, undefined]);
    expect(ranges.filter((r) => !places.some(([s, e]) => r[0] === s && r[1] === e))).toEqual(around);
    expect(ranges.filter((r) => places.some(([s, e]) => r[0] === s && r[1] === e))).toHaveLength(2);
  });

  it('a large table recorded at the wrong place fails the restore, naming the table, with no pg_restore left', async () => {
    const a = await archiveOf('misplaced', [
      ['a_big', 20_000],
      ['c_big', 20_000],
    ]);
    const [x, y] = ['a_big', 'c_big'].map((t) => a.blocks.get(t)!);
    // The two tables' places swapped: each recorded start is a block's start, but not that table's.
    const direct = new Map([
      [x!.dumpId, { start: y!.start, end: y!.end }],
      [y!.dumpId, { start: x!.start, end: x!.end }],
    ]);
    const target = await freshDatabase('misplaced_target');
    const err = await restoreInto(target.name, a.archive, { direct }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^the data of public\.(a|c)_big is not where the backup recorded it/);
    expect(pgRestoresFor(target.name)).toEqual([]);
    // A place too short to hold a block, or overlapping another, fails before anything is read.
    const ranges: Array<[number, number | undefined]> = [];
    const [first, second] = [x!, y!].sort((p, q) => p.start - q.start);
    for (const bad of [
      new Map([[first!.dumpId, { start: first!.start, end: first!.start }]]),
      new Map([
        [first!.dumpId, { start: first!.start, end: second!.start + 10 }],
        [second!.dumpId, { start: second!.start, end: second!.end }],
      ]),
    ]) {
      const e = await restoreInto(target.name, a.archive, { direct: bad, ranges }).catch((e: unknown) => e);
      expect((e as Error).message).toMatch(/^the backup recorded an impossible place for the data of entry \d+/);
    }
    expect(ranges).toEqual([]);
  });

  it('an archive that fails mid-block fails the restore, leaves no load running and no rows of that table', async () => {
    await withHeldBackRestore(async (c, s, restoring) => {
      const target = (await c.query('SELECT current_database() AS db')).rows[0].db as string;
      const outcome = restoring.then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await rowsArriving(c, 'big');
      expect((await otherSessions(c)).filter((q) => q.startsWith('COPY public.big'))).toHaveLength(1);
      s.fail(new Error('chunk 41 of the archive failed its integrity check'));
      expect(await outcome).toMatchObject({ message: 'chunk 41 of the archive failed its integrity check' });
      expect(pgRestoresFor(target)).toEqual([]);
      // The server ends the dropped COPY's session and rolls it back; until then its rows are not visible anyway.
      for (let i = 0; i < 100 && (await otherSessions(c)).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await otherSessions(c)).toEqual([]);
      expect((await c.query('SELECT count(*)::int AS n FROM big')).rows[0].n).toBe(0);
    });
  });

  it('loads rows frozen and all-visible, so the restored database owes no freeze vacuum', async () => {
    const a = await archiveOf('frozen', [
      ['plain', 20_000],
      ['other', 500],
    ]);
    const target = await freshDatabase('frozen_target');
    const runs = await restoreInto(target.name, pieces(a.archive));
    expect(runs.filter((r) => r.code !== 0)).toEqual([]);
    const t = new pg.Client(target.config);
    await t.connect();
    try {
      await t.query('CREATE EXTENSION pg_visibility');
      for (const table of ['plain', 'other']) {
        const r = await t.query(
          `SELECT (pg_relation_size($1) / current_setting('block_size')::int)::int AS pages,
                  all_visible::int, all_frozen::int FROM pg_visibility_map_summary($1)`,
          [table],
        );
        const { pages, all_visible, all_frozen } = r.rows[0];
        expect(pages).toBeGreaterThan(0);
        expect({ table, all_visible, all_frozen }).toEqual({ table, all_visible: pages, all_frozen: pages });
      }
    } finally {
      await t.end();
    }
  });

  it("takes the rows in the dump's encoding (a LATIN1 database into a UTF8 one)", async () => {
    const info = services().postgres;
    const admin = new pg.Client(clientConfig(info, 'postgres'));
    await admin.connect();
    const source = `latin1_${process.pid}`;
    await admin.query(`CREATE DATABASE ${source} TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'`);
    await admin.end();
    const c = new pg.Client({ ...clientConfig(info, source), client_encoding: 'UTF8' });
    await c.connect();
    const text = 'café crème, naïve façade, ÿ ß æ ø å, ½ ± ©';
    await c.query('CREATE TABLE notes (id int, body text)');
    await c.query('INSERT INTO notes VALUES (1, $1)', [text]);
    await c.end();
    const target = await freshDatabase('latin1_target');
    const runs = await restoreInto(target.name, pieces(await pgDump(source)));
    expect(runs.filter((r) => r.code !== 0)).toEqual([]);
    const t = new pg.Client(target.config);
    await t.connect();
    try {
      expect((await t.query('SELECT body FROM notes')).rows).toEqual([{ body: text }]);
    } finally {
      await t.end();
    }
  });

  it('a table whose rows the server refuses is listed by name, and the other tables still load', async () => {
    const a = await archiveOf('refused', [
      ['fine', 1_000],
      ['refused', 1_000],
    ]);
    const target = await freshDatabase('refused_target');
    // The target already has a table the dump's pre-data cannot replace, with a column type its rows do not fit.
    const t = new pg.Client(target.config);
    await t.connect();
    try {
      await t.query('CREATE TABLE refused (id int, v int)');
      const runs = await restoreInto(target.name, pieces(a.archive));
      const failed = runs.flatMap((r) => r.failed ?? []);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatch(/^COPY failed for table public\.refused: invalid input syntax for type integer/);
      // Where the rows stopped, without quoting the column's value (rows can hold secrets).
      expect(failed[0]).toMatch(/ \(COPY refused, line 1, column v\)$/);
      expect(await counts(t, ['fine', 'refused'])).toEqual({ fine: 1_000, refused: 0 });
    } finally {
      await t.end();
    }
  });
});
