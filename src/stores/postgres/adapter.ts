// The PostgreSQL store: pg_dump of each database inside an exported snapshot that the fingerprint's queries
// share, its rows hashed from the dump itself as it streams to the repository (so the fingerprint describes
// exactly the dumped data), globals through pg_dumpall, and restore with pg_restore -j into empty databases,
// failing with the list of objects that did not restore.
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { z } from 'zod';
import { BackdrillError } from '../../errors.ts';
import { type DataSetPrint, digestOf, type Fingerprint, type SetHash, UNCOMPARED } from '../fingerprint.ts';
import {
  type ArtifactSink,
  type ArtifactSource,
  IncompleteRestoreError,
  type ProbeResult,
  type RestoreOptions,
  type RestoreResult,
  type StoreAdapter,
  type StoreBackupResult,
} from '../types.ts';
import {
  type ArchiveHeader,
  CustomArchivePrinter,
  DirectoryArchivePrinter,
  parseArchiveHead,
  type TableRows,
  type TocEntry,
} from './archive.ts';
import { findBinaries, type PgBinaries } from './binaries.ts';
import type { PostgresStoreConfig } from './config.ts';
import { connect, describeConn, libpqEnv, type PgConn, parsePgUrl, withDatabase } from './connection.ts';
import {
  copyTablePrint,
  type DataTable,
  type DumpSession,
  databasePrint,
  dataTables,
  dumpSessionSettings,
  largeObjectsPrint,
  quoteIdent,
  STABLE_SETTINGS,
  schemaPrint,
  sequenceValues,
  sessionDefaults,
} from './fingerprint.ts';
import {
  type BlockPlace,
  DIRECT_MIN_PIECES,
  hasTimescale,
  overlappedRestore,
  type PgRestoreRun,
  runPgRestore,
} from './overlapped.ts';
import { ROW_HASH_METHOD } from './rowhash.ts';

export interface PostgresTarget {
  conn: PgConn;
  /** Database in the snapshot -> database to restore into. */
  databases: Array<{ from: string; to: string }>;
  /** Restore roles and tablespaces first (missing roles make owned objects fail). */
  globals: boolean;
}

const GLOBALS = 'globals.sql';
const dumpArtifact = (db: string) => `databases/${encodeURIComponent(db)}.dump`;
const dirArtifactPrefix = (db: string) => `databases/${encodeURIComponent(db)}/`;

function databasesIn(source: ArtifactSource): string[] {
  const dbs = new Set<string>();
  for (const n of source.names()) {
    const m = /^databases\/([^/]+?)(?:\.dump|\/.*)$/.exec(n);
    if (m) dbs.add(decodeURIComponent(m[1]!));
  }
  return [...dbs].sort();
}

/** Fingerprint params: how the rows were hashed, and pg_dump's session settings per database. */
interface PostgresPrintParams {
  rows: typeof ROW_HASH_METHOD;
  databases: Record<string, DumpSession>;
}

function printParams(fp: Fingerprint | undefined): PostgresPrintParams | undefined {
  const p = fp?.params as Partial<PostgresPrintParams> | undefined;
  return p?.rows === ROW_HASH_METHOD && p.databases ? (p as PostgresPrintParams) : undefined;
}

/** The name of a database's totals in its fingerprint. */
export const TOTALS = 'all tables';

/** The name of a database's large objects in its fingerprint (present when it has any). */
export const LARGE_OBJECTS = 'large objects';

/**
 * Adds a database's totals (every row of every table, and a hash of the tables' hashes) and its large objects
 * (one element "<oid>:<sha256 of the data>" each).
 */
function withTotals(data: Record<string, DataSetPrint>, largeObjects: SetHash): Record<string, DataSetPrint> {
  const names = Object.keys(data).sort();
  const count = names.reduce((n, k) => n + data[k]!.count, 0);
  const totals = { count, hash: digestOf(names.map((k) => `${k}\t${data[k]!.hash}`).join('\n')) };
  const out = { ...data, [TOTALS]: totals };
  return largeObjects.count > 0 ? { ...out, [LARGE_OBJECTS]: largeObjects.digest() } : out;
}

