import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  pollUntil,
  tcpOpen
} from "./chunk-VOKAOIH6.js";
import {
  compareStore,
  restoreStore
} from "./chunk-CSRU5HLI.js";
import {
  readDrillRecords,
  writeDrillRecord
} from "./chunk-GFUANP3F.js";
import {
  commonJs,
  describeIssue,
  disposeAll,
  parseDuration
} from "./chunk-QIT5Z5FJ.js";
import {
  require_dist
} from "./chunk-UJ4HRMPL.js";
import {
  CapturePoint,
  IncompleteRestoreError
} from "./chunk-AWV2AHQ3.js";
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  redactUrl
} from "./chunk-DRSBD567.js";
import {
  BackdrillError,
  UsageError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/drill/checks.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
var StoreQuery = external_exports.object({
  store: external_exports.string(),
  /** PostgreSQL: the database (default: the snapshot's only database). */
  database: external_exports.string().optional(),
  sql: external_exports.string().optional(),
  cypher: external_exports.string().optional(),
  qdrant: external_exports.object({
    collection: external_exports.string(),
    /** count: points matching the filter; ids: the point ids (for key sets). */
    op: external_exports.enum(["count", "ids"]).default("count"),
    filter: external_exports.record(external_exports.string(), external_exports.unknown()).optional(),
    /** For ids: use this payload field instead of the point id. */
    payloadKey: external_exports.string().optional()
  }).strict().optional()
}).strict().refine((q) => [q.sql, q.cypher, q.qdrant].filter((x) => x !== void 0).length === 1, {
  message: "give exactly one of sql, cypher or qdrant"
});
var Scalar = external_exports.union([external_exports.string(), external_exports.number(), external_exports.boolean(), external_exports.null()]);
var Expectation = external_exports.object({
  equals: Scalar.optional(),
  min: external_exports.number().optional(),
  max: external_exports.number().optional(),
  /** The whole result, as rows of values (order matters). */
  rows: external_exports.array(external_exports.array(Scalar)).optional()
}).strict().refine((e) => Object.values(e).some((v) => v !== void 0), {
  message: "say what to expect: equals, min, max or rows"
});
var Check = external_exports.intersection(external_exports.object({ name: external_exports.string().min(1), expect: Expectation }), StoreQuery);
var KeyRule = external_exports.object({
  name: external_exports.string().min(1),
  kind: external_exports.enum(["equal", "subset", "disjoint"]),
  left: StoreQuery,
  right: StoreQuery
}).strict();
var Orphans = external_exports.object({
  name: external_exports.string().min(1),
  builtin: external_exports.literal("orphans"),
  /** Keys that must each have a parent: e.g. SELECT customer_id::text FROM orders */
  children: StoreQuery,
  /** The parents' keys: e.g. MATCH (c:Customer) RETURN c.id */
  parents: StoreQuery
}).strict();
var Nulls = external_exports.object({
  name: external_exports.string().min(1),
  builtin: external_exports.literal("nulls"),
  store: external_exports.string(),
  database: external_exports.string().optional(),
  /** PostgreSQL: table and critical columns; Neo4j: label and critical properties. */
  table: external_exports.string().optional(),
  label: external_exports.string().optional(),
  fields: external_exports.array(external_exports.string()).min(1)
}).strict();
var DuplicateRelationships = external_exports.object({
  name: external_exports.string().min(1),
  builtin: external_exports.literal("duplicate-relationships"),
  store: external_exports.string(),
  type: external_exports.string()
}).strict();
var Rule = external_exports.union([KeyRule, Orphans, Nulls, DuplicateRelationships]);
var ChecksFile = external_exports.object({
  version: external_exports.literal(1),
  checks: external_exports.array(Check).default([]),
  rules: external_exports.array(Rule).default([])
}).strict();
function quoteIdent(s) {
  return `"${s.replace(/"/g, '""')}"`;
}
function cypherName(s) {
  return `\`${s.replace(/`/g, "``")}\``;
}
function expandBuiltins(file) {
  const checks = [...file.checks];
  const rules = [];
  for (const r of file.rules) {
    if ("kind" in r) rules.push(r);
    else if (r.builtin === "orphans") rules.push({ name: r.name, kind: "subset", left: r.children, right: r.parents });
    else if (r.builtin === "nulls") {
      if (r.table) {
        const table = r.table.split(".").map(quoteIdent).join(".");
        const cond = r.fields.map((f) => `${quoteIdent(f)} IS NULL`).join(" OR ");
        checks.push({
          name: r.name,
          store: r.store,
          ...r.database ? { database: r.database } : {},
          sql: `SELECT count(*) FROM ${table} WHERE ${cond}`,
          expect: { equals: 0 }
        });
      } else if (r.label) {
        const cond = r.fields.map((f) => `n.${cypherName(f)} IS NULL`).join(" OR ");
        checks.push({
          name: r.name,
          store: r.store,
          cypher: `MATCH (n:${cypherName(r.label)}) WHERE ${cond} RETURN count(n)`,
          expect: { equals: 0 }
        });
      } else {
        throw new UsageError(`rule "${r.name}": the nulls built-in needs a table (PostgreSQL) or a label (Neo4j)`);
      }
    } else {
      checks.push({
        name: r.name,
        store: r.store,
        cypher: `MATCH (a)-[r:${cypherName(r.type)}]->(b) WITH a, b, count(r) AS n WHERE n > 1 RETURN count(*)`,
        expect: { equals: 0 }
      });
    }
  }
  return { checks, rules };
}
function loadChecks(paths, baseDir) {
  const files = [];
  for (const p of paths) {
    const full = resolve(baseDir, p);
    let st;
    try {
      st = statSync(full);
    } catch {
      throw new UsageError(`drill.checks: ${p} does not exist (relative to ${baseDir})`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(full).sort()) if (/\.ya?ml$/.test(f)) files.push(join(full, f));
    } else files.push(full);
  }
  const checks = [];
  const rules = [];
  for (const f of files) {
    const doc = (0, import_yaml.parseDocument)(readFileSync(f, "utf8"), { uniqueKeys: true });
    if (doc.errors.length > 0) throw new UsageError(`${f}: invalid YAML: ${doc.errors[0].message.split("\n")[0]}`);
    const parsed = ChecksFile.safeParse(doc.toJS());
    if (!parsed.success) {
      throw new UsageError(
        `${f}: ${parsed.error.issues.slice(0, 3).map(describeIssue).join("; ")}`,
        "see docs/drills.md"
      );
    }
    const expanded = expandBuiltins(parsed.data);
    checks.push(...expanded.checks);
    rules.push(...expanded.rules);
  }
  return { checks, rules, files };
}
function judge(expect, rows) {
  const first = rows[0]?.[0];
  const num = typeof first === "number" ? first : typeof first === "string" && first.trim() !== "" ? Number(first) : Number.NaN;
  if (expect.rows !== void 0) {
    const got = JSON.stringify(rows);
    const want = JSON.stringify(expect.rows);
    if (got !== want) return `expected rows ${want.slice(0, 200)}, got ${got.slice(0, 200)}`;
  }
  if (expect.equals !== void 0) {
    const ok = typeof expect.equals === "number" ? num === expect.equals : String(first) === String(expect.equals);
    if (!ok) return `expected ${JSON.stringify(expect.equals)}, got ${JSON.stringify(first ?? null)}`;
  }
  if (expect.min !== void 0 && !(num >= expect.min))
    return `expected at least ${expect.min}, got ${JSON.stringify(first ?? null)}`;
  if (expect.max !== void 0 && !(num <= expect.max))
    return `expected at most ${expect.max}, got ${JSON.stringify(first ?? null)}`;
  return void 0;
}

