import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  IncompleteRestoreError
} from "./chunk-AWV2AHQ3.js";
import {
  UNCOMPARED,
  digestOf
} from "./chunk-QLW5RLIF.js";
import "./chunk-HI5IRQ64.js";
import {
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
} from "./chunk-ZA4Z5EP6.js";
import "./chunk-VJUWFMCE.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/stores/postgres/adapter.ts
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
import { pipeline } from "node:stream/promises";

// src/stores/postgres/binaries.ts
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
function majorOf(binary) {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (r.status !== 0) return void 0;
  const m = /\(PostgreSQL\) (\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : void 0;
}
function inDir(dir) {
  const pgDump = join(dir, "pg_dump");
  if (!existsSync(pgDump)) return void 0;
  const major = majorOf(pgDump);
  if (major === void 0) return void 0;
  return {
    dir,
    major,
    pgDump,
    pgDumpAll: join(dir, "pg_dumpall"),
    pgRestore: join(dir, "pg_restore"),
    psql: join(dir, "psql")
  };
}
function candidates() {
  const dirs = [];
  for (const base of ["/usr/lib/postgresql", "/usr/pgsql"]) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) dirs.push(join(base, v, "bin"));
  }
  for (const p of (process.env.PATH ?? "").split(":")) if (p) dirs.push(p);
  return dirs;
}
function findBinaries(serverMajor2, store, binDir) {
  if (binDir) {
    const b = inDir(binDir);
    if (!b) {
      throw new BackdrillError("usage", `store ${store}: no working pg_dump in binDir ${binDir}`, {
        hint: "point binDir at the bin directory of a PostgreSQL client installation"
      });
    }
    if (b.major < serverMajor2) throw tooOld(store, b, serverMajor2);
    return b;
  }
  const found = candidates().map(inDir).filter((b) => b !== void 0);
  const exact = found.find((b) => b.major === serverMajor2);
  if (exact) return exact;
  const newer = found.filter((b) => b.major > serverMajor2).sort((a, b) => a.major - b.major)[0];
  if (newer) return newer;
  const older = found.sort((a, b) => b.major - a.major)[0];
  if (older) throw tooOld(store, older, serverMajor2);
  throw new BackdrillError("usage", `store ${store}: pg_dump is not installed`, {
    hint: `install the PostgreSQL ${serverMajor2} client (e.g. apt-get install postgresql-client-${serverMajor2}) or set binDir`
  });
}
function tooOld(store, b, serverMajor2) {
  return new BackdrillError(
    "usage",
    `store ${store}: ${b.pgDump} is PostgreSQL ${b.major}, older than the server (${serverMajor2}); it cannot dump it`,
    { hint: `install the PostgreSQL ${serverMajor2} client tools and set binDir to their bin directory` }
  );
}

