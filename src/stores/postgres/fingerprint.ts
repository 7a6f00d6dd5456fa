// The PostgreSQL fingerprint of one database: per table a row count and an order-independent hash of its rows,
// and a digest per schema object (tables and columns, constraints, indexes, sequences, views, functions,
// triggers, extensions, enums, domains, comments).
//
// Row hashes (since the copy-xxh64x2 method) hash each row's COPY text as pg_dump wrote it: at backup time from
// the dump itself as it streams to the repository (archive.ts), at compare time from COPY ... TO STDOUT in a
// session set up as pg_dump's was (dumpSessionSettings). Snapshots from before then recorded md5 sums computed in the
// server (legacyTablePrint), and are compared that way.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { digestOf, SetHash } from '../fingerprint.ts';
import { RowHasher } from './rowhash.ts';

/** The session settings of legacy fingerprints (md5 sums in the server), which comparisons with them still use. */
export const STABLE_SETTINGS = [
  "SET LOCAL datestyle = 'ISO, YMD'",
  "SET LOCAL intervalstyle = 'postgres'",
  "SET LOCAL timezone = 'UTC'",
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL lc_monetary = 'C'",
];

const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;
/** Objects an extension created belong to the extension, not to the user's schema. */
const NOT_EXT = (cls: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export interface DatabasePrint {
  schema: Record<string, string>;
  data: Record<string, { count: number; hash: string }>;
  /** Sequence name -> value, read in this session (sequences are not transactional). */
  sequences: Record<string, string>;
}

async function rows<T>(client: pg.Client, sql: string): Promise<T[]> {
  return (await client.query(sql)).rows as T[];
}

/** Schema digests: name -> digest of the canonical definition. Names are unique per kind and schema. */
export async function schemaPrint(client: pg.Client): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const put = (name: string, def: unknown) => {
    out[name] = digestOf(JSON.stringify(def));
  };

  for (const r of await rows<{ nspname: string; owner: string; comment: string | null }>(
    client,
    `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, obj_description(n.oid, 'pg_namespace') AS comment
       FROM pg_namespace n WHERE ${USER_NS} AND ${NOT_EXT('pg_namespace', 'n.oid')} AND n.nspname <> 'public'`,
  )) {
    put(`schema ${r.nspname}`, r);
  }

  for (const r of await rows<{ name: string; kind: string; def: unknown }>(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind AS kind,
            json_build_object(
              'kind', c.relkind, 'persistence', c.relpersistence,
              'partitioned_by', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
              'partition_of', (SELECT format('%s %s', i.inhparent::regclass, pg_get_expr(c.relpartbound, c.oid))
                                 FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition),
              'comment', obj_description(c.oid, 'pg_class'),
              'columns', (SELECT json_agg(json_build_object(
                             'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
                             'notnull', a.attnotnull, 'default', pg_get_expr(ad.adbin, ad.adrelid),
                             'generated', a.attgenerated, 'identity', a.attidentity,
                             'collation', CASE WHEN a.attcollation <> 0 THEN (SELECT collname FROM pg_collation WHERE oid = a.attcollation) END,
                             'comment', col_description(c.oid, a.attnum)) ORDER BY a.attnum)
                          FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
              'view', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END) AS def
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NS} AND ${NOT_EXT('pg_class', 'c.oid')}`,
  )) {
    const label = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' }[r.kind] ?? r.kind;
    put(`${label} ${r.name}`, r.def);
  }

  for (const r of await rows<{ name: string; def: string }>(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, con.conname) AS name,
            con.contype::text || ' ' || pg_get_constraintdef(con.oid, true) || coalesce(' -- ' || obj_description(con.oid, 'pg_constraint'), '') AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT('pg_class', 'c.oid')}`,
  )) {
    put(`constraint ${r.name}`, r.def);
  }

  for (const r of await rows<{ name: string; def: string }>(
    client,
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT('pg_class', 'i.indrelid')}`,
  )) {
    put(`index ${r.name}`, r.def);
  }

  for (const r of await rows<{ name: string }>(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, data_type::text, start_value::text, min_value::text,
            max_value::text, increment_by::text, cycle, cache_size::text
       FROM pg_sequences s
      WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.deptype = 'e')`,
  )) {
    put(`sequence ${r.name}`, r);
  }

  for (const r of await rows<{ name: string; def: string }>(
    client,
    `SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS name,
            CASE WHEN p.prokind = 'a' THEN 'aggregate ' || pg_get_function_identity_arguments(p.oid)
                 ELSE pg_get_functiondef(p.oid) END || coalesce(' -- ' || obj_description(p.oid, 'pg_proc'), '') AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_NS} AND ${NOT_EXT('pg_proc', 'p.oid')}`,
  )) {
    put(`function ${r.name}`, r.def);
  }

  for (const r of await rows<{ name: string; def: string }>(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, t.tgname) AS name, pg_get_triggerdef(t.oid, true) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_NS} AND ${NOT_EXT('pg_class', 'c.oid')}`,
  )) {
    put(`trigger ${r.name}`, r.def);
  }

  for (const r of await rows<{ extname: string; extversion: string; nspname: string }>(
    client,
    `SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql'`,
  )) {
    put(`extension ${r.extname}`, r);
  }

  for (const r of await rows<{ name: string; kind: string; def: unknown }>(
    client,
    `SELECT format('%I.%I', n.nspname, t.typname) AS name, t.typtype AS kind,
            CASE t.typtype
              WHEN 'e' THEN (SELECT json_agg(enumlabel ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)
              WHEN 'd' THEN json_build_object('base', format_type(t.typbasetype, t.typtypmod), 'notnull', t.typnotnull,
                             'default', t.typdefault,
                             'checks', (SELECT json_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname)
                                          FROM pg_constraint c WHERE c.contypid = t.oid))
              WHEN 'r' THEN (SELECT json_build_object('subtype', format_type(rngsubtype, NULL)) FROM pg_range WHERE rngtypid = t.oid)
              WHEN 'c' THEN json_build_object('comment', obj_description(t.oid, 'pg_type'))
            END AS def
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype IN ('e', 'd', 'r') AND ${USER_NS} AND ${NOT_EXT('pg_type', 't.oid')}`,
  )) {
    const label = { e: 'enum', d: 'domain', r: 'range type' }[r.kind] ?? 'type';
    put(`${label} ${r.name}`, r.def);
  }
  return out;
}