// src/drill/runner.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// src/report/report.ts
var REPORT_VERSION = 1;
var Difference = external_exports.object({
  area: external_exports.enum(["schema", "data"]),
  object: external_exports.string(),
  problem: external_exports.enum(["missing", "unexpected", "changed", "count"]),
  message: external_exports.string()
});
var StoreResult = external_exports.object({
  store: external_exports.string(),
  kind: external_exports.string(),
  snapshot: external_exports.string(),
  capturedAt: external_exports.string().nullable(),
  serverVersion: external_exports.string().nullable(),
  sandbox: external_exports.object({ provider: external_exports.string(), version: external_exports.string() }).nullable(),
  /** Provisioning the sandbox, in ms. */
  provisionMs: external_exports.number().nullable(),
  restore: external_exports.object({
    ok: external_exports.boolean(),
    ms: external_exports.number().nullable(),
    error: external_exports.string().nullable(),
    /** Objects that failed to restore (a partial restore). */
    failures: external_exports.array(external_exports.string())
  }),
  fingerprint: external_exports.object({ ok: external_exports.boolean(), compared: external_exports.boolean(), differences: external_exports.array(Difference) }),
  size: external_exports.number()
});
var CheckResult = external_exports.object({
  name: external_exports.string(),
  kind: external_exports.enum(["query", "rule"]),
  stores: external_exports.array(external_exports.string()),
  ok: external_exports.boolean(),
  message: external_exports.string(),
  /** Up to 10 offending keys (rules). */
  samples: external_exports.array(external_exports.string()),
  counts: external_exports.record(external_exports.string(), external_exports.number()).optional()
});
var Objective = external_exports.object({ ms: external_exports.number(), targetMs: external_exports.number().nullable(), ok: external_exports.boolean() });
var DrillReport = external_exports.object({
  version: external_exports.literal(REPORT_VERSION),
  id: external_exports.string(),
  repository: external_exports.string(),
  startedAt: external_exports.string(),
  finishedAt: external_exports.string(),
  passed: external_exports.boolean(),
  set: external_exports.object({
    id: external_exports.string().nullable(),
    time: external_exports.string(),
    /** Largest difference between the stores' capture points. */
    skewMs: external_exports.number()
  }),
  stores: external_exports.array(StoreResult),
  checks: external_exports.array(CheckResult),
  /** Time from the start of the drill until every store was restored. */
  rto: Objective,
  /** Age of the backup set at the start of the drill. */
  rpo: Objective,
  /** Every reason the drill failed, one line each. */
  failures: external_exports.array(external_exports.string()),
  warnings: external_exports.array(external_exports.string()),
  /** Recent drills of this repository, oldest first, for trends. */
  history: external_exports.array(external_exports.object({ time: external_exports.string(), rtoMs: external_exports.number().nullable(), passed: external_exports.boolean() }))
});