// src/stores/postgres/fingerprint.ts
var STABLE_SETTINGS = [
  "SET LOCAL datestyle = 'ISO, YMD'",
  "SET LOCAL intervalstyle = 'postgres'",
  "SET LOCAL timezone = 'UTC'",
  "SET LOCAL extra_float_digits = 3",
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL lc_monetary = 'C'"
];
var USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;
var NOT_EXT = (cls, oid) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
function quoteIdent(s) {
  return `"${s.replace(/"/g, '""')}"`;
}
async function rows(client, sql) {
  return (await client.query(sql)).rows;
}
async function schemaPrint(client) {
  const out = {};
  const put = (name, def) => {
    out[name] = digestOf(JSON.stringify(def));
  };
  for (const r of await rows(
    client,
    `SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, obj_description(n.oid, 'pg_namespace') AS comment
       FROM pg_namespace n WHERE ${USER_NS} AND ${NOT_EXT("pg_namespace", "n.oid")} AND n.nspname <> 'public'`
  )) {
    put(`schema ${r.nspname}`, r);
  }
  for (const r of await rows(
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
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    const label = { r: "table", p: "table", v: "view", m: "materialized view", f: "foreign table" }[r.kind] ?? r.kind;
    put(`${label} ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, con.conname) AS name,
            con.contype::text || ' ' || pg_get_constraintdef(con.oid, true) || coalesce(' -- ' || obj_description(con.oid, 'pg_constraint'), '') AS def
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    put(`constraint ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', n.nspname, ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_class", "i.indrelid")}`
  )) {
    put(`index ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, data_type::text, start_value::text, min_value::text,
            max_value::text, increment_by::text, cycle, cache_size::text
       FROM pg_sequences s
      WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.deptype = 'e')`
  )) {
    put(`sequence ${r.name}`, r);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS name,
            CASE WHEN p.prokind = 'a' THEN 'aggregate ' || pg_get_function_identity_arguments(p.oid)
                 ELSE pg_get_functiondef(p.oid) END || coalesce(' -- ' || obj_description(p.oid, 'pg_proc'), '') AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${USER_NS} AND ${NOT_EXT("pg_proc", "p.oid")}`
  )) {
    put(`function ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT format('%I.%I.%I', n.nspname, c.relname, t.tgname) AS name, pg_get_triggerdef(t.oid, true) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}`
  )) {
    put(`trigger ${r.name}`, r.def);
  }
  for (const r of await rows(
    client,
    `SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname <> 'plpgsql'`
  )) {
    put(`extension ${r.extname}`, r);
  }
  for (const r of await rows(
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
      WHERE t.typtype IN ('e', 'd', 'r') AND ${USER_NS} AND ${NOT_EXT("pg_type", "t.oid")}`
  )) {
    const label = { e: "enum", d: "domain", r: "range type" }[r.kind] ?? "type";
    put(`${label} ${r.name}`, r.def);
  }
  return out;
}
async function dataTables(client) {
  return rows(
    client,
    `SELECT format('%I.%I', n.nspname, c.relname) AS name,
            CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'table' END AS label
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND ${USER_NS} AND ${NOT_EXT("pg_class", "c.oid")}
        AND (c.relkind <> 'm' OR c.relispopulated)
      ORDER BY 1`
  );
}
async function tablePrint(client, qualified) {
  const r = await client.query(
    `SELECT count(*)::bigint AS n,
            coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
            coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
       FROM (SELECT md5(ROW(bd_row.*)::text) AS h FROM ONLY ${qualified} bd_row OFFSET 0) s`
  );
  const row = r.rows[0];
  return { count: Number(row.n), hash: digestOf(`${row.n}:${row.a}:${row.b}`) };
}
async function sequenceValues(client) {
  const out = {};
  for (const r of await rows(
    client,
    `SELECT format('%I.%I', schemaname, sequencename) AS name, last_value::text AS v FROM pg_sequences`
  )) {
    out[r.name] = r.v ?? "unset";
  }
  return out;
}
async function databasePrint(client) {
  const schema = await schemaPrint(client);
  const data = {};
  for (const t of await dataTables(client)) data[`${t.label} ${t.name}`] = await tablePrint(client, t.name);
  return { schema, data, sequences: await sequenceValues(client) };
}