export interface DataTable {
  /** Schema-qualified, quoted where needed. */
  name: string;
  label: 'table' | 'materialized view';
  nspname: string;
  relname: string;
  /** The columns pg_dump copies (not dropped, not generated), quoted, comma-separated; '' for none. */
  columns: string;
}

/** Tables whose rows are hashed: ordinary tables and partitions (parents hold no rows) and materialized views. */
export async function dataTables(client: pg.Client): Promise<DataTable[]> {
  return rows(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name,
            CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'table' END AS label, n.nspname, c.relname,
            coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''), '')
              AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND ${USER_NS} AND ${NOT_EXT('pg_class', 'c.oid')}
        AND (c.relkind <> 'm' OR c.relispopulated)
      ORDER BY 1`,
  );
}

/**
 * Count and content hash of one table: every row's text is md5'd in the server and the two 64-bit halves are
 * summed as numerics, so the result does not depend on row order and only two numbers cross the wire.
 * `alias.*` always means the whole row, even when a column has the alias's name (a bare alias would not).
 * OFFSET 0 keeps the planner from inlining the subquery, which would compute md5 twice per row.
 */
export async function legacyTablePrint(client: pg.Client, qualified: string): Promise<{ count: number; hash: string }> {
  const r = await client.query(
    `SELECT count(*)::bigint AS n,
            coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
            coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
       FROM (SELECT md5(ROW(bd_row.*)::text) AS h FROM ONLY ${qualified} bd_row OFFSET 0) s`,
  );
  const row = r.rows[0] as { n: string; a: string; b: string };
  return { count: Number(row.n), hash: digestOf(`${row.n}:${row.a}:${row.b}`) };
}

export async function sequenceValues(client: pg.Client): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of await rows<{ name: string; v: string | null }>(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS v FROM pg_sequences`,
  )) {
    out[r.name] = r.v ?? 'unset';
  }
  return out;
}

