// PostgreSQL store against the real server: exact round trips, named differences after damage, loud partial
// restores, and consistency under concurrent writes.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/repo/repository.ts';
import type { Fingerprint } from '../../src/stores/fingerprint.ts';
import { PostgresAdapter, recordedBlocks } from '../../src/stores/postgres/adapter.ts';
import { findBinaries } from '../../src/stores/postgres/binaries.ts';
import { PostgresStoreConfig } from '../../src/stores/postgres/config.ts';
import { backupStore, compareStore, repoSource, restoreStore } from '../../src/stores/run.ts';
import { IncompleteRestoreError } from '../../src/stores/types.ts';
import { backendFor, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { bytesOf } from '../helpers/streams.ts';
import { freshDatabase, services } from '../services/context.ts';
import { connectionUrl } from '../services/postgres.ts';

const fixture = readFileSync(new URL('./fixtures/postgres-rich.sql', import.meta.url), 'utf8');

function storeFor(db: string, extra: Partial<PostgresStoreConfig> = {}): PostgresStoreConfig {
  return PostgresStoreConfig.parse({
    kind: 'postgres',
    name: 'app',
    url: connectionUrl(services().postgres, db),
    databases: [db],
    ...extra,
  });
}

/** A restore target on the same server under a new, unused database name. */
function newTarget(): { name: string; url: string } {
  const name = `restored_${Math.random().toString(16).slice(2, 10)}`;
  return { name, url: connectionUrl(services().postgres, name) };
}

async function sql<T = Record<string, unknown>>(db: string, text: string, params: unknown[] = []): Promise<T[]> {
  const info = services().postgres;
  const c = new pg.Client({ host: info.host, port: info.port, user: info.user, password: info.password, database: db });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

let repo: Repository;
let source: string;

beforeAll(async () => {
  repo = await initRepo(backendFor(await newLocation('folder')));
  source = (await freshDatabase('rich')).name;
  await sql(source, fixture);
});
afterAll(async () => {
  await repo?.close();
});

describe('PostgreSQL backup and restore (real server)', () => {
  it('round-trips a database with every tricky type and object: the fingerprint matches exactly', async () => {
    const { snapshot, warnings } = await backupStore(repo, storeFor(source));
    expect(warnings).toEqual([]);
    expect(snapshot.artifacts.map((a) => a.name).sort()).toEqual([`databases/${source}.dump`, 'globals.sql']);
    const fp = snapshot.fingerprint as Fingerprint;
    expect(fp.data[`${source}: table public.kitchen_sink`]?.count).toBe(50);
    expect(fp.data[`${source}: table public.events_2024`]?.count).toBeGreaterThan(0);
    expect(fp.data[`${source}: table public.empty_table`]?.count).toBe(0);
    expect(fp.data[`${source}: large objects`]?.count).toBe(1);
    const tables = Object.entries(fp.data).filter(([k]) => / (table|materialized view) /.test(k));
    expect(fp.data[`${source}: all tables`]?.count).toBe(tables.reduce((n, [, d]) => n + d.count, 0));
    // Rows were hashed from the dump as it streamed (materialized views, which a dump holds no rows of, in the
    // snapshot), and the session settings a later comparison must use are recorded.
    for (const [, d] of tables) expect(d.hash).toMatch(/^copy-xxh64x2:[0-9a-f]{32}$/);
    expect(fp.data[`${source}: materialized view public.sink_mat`]?.count).toBeGreaterThan(0);
    expect(fp.params).toMatchObject({
      rows: 'copy-xxh64x2',
      databases: { [source]: { encoding: 'UTF8', byteaOutput: 'hex' } },
    });
    expect(Object.keys(fp.schema)).toEqual(
      expect.arrayContaining([
        `${source}: index public.ks_trgm`,
        `${source}: constraint public.a_side.a_to_b`,
        `${source}: materialized view public.sink_mat`,
        `${source}: trigger public.empty_table.empty_touch`,
        `${source}: function public.add_one(x integer)`,
        `${source}: enum public.mood`,
        `${source}: domain public.positive_int`,
        `${source}: sequence value public.midway`,
        `${source}: table "Weird Schema"."Table ""With"" Quotes"`,
      ]),
    );

    // Each table's data size in the dump, recorded for the restore to load the largest first, and where its data
    // block lies, for the restore to read large ones straight from the repository: a block header (type 1, the
    // entry's dump ID) is at each recorded start.
    const recorded = recordedBlocks(snapshot.capture, source);
    const sizes = recorded.bytes!;
    expect(sizes.size).toBeGreaterThanOrEqual(tables.length - 1); // a materialized view's rows are not dumped
    const dumpSize = snapshot.artifacts.find((a) => a.name === `databases/${source}.dump`)!.size;
    expect([...sizes.values()].reduce((n, b) => n + b, 0)).toBeLessThan(dumpSize);
    expect(Math.min(...sizes.values())).toBeGreaterThan(0);
    expect([...recorded.places!.keys()].sort()).toEqual([...sizes.keys()].sort());
    for (const [id, place] of recorded.places!) {
      const range = { start: place.start, end: place.start + 6 };
      const head = await bytesOf(repoSource(repo, snapshot).open(`databases/${source}.dump`, { range }));
      expect([...head]).toEqual([1, 0, id & 255, (id >> 8) & 255, 0, 0]);
    }

    const target = newTarget();
    const r = await restoreStore(repo, storeFor(source), snapshot, { target: target.url });
    expect(r.safety).toBeUndefined();
    expect(await compareStore(repo, storeFor(source), snapshot, target.url)).toEqual([]);

    // Sample values, read back from the restored copy.
    const q = `SELECT encode(b, 'hex') AS b, f8::text, n::text, ts::text, iv::text, jb::text, arr::text, m::text, gen_total::text, length(big) AS big
                 FROM kitchen_sink ORDER BY id`;
    const set = "SET timezone = 'UTC'; SET extra_float_digits = 3; ";
    await sql(source, set);
    const [a, b] = [await sql(source, q), await sql(target.name, q)];
    expect(b).toEqual(a);
    expect((b[5] as { b: string }).b).toBe(Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('hex'));
    expect(b.map((x) => (x as { f8: string }).f8).slice(0, 4)).toEqual(['NaN', 'Infinity', '-Infinity', '-0']);
    const lo = "SELECT md5(lo_get(4242)) AS h, obj_description(4242, 'pg_largeobject') AS c";
    expect(await sql(target.name, lo)).toEqual(await sql(source, lo));
    const seq = await sql<{ last_value: string }>(target.name, 'SELECT last_value::text FROM midway');
    expect(seq[0]!.last_value).toBe('114');
    const weird = await sql(target.name, `SELECT * FROM "Weird Schema"."Table ""With"" Quotes" ORDER BY 1`);
    expect(weird).toEqual(await sql(source, `SELECT * FROM "Weird Schema"."Table ""With"" Quotes" ORDER BY 1`));
  });

  it('after damage in the restored copy, the comparison fails and names the table or object', async () => {
    const store = storeFor(source);
    const { snapshot } = await backupStore(repo, store);
    const cases: Array<[string, string, RegExp]> = [
      [
        'UPDATE kitchen_sink SET n_free = n_free + 1 WHERE id = 7',
        `${source}: table public.kitchen_sink`,
        /content differs/,
      ],
      [
        'DELETE FROM events WHERE id = 42',
        `${source}: table public.events_2023`,
        /^\S+ table public.events_2023: 212 rows\/entities, expected 213$/,
      ],
      ['DROP INDEX ks_partial', `${source}: index public.ks_partial`, /missing after restore/],
      [
        'ALTER TABLE b_side DROP CONSTRAINT b_side_a_id_fkey',
        `${source}: constraint public.b_side.b_side_a_id_fkey`,
        /missing/,
      ],
      ["SELECT lo_put(4242, 5, '\\xff')", `${source}: large objects`, /content differs/],
      [
        'UPDATE "Weird Schema"."Table ""With"" Quotes" SET "ünïcode_ключ" = \'y\' WHERE "select" = 3',
        `${source}: table "Weird Schema"."Table ""With"" Quotes"`,
        /content differs/,
      ],
    ];
    for (const [damage, object, message] of cases) {
      const target = newTarget();
      await restoreStore(repo, store, snapshot, { target: target.url });
      await sql(target.name, damage);
      const diffs = await compareStore(repo, store, snapshot, target.url);
      const totals = `${source}: all tables`;
      const named = diffs.filter((d) => d.object !== totals);
      expect(named, damage).toHaveLength(1);
      expect(named[0]!.object).toBe(object);
      expect(named[0]!.message).toMatch(message);
      // Damage to a table's rows moves the database's totals too; other damage does not.
      expect(diffs.some((d) => d.object === totals)).toBe(/: table /.test(object));
    }
  });

  it('a restore into a non-empty database is refused; --force saves it as a safety snapshot first', async () => {
    const store = storeFor(source);
    const { snapshot } = await backupStore(repo, store);
    const target = newTarget();
    await sql('postgres', `CREATE DATABASE ${target.name}`);
    await sql(target.name, "CREATE TABLE precious (v text); INSERT INTO precious VALUES ('keep me')");
    await expect(restoreStore(repo, store, snapshot, { target: target.url })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('not empty'),
    });
    expect(await sql(target.name, 'SELECT v FROM precious')).toEqual([{ v: 'keep me' }]);

    const forced = await restoreStore(repo, store, snapshot, { target: target.url, force: true });
    expect(forced.safety?.tags).toContain('safety');
    expect(await compareStore(repo, store, snapshot, target.url)).toEqual([]);
    // Rolling back to the safety snapshot brings the old contents back.
    const safetySnap = await repo.loadSnapshot(forced.safety!.id);
    const back = await restoreStore(repo, store, safetySnap, { target: target.url, force: true });
    expect(back.safety).toBeDefined();
    expect(await sql(target.name, 'SELECT v FROM precious')).toEqual([{ v: 'keep me' }]);
  });

  it('writes running during the backup: the backup still matches its own fingerprint', async () => {
    const db = (await freshDatabase('busy')).name;
    await sql(
      db,
      `CREATE TABLE ledger (id bigserial PRIMARY KEY, v int, note text);
                   INSERT INTO ledger (v, note) SELECT i, repeat('x', 200) FROM generate_series(1, 200000) i;`,
    );
    const store = storeFor(db);
    let stop = false;
    let writes = 0;
    let writing: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      writing = resolve;
    });
    const writer = (async () => {
      const info = services().postgres;
      const c = new pg.Client({
        host: info.host,
        port: info.port,
        user: info.user,
        password: info.password,
        database: db,
      });
      await c.connect();
      while (!stop) {
        await c.query(
          "INSERT INTO ledger (v, note) VALUES (-1, 'during'); UPDATE ledger SET v = v + 1 WHERE id = (random() * 1000)::int + 1",
        );
        writes++;
        if (writes === 3) writing();
      }
      await c.end();
    })();
    // The writes are flowing before the backup starts and go on until it ends.
    await started;
    const before = writes;
    const { snapshot, warnings } = await backupStore(repo, store);
    const during = writes - before;
    stop = true;
    await writer;
    expect(during).toBeGreaterThan(0);
    // The sequence moved while pg_dump ran: it is reported, not silently mismatched.
    expect(warnings.join('\n')).toMatch(/ledger_id_seq.*advanced during the backup/);
    const target = newTarget();
    await restoreStore(repo, store, snapshot, { target: target.url });
    expect(await compareStore(repo, store, snapshot, target.url)).toEqual([]);
    // And the live database has moved on: comparing it with the snapshot shows the difference.
    const live = await compareStore(repo, store, snapshot);
    expect(live.map((d) => d.object)).toContain(`${db}: table public.ledger`);
  }, 180_000);

  it('snapshots whose rows were hashed in the server (before the dump-stream method) still compare that way', async () => {
    const store = storeFor(source);
    const { snapshot } = await backupStore(repo, store);
    const target = newTarget();
    await restoreStore(repo, store, snapshot, { target: target.url });
    // What an earlier backdrill recorded: md5 sums computed in the server, and no params.
    const adapter = new PostgresAdapter(store);
    const { params: _, ...noParams } = snapshot.fingerprint as Fingerprint;
    const legacy = await adapter.fingerprint(adapter.target(undefined, repoSource(repo, snapshot)), noParams);
    expect(legacy.params).toBeUndefined();
    expect(Object.values(legacy.data).every((d) => /^[0-9a-f]{64}$/.test(d.hash))).toBe(true);
    const old = { ...snapshot, fingerprint: legacy };
    expect(await compareStore(repo, store, old, target.url)).toEqual([]);
    await sql(target.name, 'UPDATE kitchen_sink SET n_free = n_free + 1 WHERE id = 7');
    const diffs = await compareStore(repo, store, old, target.url);
    expect(diffs.map((d) => d.object)).toEqual([`${source}: table public.kitchen_sink`]);
  });

  it('directory format with parallel jobs round-trips too', async () => {
    const store = storeFor(source, { format: 'directory', jobs: 2, globals: false });
    const { snapshot } = await backupStore(repo, store);
    expect(snapshot.artifacts.some((a) => a.name === `databases/${source}/toc.dat`)).toBe(true);
    const target = newTarget();
    await restoreStore(repo, store, snapshot, { target: target.url, jobs: 2 });
    expect(await compareStore(repo, store, snapshot, target.url)).toEqual([]);
  });
});