const ByDumpId = z.record(z.string().regex(/^\d+$/), z.number().int().min(0));

/**
 * What the backup recorded of each table's data block in the dump of `db`, by dump ID: its size (snapshots from
 * before it did have none) and where it starts in the archive (likewise).
 */
export function recordedBlocks(
  capture: unknown,
  db: string,
): { bytes?: Map<number, number>; places?: Map<number, BlockPlace> } {
  const parsed = z
    .object({
      details: z.object({
        databases: z.array(
          z.object({ database: z.string(), dataBytes: ByDumpId.optional(), dataStarts: ByDumpId.optional() }),
        ),
      }),
    })
    .safeParse(capture);
  const recorded = parsed.success ? parsed.data.details.databases.find((d) => d.database === db) : undefined;
  if (!recorded?.dataBytes) return {};
  const bytes = new Map(Object.entries(recorded.dataBytes).map(([id, n]) => [Number(id), n]));
  if (!recorded.dataStarts) return { bytes };
  const places = new Map<number, BlockPlace>();
  for (const [id, start] of Object.entries(recorded.dataStarts)) {
    const size = bytes.get(Number(id));
    if (size !== undefined) places.set(Number(id), { start, end: start + size });
  }
  return { bytes, places };
}

/** Passes a stream's chunks on unchanged, showing each to `see` first. */
async function* observed(source: AsyncIterable<Buffer>, see: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    see(chunk);
    yield chunk;
  }
}

function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

/** Runs a client binary; resolves with its stderr, rejects naming the binary and the stderr tail. */
function run(proc: ChildProcess, what: string): Promise<string> {
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
  });
  return new Promise((resolve, reject) => {
    proc.once('error', (err) => reject(new BackdrillError('fatal', `${what}: ${err.message}`, { cause: err })));
    proc.once('close', (code, signal) => {
      if (code === 0) resolve(stderr);
      else {
        const tail = stderr.trim().split('\n').slice(-8).join('\n');
        reject(new BackdrillError('fatal', `${what} failed (${signal ?? `exit ${code}`}): ${tail}`));
      }
    });
  });
}

export class PostgresAdapter implements StoreAdapter<PostgresTarget> {
  readonly kind = 'postgres';
  readonly name: string;
  private readonly conn: PgConn;

  constructor(readonly config: PostgresStoreConfig) {
    this.name = config.name;
    this.conn = parsePgUrl(config.url, config.name);
  }

  private async server(client: pg.Client): Promise<{ version: string; num: number; bins: PgBinaries }> {
    const r = await client.query(
      "SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n",
    );
    const row = r.rows[0] as { v: string; n: number };
    return { version: row.v, num: row.n, bins: findBinaries(serverMajor(row.n), this.name, this.config.binDir) };
  }