/** The settings of pg_dump's session that its COPY text depends on, recorded per database with the row hashes. */
export interface DumpSession {
  /** client_encoding (pg_dump's ENCODING entry). */
  encoding: string;
  byteaOutput: string;
  lcMonetary: string;
}

const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * What a session must set so that COPY ... TO STDOUT writes exactly the text pg_dump did (pg_dump.c
 * setup_connection, and PGTZ=UTC from libpqEnv). The client encoding is set around each COPY only (copyTablePrint):
 * the driver reads everything else as UTF-8.
 */
export function dumpSessionSettings(s: DumpSession): string[] {
  return [
    "SET LOCAL datestyle = 'ISO'",
    "SET LOCAL intervalstyle = 'postgres'",
    'SET LOCAL extra_float_digits = 3',
    "SET LOCAL timezone = 'UTC'",
    "SELECT pg_catalog.set_config('search_path', '', true)",
    `SET LOCAL bytea_output = ${lit(s.byteaOutput)}`,
    `SET LOCAL lc_monetary = ${lit(s.lcMonetary)}`,
  ];
}

/** The defaults a new session of this role on this database gets (pg_dump's, which sets neither). */
export async function sessionDefaults(client: pg.Client): Promise<Omit<DumpSession, 'encoding'>> {
  const r = await client.query(
    "SELECT current_setting('bytea_output') AS bytea, current_setting('lc_monetary') AS monetary",
  );
  const row = r.rows[0] as { bytea: string; monetary: string };
  return { byteaOutput: row.bytea, lcMonetary: row.monetary };
}

/** Count and row hash of one table's (or materialized view's) COPY text, in the client's session, in `encoding`. */
export async function copyTablePrint(
  client: pg.Client,
  t: DataTable,
  encoding: string,
): Promise<{ count: number; hash: string }> {
  const sql =
    t.label === 'table'
      ? `COPY ${t.name}${t.columns ? ` (${t.columns})` : ''} TO STDOUT`
      : `COPY (SELECT ${t.columns} FROM ONLY ${t.name}) TO STDOUT`;
  const hasher = new RowHasher();
  const recode = encoding !== 'UTF8';
  if (recode) await client.query(`SET LOCAL client_encoding = ${lit(encoding)}`);
  try {
    for await (const chunk of client.query(copyTo(sql)) as AsyncIterable<Buffer>) hasher.rows(chunk);
  } finally {
    if (recode) await client.query("SET LOCAL client_encoding = 'UTF8'");
  }
  if (hasher.partial) throw new Error(`COPY of ${t.name} ended inside a row`);
  return hasher.digest();
}

/** Large objects read back as a backup reads them from the dump: one element "<oid>:<sha256 of the data>" each,
 * fetched a batch at a time, each object in slices. */
export async function largeObjectsPrint(client: pg.Client): Promise<SetHash> {
  const set = new SetHash();
  const SLICE = 8 << 20;
  let after = '0';
  for (;;) {
    const batch = (
      await client.query(
        'SELECT oid::text AS oid FROM pg_largeobject_metadata WHERE oid > $1::oid ORDER BY oid LIMIT 1000',
        [after],
      )
    ).rows as Array<{ oid: string }>;
    for (const { oid } of batch) {
      const hash = createHash('sha256');
      for (let offset = 0; ; offset += SLICE) {
        const r = await client.query('SELECT lo_get($1::oid, $2, $3) AS d', [oid, offset, SLICE]);
        const d = (r.rows[0] as { d: Buffer }).d;
        hash.update(d);
        if (d.length < SLICE) break;
      }
      set.add(`${oid}:${hash.digest('hex')}`);
    }
    if (batch.length < 1000) return set;
    after = batch.at(-1)!.oid;
  }
}

/** The whole fingerprint of the database the client is connected to, in its current transaction; rows hashed by
 * `rowsOf` (legacy snapshots: in the server). */
export async function databasePrint(
  client: pg.Client,
  rowsOf: (t: DataTable) => Promise<{ count: number; hash: string }> = (t) => legacyTablePrint(client, t.name),
): Promise<DatabasePrint> {
  const schema = await schemaPrint(client);
  const data: DatabasePrint['data'] = {};
  for (const t of await dataTables(client)) data[`${t.label} ${t.name}`] = await rowsOf(t);
  return { schema, data, sequences: await sequenceValues(client) };
}