// src/drill/keysets.ts
import { createHash } from "node:crypto";
import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
import { createInterface } from "node:readline";
var BUCKETS = 64;
var FLUSH_BYTES = 64 * 1024;
var SAMPLES = 10;
var Partitioner = class {
  constructor(dir, side) {
    this.dir = dir;
    this.side = side;
    for (let b = 0; b < BUCKETS; b++) writeFileSync(this.file(b), "");
  }
  dir;
  side;
  buffers = Array.from({ length: BUCKETS }, () => []);
  sizes = new Array(BUCKETS).fill(0);
  file(b) {
    return join2(this.dir, `${this.side}-${b}`);
  }
  add(key) {
    const b = createHash("md5").update(key).digest().readUInt8(0) % BUCKETS;
    const line = `${JSON.stringify(key)}
`;
    this.buffers[b].push(line);
    this.sizes[b] += line.length;
    if (this.sizes[b] >= FLUSH_BYTES) this.flush(b);
  }
  flush(b) {
    if (this.buffers[b].length === 0) return;
    appendFileSync(this.file(b), this.buffers[b].join(""));
    this.buffers[b] = [];
    this.sizes[b] = 0;
  }
  flushAll() {
    for (let b = 0; b < BUCKETS; b++) this.flush(b);
  }
};
async function* lines(file) {
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const l of rl) if (l) yield JSON.parse(l);
}
async function compareKeySets(left, right) {
  const dir = mkdtempSync(join2(tmpdir(), "backdrill-keys-"));
  try {
    const L = new Partitioner(dir, "l");
    const R = new Partitioner(dir, "r");
    await Promise.all([
      (async () => {
        for await (const k of left) L.add(k);
      })(),
      (async () => {
        for await (const k of right) R.add(k);
      })()
    ]);
    L.flushAll();
    R.flushAll();
    const out = {
      left: 0,
      right: 0,
      common: 0,
      onlyLeft: { count: 0, samples: [] },
      onlyRight: { count: 0, samples: [] },
      both: { samples: [] }
    };
    for (let b = 0; b < BUCKETS; b++) {
      const lset = /* @__PURE__ */ new Set();
      for await (const k of lines(L.file(b))) lset.add(k);
      out.left += lset.size;
      const rseen = /* @__PURE__ */ new Set();
      for await (const k of lines(R.file(b))) {
        if (rseen.has(k)) continue;
        rseen.add(k);
        if (lset.has(k)) {
          out.common++;
          if (out.both.samples.length < SAMPLES) out.both.samples.push(k);
        } else {
          out.onlyRight.count++;
          if (out.onlyRight.samples.length < SAMPLES) out.onlyRight.samples.push(k);
        }
      }
      out.right += rseen.size;
      for (const k of lset) {
        if (rseen.has(k)) continue;
        out.onlyLeft.count++;
        if (out.onlyLeft.samples.length < SAMPLES) out.onlyLeft.samples.push(k);
      }
    }
    for (const s of [out.onlyLeft.samples, out.onlyRight.samples, out.both.samples]) s.sort();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// src/drill/providers.ts
function majorOf(version) {
  const m = /^(\d+)/.exec(version ?? "");
  return m ? Number(m[1]) : void 0;
}
var LocalProvider = class {
  constructor(config, readyTimeoutMs) {
    this.config = config;
    this.readyTimeoutMs = readyTimeoutMs;
  }
  config;
  readyTimeoutMs;
  name = "local";
  get ready() {
    return this.readyTimeoutMs === void 0 ? {} : { readyTimeoutMs: this.readyTimeoutMs };
  }
  async provision(request) {
    const { store } = request;
    switch (store.kind) {
      case "postgres": {
        const { localPostgresBinDirs, startLocalPostgres } = await import("./postgres-AJAODUAF.js");
        const major = majorOf(request.capture?.serverVersion);
        const binDir = this.config.postgresBinDir ?? localPostgresBinDirs().find((b) => major === void 0 || b.major === major)?.dir;
        if (!binDir) {
          throw new BackdrillError(
            "usage",
            `no local PostgreSQL ${major ?? ""} server binaries for the sandbox of store ${store.name}`.replace(
              "  ",
              " "
            ),
            {
              hint: `install PostgreSQL ${major} (e.g. apt-get install postgresql-${major}), set drill.local.postgresBinDir, or use drill.provider external or testcontainers`
            }
          );
        }
        const server = await startLocalPostgres({ binDir, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          // A server URL without a database: each database is restored under its own name.
          target: server.url.replace(/\/postgres$/, ""),
          version: server.version,
          config: {},
          dispose: () => server.stop()
        };
      }
      case "neo4j": {
        const installation = this.config.neo4jHome ?? process.env.NEO4J_HOME;
        if (!installation) {
          throw new BackdrillError("usage", `no local Neo4j installation for the sandbox of store ${store.name}`, {
            hint: "set drill.local.neo4jHome (a Neo4j 5 home, or the folder of its server jars), or use drill.targets"
          });
        }
        const { startLocalNeo4j } = await import("./neo4j-FWGBWOZK.js");
        const server = await startLocalNeo4j({ installation, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          target: server.url,
          version: server.version,
          config: {},
          dispose: () => server.stop()
        };
      }
      case "qdrant": {
        const binary = this.config.qdrantBinary;
        if (!binary) {
          throw new BackdrillError("usage", `no local Qdrant binary for the sandbox of store ${store.name}`, {
            hint: "set drill.local.qdrantBinary (the qdrant server binary), or give the store a URL under drill.targets"
          });
        }
        const { startLocalQdrant } = await import("./qdrant-6E5EUGYK.js");
        const server = await startLocalQdrant({ binary, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          target: server.url,
          version: server.version,
          // The sandbox's own key, not the production one from the store's config.
          config: { apiKey: server.apiKey },
          dispose: () => server.stop()
        };
      }
    }
  }
};
var DEFAULT_PORTS = { postgres: 5432, neo4j: 7687, qdrant: 6333 };
function endpointOf(kind, target) {
  let u;
  try {
    u = new URL(target);
  } catch {
    return void 0;
  }
  if (!u.hostname) return void 0;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[kind];
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port };
}
var ExternalProvider = class {
  constructor(targets, readyTimeoutMs = 12e4) {
    this.targets = targets;
    this.readyTimeoutMs = readyTimeoutMs;
  }
  targets;
  readyTimeoutMs;
  name = "external";
  async provision(request) {
    const target = this.targets[request.store.name];
    if (!target) {
      throw new BackdrillError("usage", `drill.targets has no URL for store ${request.store.name}`, {
        hint: `add drill.targets.${request.store.name}: <URL of an empty server to restore into>`
      });
    }
    const endpoint = endpointOf(request.store.kind, target);
    if (!endpoint) {
      throw new BackdrillError(
        "usage",
        `drill.targets.${request.store.name} is not a URL (${request.store.kind} target expected)`,
        { hint: "give a URL such as postgresql://host:5432, bolt://host:7687 or http://host:6333" }
      );
    }
    if (!await pollUntil(() => tcpOpen(endpoint.port, endpoint.host), this.readyTimeoutMs)) {
      throw new BackdrillError(
        "usage",
        `the drill target of store ${request.store.name} (${redactUrl(target)}) did not accept connections within ${Math.round(this.readyTimeoutMs / 1e3)} s`,
        {
          hint: "start the server (or the job's service container) first, check host and port, or raise drill.readyTimeout"
        }
      );
    }
    return {
      store: request.store.name,
      provider: this.name,
      target,
      version: "external",
      config: {},
      dispose: async () => {
      }
    };
  }
};

// src/drill/queries.ts
function plain(v) {
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === "object" && "toNumber" in v && "inSafeRange" in v) {
    const n = v;
    return n.inSafeRange() ? n.toNumber() : n.toString();
  }
  return v;
}
function pgDatabase(q, t) {
  if (q.database) return q.database;
  if (t.databases.length === 1) return t.databases[0];
  throw new BackdrillError(
    "usage",
    `a check on store ${t.store.name} must say which database (it has ${t.databases.join(", ")})`
  );
}
async function* queryRows(q, t, batch = 5e3) {
  if (t.store.kind === "postgres" && q.sql !== void 0) {
    const { connect, parsePgUrl, withDatabase } = await import("./connection-ERALXEP7.js");
    const conn = withDatabase(parsePgUrl(t.url, t.store.name), pgDatabase(q, t));
    const client = await connect(conn, t.store.name);
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`DECLARE backdrill_check NO SCROLL CURSOR FOR ${q.sql.trim().replace(/;+$/, "")}`);
      for (; ; ) {
        const r = await client.query({ text: `FETCH ${batch} FROM backdrill_check`, rowMode: "array" });
        for (const row of r.rows) yield row.map(plain);
        if (r.rows.length < batch) break;
      }
      await client.query("COMMIT");
    } finally {
      await client.end().catch(() => {
      });
    }
    return;
  }
  if (t.store.kind === "neo4j" && q.cypher !== void 0) {
    const { openDriver, parseNeo4jUrl } = await import("./connection-PA3INNCI.js");
    const { conn, database } = parseNeo4jUrl(t.url, t.store.name, { user: t.store.user, password: t.store.password });
    const driver = openDriver(conn);
    const session = driver.session({ ...database ? { database } : {}, defaultAccessMode: "READ" });
    try {
      for await (const record of session.run(q.cypher)) yield record.keys.map((k) => plain(record.get(k)));
    } finally {
      await session.close();
      await driver.close();
    }
    return;
  }
  if (t.store.kind === "qdrant" && q.qdrant !== void 0) {
    yield* qdrantRows(q.qdrant, t.url, t.store.apiKey, batch);
    return;
  }
  const what = q.sql !== void 0 ? "sql" : q.cypher !== void 0 ? "cypher" : "qdrant";
  throw new BackdrillError("usage", `store ${t.store.name} is ${t.store.kind}: a ${what} check cannot run on it`);
}
async function qdrantPost(url, apiKey, path, body) {
  const res = await fetch(new URL(path, url.endsWith("/") ? url : `${url}/`), {
    method: "POST",
    headers: { "content-type": "application/json", ...apiKey ? { "api-key": apiKey } : {} },
    body: JSON.stringify(body)
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new BackdrillError("usage", `Qdrant ${path}: HTTP ${res.status}: ${json.status?.error ?? ""}`);
  return json.result;
}
async function* qdrantRows(q, url, apiKey, batch) {
  const base = `collections/${encodeURIComponent(q.collection)}/points`;
  if (q.op === "count") {
    const r = await qdrantPost(url, apiKey, `${base}/count`, {
      exact: true,
      ...q.filter ? { filter: q.filter } : {}
    });
    yield [r.count];
    return;
  }
  let offset = null;
  do {
    const r = await qdrantPost(url, apiKey, `${base}/scroll`, {
      limit: batch,
      with_vector: false,
      with_payload: q.payloadKey ? [q.payloadKey] : false,
      ...offset !== null ? { offset } : {},
      ...q.filter ? { filter: q.filter } : {}
    });
    for (const p of r.points) yield [q.payloadKey ? p.payload?.[q.payloadKey] ?? null : p.id];
    offset = r.next_page_offset ?? null;
  } while (offset !== null);
}
async function queryAll(q, t, limit = 1e4) {
  const out = [];
  for await (const row of queryRows(q, t)) {
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}
async function* queryKeys(q, t) {
  for await (const row of queryRows(q, t)) {
    const v = row[0];
    if (v === null || v === void 0) continue;
    yield typeof v === "string" ? v : JSON.stringify(v);
  }
}

// src/drill/testcontainers.ts
import { randomBytes } from "node:crypto";

// src/stores/neo4j/image.ts
var NEO4J_DEFAULT_VERSION = "5.26";
function neo4jImageFor(version) {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? "");
  const tag = m ? [m[1], m[2], m[3]].filter((x) => x !== void 0).join(".") : NEO4J_DEFAULT_VERSION;
  return `neo4j:${tag}-community`;
}

// src/stores/postgres/image.ts
var POSTGRES_DEFAULT_MAJOR = 16;
function postgresImageFor(version) {
  const major = /^(\d+)/.exec(version ?? "")?.[1];
  return `postgres:${major ?? POSTGRES_DEFAULT_MAJOR}`;
}

// src/stores/qdrant/image.ts
var QDRANT_VERSION = "1.19.0";
var QDRANT_IMAGE = `qdrant/qdrant:v${QDRANT_VERSION}`;
function qdrantImageFor(version) {
  return `qdrant/qdrant:v${version.replace(/^v/, "")}`;
}

// src/drill/testcontainers.ts
async function loadTestcontainers() {
  const tc = commonJs(await import("./build-32P4VZTP.js"));
  if (typeof tc.getContainerRuntimeClient !== "function" || typeof tc.GenericContainer !== "function") {
    throw new BackdrillError("fatal", "the testcontainers library did not load (a broken install or bundle)", {
      hint: "reinstall backdrill (npm ci), or use drill.provider local or external"
    });
  }
  return tc;
}
async function dockerAvailable() {
  const { getContainerRuntimeClient } = await loadTestcontainers();
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
function sandboxImage(kind, serverVersion) {
  switch (kind) {
    case "postgres":
      return postgresImageFor(serverVersion);
    case "neo4j":
      return neo4jImageFor(serverVersion);
    case "qdrant":
      return serverVersion && /^v?\d+\.\d+\.\d+$/.test(serverVersion) ? qdrantImageFor(serverVersion) : QDRANT_IMAGE;
  }
}
var TestcontainersProvider = class {
  constructor(readyTimeoutMs = 18e4) {
    this.readyTimeoutMs = readyTimeoutMs;
  }
  readyTimeoutMs;
  name = "testcontainers";
  async provision(request) {
    const { store, capture } = request;
    const tc = await loadTestcontainers();
    try {
      await tc.getContainerRuntimeClient();
    } catch (err) {
      throw new BackdrillError("usage", `no Docker host answered for the sandbox of store ${store.name}`, {
        hint: "start Docker (or set DOCKER_HOST), or use drill.provider local (server binaries) or external (URLs in drill.targets)",
        cause: err
      });
    }
    const { GenericContainer, Wait } = tc;
    const image = sandboxImage(store.kind, capture?.serverVersion);
    const secret = randomBytes(16).toString("hex");
    let container;
    let target;
    let config = {};
    try {
      switch (store.kind) {
        case "postgres":
          container = await new GenericContainer(image).withEnvironment({ POSTGRES_PASSWORD: secret }).withTmpFs({ "/var/lib/postgresql/data": "rw" }).withExposedPorts(5432).withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2)).withStartupTimeout(this.readyTimeoutMs).start();
          target = `postgresql://postgres:${secret}@${container.getHost()}:${container.getMappedPort(5432)}`;
          break;
        case "neo4j":
          container = await new GenericContainer(image).withEnvironment({ NEO4J_AUTH: `neo4j/${secret}` }).withExposedPorts(7687).withWaitStrategy(Wait.forLogMessage("Started.")).withStartupTimeout(this.readyTimeoutMs).start();
          target = `bolt://neo4j:${secret}@${container.getHost()}:${container.getMappedPort(7687)}`;
          break;
        case "qdrant":
          container = await new GenericContainer(image).withEnvironment({ QDRANT__SERVICE__API_KEY: secret, QDRANT__TELEMETRY_DISABLED: "true" }).withExposedPorts(6333).withWaitStrategy(Wait.forHttp("/readyz", 6333)).withStartupTimeout(this.readyTimeoutMs).start();
          target = `http://${container.getHost()}:${container.getMappedPort(6333)}`;
          config = { apiKey: secret };
          break;
      }
    } catch (err) {
      throw new BackdrillError("fatal", `the ${image} container for store ${store.name} did not start`, {
        hint: "check that the image can be pulled (registry access, rate limits) and that Docker has memory to spare",
        cause: err
      });
    }
    let disposed = false;
    return {
      store: store.name,
      provider: this.name,
      target,
      version: image,
      config,
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await container.stop({ remove: true, removeVolumes: true });
      }
    };
  }
};

// src/drill/runner.ts
async function listBackupSets(repo) {
  const { snapshots } = await repo.listSnapshots();
  const sets = /* @__PURE__ */ new Map();
  for (const s of snapshots) {
    if (!s.backupSet || s.tags.includes("safety")) continue;
    const list = sets.get(s.backupSet) ?? [];
    list.push(s);
    sets.set(s.backupSet, list);
  }
  return [...sets.entries()].map(([id, snaps]) => ({ id, snapshots: snaps, time: snaps.map((s) => s.time).sort()[0] })).sort((a, b) => a.time.localeCompare(b.time));
}
function chooseSet(sets, stores, options) {
  const complete = sets.filter((s) => stores.every((name) => s.snapshots.some((x) => x.store.name === name)));
  let pick;
  if (options.set) {
    const matches = sets.filter((s) => s.id.startsWith(options.set));
    if (matches.length !== 1) {
      throw new BackdrillError(
        "usage",
        `backup set ${options.set}: ${matches.length === 0 ? "no such set" : "ambiguous prefix"}`
      );
    }
    pick = matches[0];
    const missing = stores.filter((n) => !pick.snapshots.some((x) => x.store.name === n));
    if (missing.length > 0) {
      throw new BackdrillError(
        "integrity",
        `backup set ${pick.id.slice(0, 12)} has no snapshot of ${missing.join(", ")}`
      );
    }
  } else {
    const before = options.before;
    pick = complete.filter((s) => !before || Date.parse(s.time) < before.getTime()).at(-1);
  }
  if (!pick) {
    throw new BackdrillError(
      "integrity",
      `no complete backup set${options.before ? ` before ${options.before.toISOString()}` : ""} with stores ${stores.join(", ")}`,
      { hint: "run `backdrill backup` for all stores first; a drill restores whole backup sets" }
    );
  }
  return pick;
}
function readyTimeoutOf(drill) {
  return drill.readyTimeout === void 0 ? void 0 : parseDuration(drill.readyTimeout);
}
async function providerFor(drill) {
  const ready = readyTimeoutOf(drill);
  if (drill.provider === "external") return new ExternalProvider(drill.targets, ready);
  if (drill.provider === "testcontainers" || drill.provider === "auto" && await dockerAvailable()) {
    return new TestcontainersProvider(ready);
  }
  return new LocalProvider(drill.local, ready);
}
function captureOf(s) {
  const r = CapturePoint.safeParse(s.capture);
  return r.success ? r.data : void 0;
}
async function withTimeout(fn, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new BackdrillError("integrity", `${what} exceeded its timeout of ${ms} ms`)), ms);
  });
  fn.catch(() => {
  });
  try {
    return await Promise.race([fn, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
async function runDrill(repo, options) {
  const log = options.log ?? (() => {
  });
  const started = /* @__PURE__ */ new Date();
  const storeConfigs = options.config.stores;
  const set = chooseSet(
    await listBackupSets(repo),
    storeConfigs.map((s) => s.name),
    options
  );
  const drillStores = storeConfigs.map((store) => ({
    store,
    snapshot: set.snapshots.filter((s) => s.store.name === store.name).sort((a, b) => a.time.localeCompare(b.time)).at(-1)
  }));
  log(
    `drill: backup set ${set.id.slice(0, 12)} from ${set.time}, stores ${drillStores.map((d) => d.store.name).join(", ")}`
  );
  const failures = [];
  const warnings = [];
  const main = options.provider ?? await providerFor(options.drill);
  const external = new ExternalProvider(options.drill.targets, readyTimeoutOf(options.drill));
  const sandboxes = /* @__PURE__ */ new Map();
  const results = /* @__PURE__ */ new Map();
  const timeoutMs = parseDuration(options.drill.restoreTimeout);
  let interrupted;
  const onSignal = (signal) => {
    interrupted = signal;
    log(`drill: ${signal}: disposing sandboxes`);
    void disposeAll(sandboxes.values());
    setTimeout(() => process.exit(130), 6e4).unref();
  };
  const handlers = ["SIGINT", "SIGTERM"].map((sig) => {
    const h = () => {
      process.removeListener(sig, h);
      onSignal(sig);
    };
    process.once(sig, h);
    return [sig, h];
  });
  try {
    await Promise.all(
      drillStores.map(async ({ store, snapshot }) => {
        const capture = captureOf(snapshot);
        const result = {
          store: store.name,
          kind: store.kind,
          snapshot: snapshot.id,
          capturedAt: capture?.at ?? snapshot.time,
          serverVersion: capture?.serverVersion ?? null,
          sandbox: null,
          provisionMs: null,
          restore: { ok: false, ms: null, error: null, failures: [] },
          fingerprint: { ok: false, compared: false, differences: [] },
          size: snapshot.artifacts.reduce((n, a) => n + a.size, 0)
        };
        results.set(store.name, result);
        const provider = options.drill.targets[store.name] ? external : main;
        const t0 = Date.now();
        let sandbox;
        try {
          sandbox = await provider.provision({ store, capture });
        } catch (err) {
          result.restore.error = `no sandbox: ${err.message}`;
          failures.push(`${store.name}: no sandbox (${provider.name} provider): ${err.message}`);
          return;
        }
        sandboxes.set(store.name, sandbox);
        if (interrupted) {
          await sandbox.dispose();
          throw new BackdrillError("fatal", `drill interrupted (${interrupted})`);
        }
        result.provisionMs = Date.now() - t0;
        result.sandbox = { provider: sandbox.provider, version: sandbox.version };
        log(
          `drill: ${store.name}: ${sandbox.provider} sandbox ${sandbox.version} up in ${result.provisionMs} ms, restoring`
        );
        const effective = { ...store, ...sandbox.config };
        const t1 = Date.now();
        try {
          await withTimeout(
            restoreStore(repo, effective, snapshot, { target: sandbox.target, force: false }),
            timeoutMs,
            `restore of ${store.name}`
          );
          result.restore.ok = true;
          result.restore.ms = Date.now() - t1;
          log(`drill: ${store.name}: restored in ${result.restore.ms} ms`);
          await options.afterRestore?.(store, sandbox);
        } catch (err) {
          result.restore.ms = Date.now() - t1;
          result.restore.error = err.message.split("\n")[0];
          if (err instanceof IncompleteRestoreError) result.restore.failures = err.failures;
          failures.push(`${store.name}: restore failed: ${result.restore.error}`);
        }
      })
    );
    const rtoMs = Date.now() - started.getTime();
    for (const { store, snapshot } of drillStores) {
      const result = results.get(store.name);
      const sandbox = sandboxes.get(store.name);
      if (!result.restore.ok || !sandbox) continue;
      if (!snapshot.fingerprint) {
        warnings.push(`${store.name}: the snapshot has no fingerprint; the restore was not compared`);
        continue;
      }
      let diffs;
      try {
        diffs = await compareStore(repo, { ...store, ...sandbox.config }, snapshot, sandbox.target);
      } catch (err) {
        failures.push(`${store.name}: could not fingerprint the restored copy: ${err.message}`);
        continue;
      }
      result.fingerprint = { ok: diffs.length === 0, compared: true, differences: diffs };
      for (const d of diffs.slice(0, 10)) failures.push(`${store.name}: ${d.message}`);
      if (diffs.length > 10) failures.push(`${store.name}: ... and ${diffs.length - 10} more differences`);
    }
    const targetOf = (name) => {
      const d = drillStores.find((x) => x.store.name === name);
      const sandbox = sandboxes.get(name);
      if (!d || !sandbox || !results.get(name)?.restore.ok) return void 0;
      const databases = d.snapshot.artifacts.map((a) => /^databases\/([^/]+?)(?:\.dump|\/.*)$/.exec(a.name)?.[1]).filter((x) => x !== void 0).map(decodeURIComponent);
      return {
        store: { ...d.store, ...sandbox.config },
        url: sandbox.target,
        databases: [...new Set(databases)]
      };
    };
    const checks = [];
    for (const c of options.checks.checks) {
      const t = targetOf(c.store);
      const res = { name: c.name, kind: "query", stores: [c.store], ok: false, message: "", samples: [] };
      if (!t) res.message = `store ${c.store} is not in the drill or did not restore`;
      else {
        try {
          const rows = await queryAll(c, t);
          const why = judge(c.expect, rows);
          res.ok = why === void 0;
          res.message = why ?? `ok (${JSON.stringify(rows[0]?.[0] ?? null)})`;
        } catch (err) {
          res.message = `query failed: ${err.message}`;
        }
      }
      checks.push(res);
      if (!res.ok) failures.push(`check "${c.name}": ${res.message}`);
    }
    for (const r of options.checks.rules) {
      const [lt, rt] = [targetOf(r.left.store), targetOf(r.right.store)];
      const res = {
        name: r.name,
        kind: "rule",
        stores: [.../* @__PURE__ */ new Set([r.left.store, r.right.store])],
        ok: false,
        message: "",
        samples: []
      };
      if (!lt || !rt)
        res.message = `store ${!lt ? r.left.store : r.right.store} is not in the drill or did not restore`;
      else {
        try {
          const cmp = await compareKeySets(queryKeys(r.left, lt), queryKeys(r.right, rt));
          res.counts = {
            left: cmp.left,
            right: cmp.right,
            common: cmp.common,
            onlyLeft: cmp.onlyLeft.count,
            onlyRight: cmp.onlyRight.count
          };
          const L = `${r.left.store}`;
          const R = `${r.right.store}`;
          if (r.kind === "disjoint") {
            res.ok = cmp.common === 0;
            res.samples = cmp.both.samples;
            res.message = res.ok ? `ok: no key in both (${cmp.left} / ${cmp.right})` : `${cmp.common} key(s) in both ${L} and ${R}`;
          } else {
            const missingRight = cmp.onlyLeft.count;
            const missingLeft = r.kind === "equal" ? cmp.onlyRight.count : 0;
            res.ok = missingRight === 0 && missingLeft === 0;
            res.samples = [...cmp.onlyLeft.samples, ...r.kind === "equal" ? cmp.onlyRight.samples : []].slice(0, 10);
            res.message = res.ok ? `ok: ${cmp.left} key(s) in ${L}, ${cmp.right} in ${R}` : [
              missingRight > 0 ? `${missingRight} key(s) in ${L} missing from ${R}` : "",
              missingLeft > 0 ? `${missingLeft} key(s) in ${R} missing from ${L}` : ""
            ].filter(Boolean).join("; ");
          }
        } catch (err) {
          res.message = `query failed: ${err.message}`;
        }
      }
      checks.push(res);
      if (!res.ok) {
        failures.push(
          `rule "${r.name}": ${res.message}${res.samples.length ? ` (e.g. ${res.samples.join(", ")})` : ""}`
        );
      }
    }
    const rtoTarget = options.drill.rto ? parseDuration(options.drill.rto) : null;
    const rpoTarget = options.drill.rpo ? parseDuration(options.drill.rpo) : null;
    const captures = [...results.values()].map((r) => Date.parse(r.capturedAt ?? set.time)).filter(Number.isFinite);
    const oldest = Math.min(...captures);
    const rpoMs = Math.max(0, started.getTime() - oldest);
    const skewMs = captures.length > 0 ? Math.max(...captures) - oldest : 0;
    if (rtoTarget !== null && rtoMs > rtoTarget)
      failures.push(`RTO ${rtoMs} ms exceeds the target ${options.drill.rto}`);
    if (rpoTarget !== null && rpoMs > rpoTarget) {
      failures.push(
        `RPO: the backup set is ${Math.round(rpoMs / 6e4)} min old, older than the target ${options.drill.rpo}`
      );
    }
    const { records } = await readDrillRecords(repo);
    const history = records.slice(-19).map((r) => ({ time: r.time, rtoMs: r.rtoMs ?? null, passed: r.result === "passed" }));
    const finished = /* @__PURE__ */ new Date();
    const passed = failures.length === 0;
    const report = {
      version: REPORT_VERSION,
      id: randomBytes2(16).toString("hex"),
      repository: repo.location,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      passed,
      set: { id: set.id, time: set.time, skewMs },
      stores: drillStores.map(({ store }) => results.get(store.name)),
      checks,
      rto: { ms: rtoMs, targetMs: rtoTarget, ok: rtoTarget === null || rtoMs <= rtoTarget },
      rpo: { ms: rpoMs, targetMs: rpoTarget, ok: rpoTarget === null || rpoMs <= rpoTarget },
      failures,
      warnings,
      history: [...history, { time: finished.toISOString(), rtoMs, passed }]
    };
    if (options.record !== false) {
      await writeDrillRecord(repo, {
        version: 1,
        time: finished.toISOString(),
        backupSet: set.id,
        snapshots: drillStores.map((d) => d.snapshot.id),
        result: passed ? "passed" : "failed",
        rtoMs,
        report
      });
    }
    return report;
  } finally {
    const problems = await disposeAll(sandboxes.values());
    for (const p of problems) log(`drill: cleanup problem: ${p}`);
    for (const [sig, h] of handlers) process.removeListener(sig, h);
    if (interrupted) process.kill(process.pid, interrupted);
  }
}

export {
  loadChecks,
  runDrill
};