  private async selectDatabases(client: pg.Client): Promise<string[]> {
    const all = (
      await client.query('SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname')
    ).rows.map((r: { datname: string }) => r.datname);
    const wanted = this.config.databases ?? all;
    const missing = wanted.filter((d) => !all.includes(d));
    if (missing.length > 0) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: database(s) ${missing.join(', ')} do not exist on ${describeConn(this.conn)}`,
        {
          hint: `the server has: ${all.join(', ')}`,
        },
      );
    }
    const chosen = wanted.filter((d) => !this.config.exclude.includes(d));
    if (chosen.length === 0) throw new BackdrillError('usage', `store ${this.name}: no databases left to back up`);
    return chosen;
  }

  async probe(): Promise<ProbeResult> {
    const client = await connect(this.conn, this.name);
    try {
      const { version } = await this.server(client);
      const dbs = (
        await client.query(
          `SELECT datname, pg_database_size(oid)::bigint AS size, pg_encoding_to_char(encoding) AS encoding
             FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname`,
        )
      ).rows as Array<{ datname: string; size: string; encoding: string }>;
      const databases = [];
      for (const d of dbs) {
        const c = await connect(withDatabase(this.conn, d.datname), this.name);
        try {
          const ext = (await c.query('SELECT extname, extversion FROM pg_extension ORDER BY 1')).rows;
          databases.push({ name: d.datname, size: Number(d.size), encoding: d.encoding, extensions: ext });
        } finally {
          await c.end();
        }
      }
      return { kind: this.kind, version, details: { databases } };
    } finally {
      await client.end();
    }
  }

  async backup(sink: ArtifactSink): Promise<StoreBackupResult> {
    const admin = await connect(this.conn, this.name);
    const warnings: string[] = [];
    const params: PostgresPrintParams = { rows: ROW_HASH_METHOD, databases: {} };
    const fingerprint: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const details: Array<Record<string, unknown>> = [];
    let version: string;
    let earliest: string | undefined;
    try {
      const server = await this.server(admin);
      version = server.version;
      const databases = await this.selectDatabases(admin);
      if (this.config.globals) {
        const proc = spawn(
          server.bins.pgDumpAll,
          ['--globals-only', ...(this.config.rolePasswords ? [] : ['--no-role-passwords'])],
          { env: libpqEnv(this.conn), stdio: ['ignore', 'pipe', 'pipe'] },
        );
        await Promise.all([
          sink.add(GLOBALS, proc.stdout!, { disposable: true }),
          run(proc, 'pg_dumpall --globals-only'),
        ]);
      }
      for (const db of databases) {
        const d = await this.backupDatabase(db, server.bins, sink, fingerprint, params, warnings);
        details.push(d);
        if (!earliest || String(d.at) < earliest) earliest = String(d.at);
      }
    } finally {
      await admin.end();
    }
    return {
      capture: {
        at: earliest ?? new Date().toISOString(),
        serverVersion: version,
        details: { databases: details, format: this.config.format, globals: this.config.globals },
      },
      fingerprint: { ...fingerprint, params: { ...params } },
      warnings,
    };
  }

  private async backupDatabase(
    db: string,
    bins: PgBinaries,
    sink: ArtifactSink,
    fingerprint: Fingerprint,
    params: PostgresPrintParams,
    warnings: string[],
  ): Promise<Record<string, unknown>> {
    const conn = withDatabase(this.conn, db);
    const client = await connect(conn, this.name);
    let tmp: string | undefined;
    try {
      const defaults = await sessionDefaults(client);
      // The snapshot pg_dump imports is this transaction's: what the fingerprint reads here (the schema, and rows
      // the dump holds no COPY data for) is exactly what was dumped.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const meta = (
        await client.query(
          `SELECT pg_export_snapshot() AS snapshot, now() AS at,
                  pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
                  CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn
             FROM pg_database d WHERE d.datname = current_database()`,
        )
      ).rows[0] as { snapshot: string; at: Date; encoding: string; collate: string; ctype: string; lsn: string };
      const session: DumpSession = { encoding: meta.encoding, ...defaults };
      for (const s of dumpSessionSettings(session)) await client.query(s);
      const seqBefore = await sequenceValues(client);
      const tables = await dataTables(client);
      const byRawName = new Map(tables.map((t) => [`${t.nspname}\0${t.relname}`, t]));
      const tableOf = (e: { namespace: string | null; tag: string | null }) =>
        byRawName.get(`${e.namespace}\0${e.tag}`);
      const rows = new Map<DataTable, DataSetPrint>();
      // What the fingerprint hashes from the archive: the tables above, and the large objects.
      const wanted = (e: TocEntry) => e.desc === 'BLOBS' || tableOf(e) !== undefined;
      /** Runs a step of reading the archive; its errors name the store and database. */
      const guarded = <T>(step: () => T): T => {
        try {
          return step();
        } catch (err) {
          throw new BackdrillError(
            'fatal',
            `store ${this.name}, database ${db}: cannot read pg_dump's archive to fingerprint it: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err },
          );
        }
      };
      // pg_dump's client encoding is the database's, whatever the caller's environment says.
      const env = { ...libpqEnv(conn), PGCLIENTENCODING: meta.encoding };
      const common = ['--snapshot', meta.snapshot, '--no-sync', '--dbname', db];
      const dataBytes: Record<number, number> = {};
      const dataStarts: Record<number, number> = {};
      /** Resolves with what the archive held, hashed, once every byte of it is in the repository. */
      let dumpDone: Promise<{ tables: TableRows[]; largeObjects: SetHash }>;
      if (this.config.format === 'custom') {
        // -Z0: the repository compresses and deduplicates; compressed dumps would defeat both.
        const proc = spawn(bins.pgDump, ['-Fc', '-Z0', ...common], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const exited = run(proc, `pg_dump of ${db}`);
        exited.catch(() => {});
        // Where each table's data lies, for the restore to load the largest first (it learns them only as they
        // arrive) and to read the large ones straight from the repository.
        const printer = new CustomArchivePrinter(wanted, {
          block: (e, start, end) => {
            if (e.desc !== 'TABLE DATA') return;
            dataBytes[e.dumpId] = end - start;
            dataStarts[e.dumpId] = start;
          },
        });
        const source = observed(proc.stdout!, (chunk) => guarded(() => printer.push(chunk)));
        // pg_dump's stdout hands out a fresh buffer per read, and the printer keeps none of them.
        dumpDone = sink.add(dumpArtifact(db), source, { disposable: true }).then(
          async () => {
            await exited;
            guarded(() => printer.end());
            return printer;
          },
          async (err: unknown) => {
            proc.kill('SIGTERM');
            await exited.catch(() => {});
            throw err;
          },
        );
      } else {
        tmp = await mkdtemp(join(tmpdir(), 'backdrill-pgdump-'));
        const out = join(tmp, 'dump');
        const proc = spawn(bins.pgDump, ['-Fd', '-Z0', '-j', String(this.config.jobs), '-f', out, ...common], {
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        dumpDone = run(proc, `pg_dump of ${db}`).then(async () => {
          const toc = await readFile(join(out, 'toc.dat'));
          const printer = guarded(() => {
            const head = parseArchiveHead(toc);
            if (!head) throw new Error('toc.dat is truncated');
            return new DirectoryArchivePrinter(head.header, wanted);
          });
          for (const f of (await readdir(out)).sort()) {
            const file = printer.file(f);
            const source = observed(createReadStream(join(out, f)), (chunk) => guarded(() => file.push(chunk)));
            await sink.add(`${dirArtifactPrefix(db)}${f}`, source, { disposable: true });
            guarded(() => file.end());
          }
          return printer;
        });
      }
      const [archive, schema] = await Promise.all([dumpDone, schemaPrint(client)]);
      for (const t of archive.tables) rows.set(tableOf(t.entry)!, { count: t.count, hash: t.hash });
      // Rows the dump holds no COPY data for (materialized views: pg_restore refreshes them) are read in the
      // snapshot, as COPY text in pg_dump's session settings.
      for (const t of tables) if (!rows.has(t)) rows.set(t, await copyTablePrint(client, t, session.encoding));
      params.databases[db] = session;
      const print = { schema, data: Object.fromEntries(tables.map((t) => [`${t.label} ${t.name}`, rows.get(t)!])) };
      const seqAfter = await sequenceValues(client);
      await client.query('COMMIT');
      const prefix = `${db}: `;
      for (const [k, v] of Object.entries(print.schema)) fingerprint.schema[prefix + k] = v;
      for (const [k, v] of Object.entries(withTotals(print.data, archive.largeObjects)))
        fingerprint.data[prefix + k] = v;
      const moved: string[] = [];
      for (const [seq, before] of Object.entries(seqBefore)) {
        // Sequences are not transactional: a value that moved while pg_dump ran is not pinned to the snapshot.
        const stable = seqAfter[seq] === before;
        fingerprint.schema[`${prefix}sequence value ${seq}`] = stable ? before : UNCOMPARED;
        if (!stable) moved.push(seq);
      }
      if (moved.length > 0) {
        warnings.push(
          `${this.name}/${db}: sequence(s) ${moved.slice(0, 5).join(', ')}${moved.length > 5 ? ', ...' : ''} advanced during the ` +
            'backup; their restored values are not compared (rows are: they come from the snapshot)',
        );
      }
      return {
        database: db,
        snapshot: meta.snapshot,
        at: meta.at.toISOString(),
        lsn: meta.lsn,
        encoding: meta.encoding,
        collate: meta.collate,
        ctype: meta.ctype,
        ...(this.config.format === 'custom' ? { dataBytes, dataStarts } : {}),
      };
    } finally {
      await client.end().catch(() => {});
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }

  target(spec: string | undefined, source: ArtifactSource): PostgresTarget {
    const dbs = databasesIn(source);
    if (dbs.length === 0)
      throw new BackdrillError('integrity', `store ${this.name}: the snapshot holds no database dumps`);
    const conn = spec ? parsePgUrl(spec, this.name) : this.conn;
    const named = spec ? new URL(spec).pathname.replace(/^\//, '') : '';
    let databases: PostgresTarget['databases'];
    if (named) {
      if (dbs.length > 1) {
        throw new BackdrillError(
          'usage',
          `the snapshot holds ${dbs.length} databases (${dbs.join(', ')}); the target names one`,
          {
            hint: 'give a server URL without a database name: each database is restored under its own name',
          },
        );
      }
      databases = [{ from: dbs[0]!, to: decodeURIComponent(named) }];
    } else {
      databases = dbs.map((d) => ({ from: d, to: d }));
    }
    return { conn: withDatabase(conn, 'postgres'), databases, globals: source.names().includes(GLOBALS) };
  }

  async backupTarget(target: PostgresTarget, sink: ArtifactSink): Promise<StoreBackupResult> {
    const admin = await connect(target.conn, this.name);
    let existing: string[];
    try {
      const names = target.databases.map((d) => d.to);
      existing = (await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names])).rows.map(
        (r: { datname: string }) => r.datname,
      );
    } finally {
      await admin.end();
    }
    const url = new URL(this.config.url);
    url.hostname = target.conn.host;
    url.port = String(target.conn.port);
    url.username = encodeURIComponent(target.conn.user);
    url.password = target.conn.password === undefined ? '' : encodeURIComponent(target.conn.password);
    url.pathname = '/postgres';
    const adapter = new PostgresAdapter({
      ...this.config,
      url: url.toString(),
      databases: existing,
      exclude: [],
      globals: false,
    });
    return adapter.backup(sink);
  }

  async targetIsEmpty(target: PostgresTarget): Promise<boolean> {
    const admin = await connect(target.conn, this.name);
    try {
      for (const { to } of target.databases) {
        const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [to])).rowCount;
        if (!exists) continue;
        const c = await connect(withDatabase(target.conn, to), this.name);
        try {
          const n = (
            await c.query(
              `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND s.nspname NOT LIKE 'pg_temp%'
                  AND s.nspname NOT LIKE 'pg_toast_temp%'`,
            )
          ).rows[0] as { n: number };
          if (n.n > 0) return false;
        } finally {
          await c.end();
        }
      }
      return true;
    } finally {
      await admin.end();
    }
  }

  async restore(source: ArtifactSource, target: PostgresTarget, options: RestoreOptions): Promise<RestoreResult> {
    const admin = await connect(target.conn, this.name);
    const warnings: string[] = [];
    const failures: string[] = [];
    const tmp = await mkdtemp(join(tmpdir(), 'backdrill-pgrestore-'));
    try {
      const { bins } = await this.server(admin);
      if (target.globals) failures.push(...(await this.restoreGlobals(source, target, bins)));
      for (const { from, to } of target.databases) {
        options.signal?.throwIfAborted();
        failures.push(...(await this.restoreDatabase(source, target, bins, admin, from, to, tmp, options)));
      }
    } finally {
      await admin.end().catch(() => {});
      await rm(tmp, { recursive: true, force: true });
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} object(s) failed to restore into ${describeConn(target.conn)}`,
        failures,
      );
    }
    return { warnings };
  }

  private async restoreGlobals(source: ArtifactSource, target: PostgresTarget, bins: PgBinaries): Promise<string[]> {
    const proc = spawn(bins.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=0', '-d', 'postgres', '-f', '-'], {
      env: libpqEnv(target.conn),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    const done = run(proc, 'psql (globals)');
    await pipeline(source.open(GLOBALS), proc.stdin!);
    const stderr = await done;
    // Roles and tablespaces that exist already are fine; anything else did not restore.
    return stderr
      .split('\n')
      .filter((l) => /ERROR:/.test(l) && !/already exists/.test(l))
      .map((l) => `globals: ${l.replace(/^psql:[^:]*:\d+: /, '')}`);
  }

  private async restoreDatabase(
    source: ArtifactSource,
    target: PostgresTarget,
    bins: PgBinaries,
    admin: pg.Client,
    from: string,
    to: string,
    tmp: string,
    options: RestoreOptions,
  ): Promise<string[]> {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [to])).rowCount;
    if (exists) {
      if (!options.force) {
        const empty = await this.targetIsEmpty({ ...target, databases: [{ from, to }] });
        if (!empty) {
          throw new BackdrillError(
            'usage',
            `store ${this.name}: database ${to} on ${describeConn(target.conn)} is not empty`,
            {
              hint: 'restore into an empty database, or pass --force (the current contents are saved as a safety snapshot first)',
            },
          );
        }
      }
      await admin.query(`DROP DATABASE ${quoteIdent(to)} WITH (FORCE)`);
    }
    // CREATE DATABASE takes about 0.1 s (it copies template0 and checkpoints): the archive starts to arrive
    // meanwhile, and nothing is restored before it is done (beforeRestore).
    const created = admin.query(`CREATE DATABASE ${quoteIdent(to)} TEMPLATE template0 ENCODING 'UTF8'`);
    created.catch(() => {}); // awaited below, whatever happens first

    const conn = withDatabase(target.conn, to);
    const env = libpqEnv(conn);
    const jobs = Math.max(1, options.jobs ?? this.config.jobs);
    // TimescaleDB's hooks wrap the restore when the archive installs it.
    const timescale: { client?: pg.Client } = {};
    const beforeRestore = async (header: ArchiveHeader) => {
      await created;
      if (!hasTimescale(header)) return;
      timescale.client = await connect(conn, this.name);
      await timescale.client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
      await timescale.client.query('SELECT timescaledb_pre_restore()');
    };
    let runs: PgRestoreRun[];
    try {
      if (source.names().includes(dumpArtifact(from))) {
        // The archive is written to a local file and restored part by part while it arrives: each table's rows
        // from the moment its data block starts, the large ones straight from the repository (overlapped.ts).
        const name = dumpArtifact(from);
        const recorded = recordedBlocks(source.capture, from);
        // Only where reading a range costs just its pieces (a repository's chunks).
        const minDirect = (source.averagePiece ?? Number.POSITIVE_INFINITY) * DIRECT_MIN_PIECES;
        const direct = new Map([...(recorded.places ?? [])].filter(([, p]) => p.end - p.start >= minDirect));
        runs = await overlappedRestore({
          read: (start, end) =>
            source.open(name, { releaseConsumed: true, range: end === undefined ? { start } : { start, end } }),
          direct,
          file: join(tmp, `${encodeURIComponent(from)}.dump`),
          pgRestore: bins.pgRestore,
          env,
          database: to,
          connect: () => connect(conn, this.name),
          jobs,
          beforeRestore,
          dataBytes: recorded.bytes,
        });
      } else {
        const archive = join(tmp, `${encodeURIComponent(from)}.dir`);
        await mkdir(archive);
        for (const n of source.names().filter((x) => x.startsWith(dirArtifactPrefix(from)))) {
          await pipeline(
            source.open(n, { releaseConsumed: true }),
            createWriteStream(join(archive, n.slice(dirArtifactPrefix(from).length))),
          );
        }
        const head = parseArchiveHead(await readFile(join(archive, 'toc.dat')));
        if (!head) throw new BackdrillError('integrity', `store ${this.name}: ${from}/toc.dat is truncated`);
        await beforeRestore(head.header);
        const args = ['-j', String(jobs), '--dbname', to, archive];
        runs = [await runPgRestore(bins.pgRestore, 'pg_restore', args, env)];
      }
      await timescale.client?.query('SELECT timescaledb_post_restore()');
    } finally {
      await timescale.client?.end().catch(() => {});
      // A restore that failed before the archive's head arrived: the admin session is not closed under it.
      await created.catch(() => {});
    }
    const failures: string[] = [];
    for (const r of runs) {
      if (r.code === 0) continue;
      const listed = r.failed ?? parseRestoreErrors(r.stderr);
      failures.push(
        ...(listed.length > 0
          ? listed.map((f) => `${from}: ${f}`)
          : [`${from}: pg_restore (${r.what}) exited with code ${r.code}: ${r.stderr.trim().slice(-500)}`]),
      );
    }
    return failures;
  }

  async fingerprint(target: PostgresTarget, recorded?: Fingerprint): Promise<Fingerprint> {
    // Rows are hashed the way the snapshot's were: COPY text in pg_dump's session settings, or (snapshots from
    // before that method) md5 sums in the server. Without a snapshot to follow: COPY text in this server's defaults.
    const legacy = recorded !== undefined && printParams(recorded) === undefined;
    const params: PostgresPrintParams = { rows: ROW_HASH_METHOD, databases: {} };
    const fp: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    for (const { from, to } of target.databases) {
      const client = await connect(withDatabase(target.conn, to), this.name);
      try {
        let print: Awaited<ReturnType<typeof databasePrint>>;
        let largeObjects: SetHash | undefined;
        if (legacy) {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
          for (const s of STABLE_SETTINGS) await client.query(s);
          print = await databasePrint(client);
        } else {
          const session = printParams(recorded)?.databases[from] ?? {
            encoding: (await client.query('SELECT pg_client_encoding() AS e')).rows[0].e as string,
            ...(await sessionDefaults(client)),
          };
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
          for (const s of dumpSessionSettings(session)) await client.query(s);
          print = await databasePrint(client, (t) => copyTablePrint(client, t, session.encoding));
          largeObjects = await largeObjectsPrint(client);
          params.databases[from] = session;
        }
        await client.query('COMMIT');
        const prefix = `${from}: `;
        for (const [k, v] of Object.entries(print.schema)) fp.schema[prefix + k] = v;
        for (const [k, v] of Object.entries(largeObjects ? withTotals(print.data, largeObjects) : print.data))
          fp.data[prefix + k] = v;
        for (const [seq, v] of Object.entries(print.sequences)) fp.schema[`${prefix}sequence value ${seq}`] = v;
      } finally {
        await client.end().catch(() => {});
      }
    }
    return legacy ? fp : { ...fp, params: { ...params } };
  }
}

/**
 * pg_restore reports each failed object as "pg_restore: error: could not execute query: ERROR: ..." followed by
 * "Command was: ...". Returns one line per failure: the server's message and the statement's start.
 */
export function parseRestoreErrors(stderr: string): string[] {
  const out: string[] = [];
  const lines = stderr.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!/^pg_restore: error:/.test(l)) continue;
    let msg = l.replace(/^pg_restore: error: (could not execute query: )?/, '');
    const cmd = lines.slice(i + 1, i + 6).find((x) => x.startsWith('Command was:'));
    if (cmd) msg += ` (${cmd.replace('Command was: ', '').slice(0, 160)})`;
    out.push(msg);
  }
  return out;
}