// src/stores/postgres/adapter.ts
var GLOBALS = "globals.sql";
var dumpArtifact = (db) => `databases/${encodeURIComponent(db)}.dump`;
var dirArtifactPrefix = (db) => `databases/${encodeURIComponent(db)}/`;
function databasesIn(source) {
  const dbs = /* @__PURE__ */ new Set();
  for (const n of source.names()) {
    const m = /^databases\/([^/]+?)(?:\.dump|\/.*)$/.exec(n);
    if (m) dbs.add(decodeURIComponent(m[1]));
  }
  return [...dbs].sort();
}
function serverMajor(versionNum) {
  return Math.floor(versionNum / 1e4);
}
function run(proc, what) {
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += d.toString();
    if (stderr.length > 1e6) stderr = stderr.slice(-5e5);
  });
  return new Promise((resolve, reject) => {
    proc.once("error", (err) => reject(new BackdrillError("fatal", `${what}: ${err.message}`, { cause: err })));
    proc.once("close", (code, signal) => {
      if (code === 0) resolve(stderr);
      else {
        const tail = stderr.trim().split("\n").slice(-8).join("\n");
        reject(new BackdrillError("fatal", `${what} failed (${signal ?? `exit ${code}`}): ${tail}`));
      }
    });
  });
}
var PostgresAdapter = class _PostgresAdapter {
  constructor(config) {
    this.config = config;
    this.name = config.name;
    this.conn = parsePgUrl(config.url, config.name);
  }
  config;
  kind = "postgres";
  name;
  conn;
  async server(client) {
    const r = await client.query(
      "SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n"
    );
    const row = r.rows[0];
    return { version: row.v, num: row.n, bins: findBinaries(serverMajor(row.n), this.name, this.config.binDir) };
  }
  async selectDatabases(client) {
    const all = (await client.query("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname")).rows.map((r) => r.datname);
    const wanted = this.config.databases ?? all;
    const missing = wanted.filter((d) => !all.includes(d));
    if (missing.length > 0) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: database(s) ${missing.join(", ")} do not exist on ${describeConn(this.conn)}`,
        {
          hint: `the server has: ${all.join(", ")}`
        }
      );
    }
    const chosen = wanted.filter((d) => !this.config.exclude.includes(d));
    if (chosen.length === 0) throw new BackdrillError("usage", `store ${this.name}: no databases left to back up`);
    return chosen;
  }
  async probe() {
    const client = await connect(this.conn, this.name);
    try {
      const { version } = await this.server(client);
      const dbs = (await client.query(
        `SELECT datname, pg_database_size(oid)::bigint AS size, pg_encoding_to_char(encoding) AS encoding
             FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname`
      )).rows;
      const databases = [];
      for (const d of dbs) {
        const c = await connect(withDatabase(this.conn, d.datname), this.name);
        try {
          const ext = (await c.query("SELECT extname, extversion FROM pg_extension ORDER BY 1")).rows;
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
  async backup(sink) {
    const admin = await connect(this.conn, this.name);
    const warnings = [];
    const fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const details = [];
    let version;
    let earliest;
    try {
      const server = await this.server(admin);
      version = server.version;
      const databases = await this.selectDatabases(admin);
      if (this.config.globals) {
        const proc = spawn(
          server.bins.pgDumpAll,
          ["--globals-only", ...this.config.rolePasswords ? [] : ["--no-role-passwords"]],
          { env: libpqEnv(this.conn), stdio: ["ignore", "pipe", "pipe"] }
        );
        await Promise.all([sink.add(GLOBALS, proc.stdout), run(proc, "pg_dumpall --globals-only")]);
      }
      for (const db of databases) {
        const d = await this.backupDatabase(db, server.bins, sink, fingerprint, warnings);
        details.push(d);
        if (!earliest || String(d.at) < earliest) earliest = String(d.at);
      }
    } finally {
      await admin.end();
    }
    return {
      capture: {
        at: earliest ?? (/* @__PURE__ */ new Date()).toISOString(),
        serverVersion: version,
        details: { databases: details, format: this.config.format, globals: this.config.globals }
      },
      fingerprint,
      warnings
    };
  }
  async backupDatabase(db, bins, sink, fingerprint, warnings) {
    const conn = withDatabase(this.conn, db);
    const client = await connect(conn, this.name);
    let tmp;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      for (const s of STABLE_SETTINGS) await client.query(s);
      const meta = (await client.query(
        `SELECT pg_export_snapshot() AS snapshot, now() AS at,
                  pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS collate, d.datctype AS ctype,
                  CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END::text AS lsn
             FROM pg_database d WHERE d.datname = current_database()`
      )).rows[0];
      const seqBefore = await sequenceValues(client);
      const common = ["--snapshot", meta.snapshot, "--no-sync", "--dbname", db];
      let dumpDone;
      if (this.config.format === "custom") {
        const proc = spawn(bins.pgDump, ["-Fc", "-Z0", ...common], {
          env: libpqEnv(conn),
          stdio: ["ignore", "pipe", "pipe"]
        });
        const exited = run(proc, `pg_dump of ${db}`);
        exited.catch(() => {
        });
        dumpDone = sink.add(dumpArtifact(db), proc.stdout).then(
          () => exited,
          async (err) => {
            proc.kill("SIGTERM");
            await exited.catch(() => {
            });
            throw err;
          }
        );
      } else {
        tmp = await mkdtemp(join2(tmpdir(), "backdrill-pgdump-"));
        const out = join2(tmp, "dump");
        const proc = spawn(bins.pgDump, ["-Fd", "-Z0", "-j", String(this.config.jobs), "-f", out, ...common], {
          env: libpqEnv(conn),
          stdio: ["ignore", "ignore", "pipe"]
        });
        dumpDone = run(proc, `pg_dump of ${db}`).then(async () => {
          for (const f of (await readdir(out)).sort())
            await sink.add(`${dirArtifactPrefix(db)}${f}`, createReadStream(join2(out, f)));
        });
      }
      const [, print] = await Promise.all([dumpDone, databasePrint(client)]);
      const seqAfter = await sequenceValues(client);
      await client.query("COMMIT");
      const prefix = `${db}: `;
      for (const [k, v] of Object.entries(print.schema)) fingerprint.schema[prefix + k] = v;
      for (const [k, v] of Object.entries(print.data)) fingerprint.data[prefix + k] = v;
      const moved = [];
      for (const [seq, before] of Object.entries(seqBefore)) {
        const stable = seqAfter[seq] === before;
        fingerprint.schema[`${prefix}sequence value ${seq}`] = stable ? before : UNCOMPARED;
        if (!stable) moved.push(seq);
      }
      if (moved.length > 0) {
        warnings.push(
          `${this.name}/${db}: sequence(s) ${moved.slice(0, 5).join(", ")}${moved.length > 5 ? ", ..." : ""} advanced during the backup; their restored values are not compared (rows are: they come from the snapshot)`
        );
      }
      return {
        database: db,
        snapshot: meta.snapshot,
        at: meta.at.toISOString(),
        lsn: meta.lsn,
        encoding: meta.encoding,
        collate: meta.collate,
        ctype: meta.ctype
      };
    } finally {
      await client.end().catch(() => {
      });
      if (tmp) await rm(tmp, { recursive: true, force: true });
    }
  }
  target(spec, source) {
    const dbs = databasesIn(source);
    if (dbs.length === 0)
      throw new BackdrillError("integrity", `store ${this.name}: the snapshot holds no database dumps`);
    const conn = spec ? parsePgUrl(spec, this.name) : this.conn;
    const named = spec ? new URL(spec).pathname.replace(/^\//, "") : "";
    let databases;
    if (named) {
      if (dbs.length > 1) {
        throw new BackdrillError(
          "usage",
          `the snapshot holds ${dbs.length} databases (${dbs.join(", ")}); the target names one`,
          {
            hint: "give a server URL without a database name: each database is restored under its own name"
          }
        );
      }
      databases = [{ from: dbs[0], to: decodeURIComponent(named) }];
    } else {
      databases = dbs.map((d) => ({ from: d, to: d }));
    }
    return { conn: withDatabase(conn, "postgres"), databases, globals: source.names().includes(GLOBALS) };
  }
  async backupTarget(target, sink) {
    const admin = await connect(target.conn, this.name);
    let existing;
    try {
      const names = target.databases.map((d) => d.to);
      existing = (await admin.query("SELECT datname FROM pg_database WHERE datname = ANY($1)", [names])).rows.map(
        (r) => r.datname
      );
    } finally {
      await admin.end();
    }
    const url = new URL(this.config.url);
    url.hostname = target.conn.host;
    url.port = String(target.conn.port);
    url.username = encodeURIComponent(target.conn.user);
    url.password = target.conn.password === void 0 ? "" : encodeURIComponent(target.conn.password);
    url.pathname = "/postgres";
    const adapter = new _PostgresAdapter({
      ...this.config,
      url: url.toString(),
      databases: existing,
      exclude: [],
      globals: false
    });
    return adapter.backup(sink);
  }
  async targetIsEmpty(target) {
    const admin = await connect(target.conn, this.name);
    try {
      for (const { to } of target.databases) {
        const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [to])).rowCount;
        if (!exists) continue;
        const c = await connect(withDatabase(target.conn, to), this.name);
        try {
          const n = (await c.query(
            `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND s.nspname NOT LIKE 'pg_temp%'
                  AND s.nspname NOT LIKE 'pg_toast_temp%'`
          )).rows[0];
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
  async restore(source, target, options) {
    const admin = await connect(target.conn, this.name);
    const warnings = [];
    const failures = [];
    const tmp = await mkdtemp(join2(tmpdir(), "backdrill-pgrestore-"));
    try {
      const { bins } = await this.server(admin);
      if (target.globals) failures.push(...await this.restoreGlobals(source, target, bins));
      for (const { from, to } of target.databases) {
        options.signal?.throwIfAborted();
        failures.push(...await this.restoreDatabase(source, target, bins, admin, from, to, tmp, options));
      }
    } finally {
      await admin.end().catch(() => {
      });
      await rm(tmp, { recursive: true, force: true });
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} object(s) failed to restore into ${describeConn(target.conn)}`,
        failures
      );
    }
    return { warnings };
  }
  async restoreGlobals(source, target, bins) {
    const proc = spawn(bins.psql, ["-X", "-q", "-v", "ON_ERROR_STOP=0", "-d", "postgres", "-f", "-"], {
      env: libpqEnv(target.conn),
      stdio: ["pipe", "ignore", "pipe"]
    });
    const done = run(proc, "psql (globals)");
    await pipeline(source.open(GLOBALS), proc.stdin);
    const stderr = await done;
    return stderr.split("\n").filter((l) => /ERROR:/.test(l) && !/already exists/.test(l)).map((l) => `globals: ${l.replace(/^psql:[^:]*:\d+: /, "")}`);
  }
  async restoreDatabase(source, target, bins, admin, from, to, tmp, options) {
    const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [to])).rowCount;
    if (exists) {
      if (!options.force) {
        const empty = await this.targetIsEmpty({ ...target, databases: [{ from, to }] });
        if (!empty) {
          throw new BackdrillError(
            "usage",
            `store ${this.name}: database ${to} on ${describeConn(target.conn)} is not empty`,
            {
              hint: "restore into an empty database, or pass --force (the current contents are saved as a safety snapshot first)"
            }
          );
        }
      }
      await admin.query(`DROP DATABASE ${quoteIdent(to)} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${quoteIdent(to)} TEMPLATE template0 ENCODING 'UTF8'`);
    const file = join2(tmp, `${encodeURIComponent(from)}.dump`);
    const names = source.names();
    let archive;
    if (names.includes(dumpArtifact(from))) {
      await pipeline(source.open(dumpArtifact(from), { releaseConsumed: true }), createWriteStream(file));
      archive = file;
    } else {
      archive = join2(tmp, `${encodeURIComponent(from)}.dir`);
      await mkdir(archive);
      for (const n of names.filter((x) => x.startsWith(dirArtifactPrefix(from)))) {
        await pipeline(
          source.open(n, { releaseConsumed: true }),
          createWriteStream(join2(archive, n.slice(dirArtifactPrefix(from).length)))
        );
      }
    }
    const conn = withDatabase(target.conn, to);
    const toc = await this.listArchive(bins, archive);
    const timescale = /EXTENSION - timescaledb\b/.test(toc);
    let tsClient;
    if (timescale) {
      tsClient = await connect(conn, this.name);
      await tsClient.query("CREATE EXTENSION IF NOT EXISTS timescaledb");
      await tsClient.query("SELECT timescaledb_pre_restore()");
    }
    const jobs = Math.max(1, options.jobs ?? this.config.jobs);
    const proc = spawn(bins.pgRestore, ["-j", String(jobs), "--dbname", to, archive], {
      env: libpqEnv(conn),
      stdio: ["ignore", "ignore", "pipe"]
    });
    let stderr = "";
    proc.stderr.on("data", (d) => {
      stderr += d.toString();
    });
    const code = await new Promise((resolve, reject) => {
      proc.once("error", reject);
      proc.once("close", (c) => resolve(c ?? 1));
    });
    if (tsClient) {
      await tsClient.query("SELECT timescaledb_post_restore()");
      await tsClient.end();
    }
    if (code === 0) return [];
    const failures = parseRestoreErrors(stderr).map((f) => `${from}: ${f}`);
    return failures.length > 0 ? failures : [`${from}: pg_restore exited with code ${code}: ${stderr.trim().slice(-500)}`];
  }
  async listArchive(bins, archive) {
    const proc = spawn(bins.pgRestore, ["-l", archive], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (d) => {
      out += d.toString();
    });
    await run(proc, "pg_restore -l");
    return out;
  }
  async fingerprint(target) {
    const fp = { version: 1, kind: this.kind, schema: {}, data: {} };
    for (const { from, to } of target.databases) {
      const client = await connect(withDatabase(target.conn, to), this.name);
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        for (const s of STABLE_SETTINGS) await client.query(s);
        const print = await databasePrint(client);
        await client.query("COMMIT");
        const prefix = `${from}: `;
        for (const [k, v] of Object.entries(print.schema)) fp.schema[prefix + k] = v;
        for (const [k, v] of Object.entries(print.data)) fp.data[prefix + k] = v;
        for (const [seq, v] of Object.entries(print.sequences)) fp.schema[`${prefix}sequence value ${seq}`] = v;
      } finally {
        await client.end().catch(() => {
        });
      }
    }
    return fp;
  }
};
function parseRestoreErrors(stderr) {
  const out = [];
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!/^pg_restore: error:/.test(l)) continue;
    let msg = l.replace(/^pg_restore: error: (could not execute query: )?/, "");
    const cmd = lines.slice(i + 1, i + 6).find((x) => x.startsWith("Command was:"));
    if (cmd) msg += ` (${cmd.replace("Command was: ", "").slice(0, 160)})`;
    out.push(msg);
  }
  return out;
}
export {
  PostgresAdapter,
  parseRestoreErrors
};