describe('PostgreSQL bad input', () => {
  it('a dump whose large tables load straight from the repository round-trips; a damaged chunk late in it fails the restore with an integrity error and leaves no pg_restore running', async () => {
    const db = (await freshDatabase('damaged')).name;
    await sql(
      db,
      `CREATE TABLE a_first (id int PRIMARY KEY, v text);
       INSERT INTO a_first SELECT i, md5(i::text) FROM generate_series(1, 20000) i;
       CREATE TABLE z_last (id int, v text);
       INSERT INTO z_last SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 20000) i;`,
    );
    const small = await initRepo(backendFor(await newLocation('folder')), {
      chunker: { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 },
    });
    try {
      const store = storeFor(db, { globals: false });
      const { snapshot } = await backupStore(small, store);
      const chunks = snapshot.artifacts[0]!.chunks;
      expect(chunks.length).toBeGreaterThan(10);
      // Undamaged, it round-trips: z_last's block spans more than 16 chunks, so its rows load straight from the
      // repository (a range of the dump read on its own) while the rest of the dump goes through the local file.
      const place = recordedBlocks(snapshot.capture, db).places!;
      expect(Math.max(...[...place.values()].map((p) => p.end - p.start))).toBeGreaterThan(16 * 64 * 1024);
      const whole = newTarget();
      await restoreStore(small, store, snapshot, { target: whole.url });
      expect(await compareStore(small, store, snapshot, whole.url)).toEqual([]);
      // A chunk of z_last's rows: a_first's block is on disk, and may be loading, before the damage is read.
      const id = chunks.at(-2)![0];
      await small.backend.delete(`data/${id.slice(0, 2)}/${id}`);
      const target = newTarget();
      const err = await restoreStore(small, store, snapshot, { target: target.url }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'integrity' });
      const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
      expect(ps.split('\n').filter((l) => l.includes('pg_restore') && l.includes(target.name))).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('restoring into a server that lacks an extension the dump needs fails loudly and lists what failed', async () => {
    // A real extension the source server has and the target (after we remove its files) lacks.
    const info = services().postgres;
    const sharedir = execFileSync(join(info.binDir, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
    const extDir = join(sharedir, 'extension');
    const files = [join(extDir, 'backdrill_probe.control'), join(extDir, 'backdrill_probe--1.0.sql')];
    writeFileSync(files[0]!, "comment = 'test extension'\ndefault_version = '1.0'\nrelocatable = true\n");
    writeFileSync(files[1]!, 'CREATE FUNCTION backdrill_probe_fn() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;\n');
    try {
      const db = (await freshDatabase('ext')).name;
      await sql(
        db,
        'CREATE EXTENSION backdrill_probe; CREATE TABLE uses_ext (v int DEFAULT backdrill_probe_fn()); INSERT INTO uses_ext DEFAULT VALUES;',
      );
      const store = storeFor(db, { globals: false });
      const { snapshot } = await backupStore(repo, store);
      for (const f of files) rmSync(f);
      const target = newTarget();
      const err = await restoreStore(repo, store, snapshot, { target: target.url }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IncompleteRestoreError);
      const failures = (err as IncompleteRestoreError).failures.join('\n');
      expect(failures).toMatch(/extension "backdrill_probe" is not available|could not open extension control file/);
      expect(failures).toContain('CREATE EXTENSION');
      // The table that needs it is not created, so its rows cannot load either: listed too.
      expect(failures).toMatch(/COPY failed for table public\.uses_ext: relation "public\.uses_ext" does not exist/);
      expect((err as Error).message).toMatch(/\d+ object\(s\) failed to restore/);
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  });

  it('a pg_dump older than the server is refused with a clear error', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
    chmodSync(join(dir, 'bin', 'pg_dump'), 0o755);
    expect(() => findBinaries(15, 'app', join(dir, 'bin'))).toThrow(/PostgreSQL 9, older than the server \(15\)/);
  });

  it('finds the pg_dump matching the server on PATH, running each distinct pg_dump at most once', () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const fake = (name: string, major: number) => {
      mkdirSync(join(dir, name));
      const file = join(dir, name, 'pg_dump');
      writeFileSync(file, `#!/bin/sh\necho ${name} >> '${log}'\necho "pg_dump (PostgreSQL) ${major}.1"\n`);
      chmodSync(file, 0o755);
    };
    fake('newer', 91);
    fake('exact', 90);
    fake('later', 90);
    symlinkSync(join(dir, 'newer'), join(dir, 'newer-again'));
    const saved = process.env.PATH;
    // No server here is major 90: the installed versions are tried first, then PATH in order.
    process.env.PATH = ['newer', 'newer-again', 'exact', 'later'].map((d) => join(dir, d)).join(':');
    try {
      expect(findBinaries(90, 'app').dir).toBe(join(dir, 'exact'));
      expect(readFileSync(log, 'utf8').split('\n').filter(Boolean)).toEqual(['newer', 'exact']);
      // Nothing matches 89 exactly: the oldest newer one is taken.
      expect(findBinaries(89, 'app').major).toBe(90);
    } finally {
      process.env.PATH = saved;
    }
  });

  it('wrong credentials, an unreachable server and an unknown database name the store and the problem', async () => {
    const info = services().postgres;
    const bad = (url: string, databases?: string[]) =>
      backupStore(
        repo,
        PostgresStoreConfig.parse({ kind: 'postgres', name: 'app', url, ...(databases ? { databases } : {}) }),
      );
    await expect(bad(`postgresql://postgres:wrong@127.0.0.1:${info.port}/postgres`)).rejects.toThrow(
      /store app: cannot connect to postgresql:\/\/postgres@127.0.0.1:\d+\/postgres: authentication failed/,
    );
    await expect(bad('postgresql://postgres:x@127.0.0.1:1/postgres')).rejects.toThrow(/cannot reach the server/);
    await expect(bad(connectionUrl(info, 'postgres'), ['no_such_db'])).rejects.toThrow(
      /database\(s\) no_such_db do not exist/,
    );
  });
});
