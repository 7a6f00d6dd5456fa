import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  require_dist
} from "./chunk-UJ4HRMPL.js";
import {
  wasmInstance
} from "./chunk-GU6IFKOM.js";
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  redactUrl
} from "./chunk-DRSBD567.js";
import {
  EnvelopeError,
  PipelinePool,
  chunkIdOf,
  envelopeIsEncrypted,
  minSealedSize,
  seal,
  unseal
} from "./chunk-Z5ZYMFWM.js";
import {
  chunkBuffer,
  ownsBuffer,
  releaseOwned
} from "./chunk-VBP2FRQE.js";
import {
  BackdrillError,
  UsageError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/storage/backend.ts
var StorageError = class extends Error {
  code;
  key;
  constructor(code, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "StorageError";
    this.code = code;
    this.key = options.key;
  }
  get retryable() {
    return this.code === "transient";
  }
};
function isStorageError(err, code) {
  return err instanceof StorageError && (code === void 0 || err.code === code);
}
var KEY_RE = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
function checkKey(key) {
  if (!KEY_RE.test(key) || key.split("/").some((s) => s === "." || s === "..")) {
    throw new StorageError("invalid", `invalid object key ${JSON.stringify(key)}`, { key });
  }
}
async function listAll(backend, prefix) {
  const out = [];
  for await (const b of backend.list(prefix)) out.push(b);
  return out;
}

// src/drill/sandbox.ts
var ProviderName = external_exports.enum(["local", "external", "testcontainers"]);
async function disposeAll(sandboxes) {
  const problems = [];
  await Promise.all(
    [...sandboxes].map(async (s) => {
      try {
        await s.dispose();
      } catch (err) {
        problems.push(`sandbox of ${s.store}: ${err.message}`);
      }
    })
  );
  return problems;
}

// src/retention/calendar.ts
var PERIODS = ["hourly", "daily", "weekly", "monthly", "yearly"];
var formatters = /* @__PURE__ */ new Map();
function formatter(timeZone) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric"
    });
    formatters.set(timeZone, f);
  }
  return f;
}
function isTimeZone(name) {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}
function localFields(ms, timeZone) {
  const out = { year: 0, month: 0, day: 0, hour: 0 };
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type === "year" || p.type === "month" || p.type === "day" || p.type === "hour") out[p.type] = Number(p.value);
  }
  return out;
}
function isoWeek(year, month, day) {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - weekday) * 864e5);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 864e5;
  return { year: isoYear, week: Math.floor(dayOfYear / 7) + 1 };
}
var pad = (n, w = 2) => String(n).padStart(w, "0");
function bucketOf(period, f) {
  switch (period) {
    case "hourly":
      return {
        key: ((f.year * 100 + f.month) * 100 + f.day) * 100 + f.hour,
        label: `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}h`
      };
    case "daily":
      return { key: (f.year * 100 + f.month) * 100 + f.day, label: `${f.year}-${pad(f.month)}-${pad(f.day)}` };
    case "weekly": {
      const w = isoWeek(f.year, f.month, f.day);
      return { key: w.year * 100 + w.week, label: `${w.year}-W${pad(w.week)}` };
    }
    case "monthly":
      return { key: f.year * 100 + f.month, label: `${f.year}-${pad(f.month)}` };
    case "yearly":
      return { key: f.year, label: String(f.year) };
  }
}
function formatLocal(ms, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  }).formatToParts(ms);
  const get = (t) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

// src/retention/policy.ts
var COUNT_MESSAGE = 'expected a whole number of at least 1, or "unlimited" (a count of 0 or less keeps nothing: leave the rule out)';
var Count = external_exports.union(
  [
    external_exports.number({ error: COUNT_MESSAGE }).int({ error: COUNT_MESSAGE }).min(1, { error: COUNT_MESSAGE }),
    external_exports.literal("unlimited", { error: COUNT_MESSAGE })
  ],
  { error: COUNT_MESSAGE }
);
var WITHIN_RE = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?$/;
var GRACE_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
function parseWithin(text) {
  const m = WITHIN_RE.exec(text);
  if (!m || text === "") {
    return {
      ok: false,
      message: "expected a duration such as 30d, 2w, 6m or 1y6m (y years, m months, w weeks, d days, h hours, in that order)"
    };
  }
  const [years, months, weeks, days, hours] = m.slice(1).map((v) => Number(v ?? 0));
  if (years + months + weeks + days + hours === 0) {
    return { ok: false, message: "a duration of zero keeps nothing: leave keep-within out, or give a longer one" };
  }
  return { ok: true, value: { years, months, weeks, days, hours, text } };
}
function parseGrace(text) {
  const m = GRACE_RE.exec(text);
  if (!m || text === "") {
    return {
      ok: false,
      message: "expected a duration such as 1h, 30m, 2d or 0s (d days, h hours, m minutes, s seconds)"
    };
  }
  const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0));
  return { ok: true, value: ((d * 24 + h) * 60 + min) * 6e4 + s * 1e3 };
}
function withinCutoff(latestMs, w) {
  const t = new Date(latestMs);
  return Date.UTC(
    t.getUTCFullYear() - w.years,
    t.getUTCMonth() - w.months,
    t.getUTCDate() - w.weeks * 7 - w.days,
    t.getUTCHours() - w.hours,
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds()
  );
}
function durationField(parse) {
  return external_exports.string().superRefine((s, ctx) => {
    const r = parse(s);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.message });
  });
}
var RetentionPolicy = external_exports.object({
  keepLast: Count.optional(),
  keepHourly: Count.optional(),
  keepDaily: Count.optional(),
  keepWeekly: Count.optional(),
  keepMonthly: Count.optional(),
  keepYearly: Count.optional(),
  /** Keep every snapshot newer than this, measured back from the group's newest snapshot (restic). */
  keepWithin: durationField(parseWithin).optional(),
  /** Keep every snapshot that has one of these tags. A tag no snapshot has is an error (a typo would keep nothing). */
  keepTag: external_exports.union([external_exports.string(), external_exports.array(external_exports.string())]).transform((v) => typeof v === "string" ? [v] : v).pipe(external_exports.array(external_exports.string().min(1, "a tag cannot be empty"))).optional(),
  /** store: each store's history is judged on its own; set: a backup set is kept or forgotten as a unit. */
  groupBy: external_exports.enum(["store", "set"], { error: 'expected "store" or "set"' }).optional(),
  /** IANA time zone of the calendar buckets (hourly .. yearly). Default UTC. */
  timezone: external_exports.string().refine(isTimeZone, { error: "unknown time zone: use an IANA name such as Europe/Berlin, or UTC" }).optional(),
  /** prune deletes unreferenced chunks only when they are older than this. Default 1h. */
  grace: durationField(parseGrace).optional()
}).strict();
var DEFAULT_GRACE_MS = 60 * 6e4;
var COUNT_FIELDS = {
  last: "keepLast",
  hourly: "keepHourly",
  daily: "keepDaily",
  weekly: "keepWeekly",
  monthly: "keepMonthly",
  yearly: "keepYearly"
};
var COUNT_FIELDS_BY_NAME = Object.fromEntries(
  Object.values(COUNT_FIELDS).map((f) => [f, true])
);
function normalizePolicy(r) {
  const p = { tags: r.keepTag ?? [], groupBy: r.groupBy ?? "store", timezone: r.timezone ?? "UTC" };
  for (const [rule, field] of Object.entries(COUNT_FIELDS)) {
    const v = r[field];
    if (v !== void 0) p[rule] = v === "unlimited" ? Number.POSITIVE_INFINITY : v;
  }
  if (r.keepWithin !== void 0) {
    const w = parseWithin(r.keepWithin);
    if (w.ok) p.within = w.value;
  }
  return p;
}
function hasKeepRule(p) {
  return ["last", ...PERIODS].some((k) => p[k] !== void 0) || p.within !== void 0 || p.tags.length > 0;
}
function describePolicy(p) {
  const n = (v) => v === Number.POSITIVE_INFINITY ? "all" : String(v);
  const parts = [];
  if (p.last !== void 0) parts.push(`${n(p.last)} last`);
  for (const period of PERIODS) if (p[period] !== void 0) parts.push(`${n(p[period])} ${period}`);
  if (p.within) parts.push(`all within ${p.within.text} of the newest`);
  if (p.tags.length > 0) parts.push(`all tagged ${p.tags.join(" or ")}`);
  return `keep ${parts.join(", ") || "nothing"}; group by ${p.groupBy}; time zone ${p.timezone}`;
}
function policyJson(p) {
  const n = (v) => v === Number.POSITIVE_INFINITY ? "unlimited" : v;
  return {
    keep_last: n(p.last),
    keep_hourly: n(p.hourly),
    keep_daily: n(p.daily),
    keep_weekly: n(p.weekly),
    keep_monthly: n(p.monthly),
    keep_yearly: n(p.yearly),
    keep_within: p.within?.text,
    keep_tag: p.tags,
    group_by: p.groupBy,
    timezone: p.timezone
  };
}
var POLICY_FLAGS = {
  keepLast: "keep-last",
  keepHourly: "keep-hourly",
  keepDaily: "keep-daily",
  keepWeekly: "keep-weekly",
  keepMonthly: "keep-monthly",
  keepYearly: "keep-yearly",
  keepWithin: "keep-within",
  keepTag: "keep-tag",
  groupBy: "group-by",
  timezone: "timezone",
  grace: "grace"
};
function policyFromFlags(flags) {
  const raw = {};
  for (const [field2, value] of Object.entries(flags)) {
    if (value === void 0) continue;
    const isCount = field2 in COUNT_FIELDS_BY_NAME;
    raw[field2] = isCount && typeof value === "string" && /^[-+]?\d+$/.test(value) ? Number(value) : value;
  }
  const r = RetentionPolicy.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path[0];
  const flag = POLICY_FLAGS[field] ?? String(field);
  const given = flags[field];
  const shown = Array.isArray(given) ? given.map((g) => JSON.stringify(g)).join(" ") : JSON.stringify(given ?? "");
  throw new UsageError(`--${flag} ${shown}: ${issue.message}`, `run \`backdrill forget --help\` for the rules`);
}

// src/config/load.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFileSync } from "node:fs";

// src/drill/config.ts
var DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
function parseDuration(text) {
  const m = DURATION.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration (use e.g. 90s, 15m, 2h, 1d)`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2]];
  return Math.round(Number(m[1]) * unit);
}
var Duration = external_exports.string().regex(DURATION, "a duration such as 90s, 15m, 2h or 1d");
var DrillConfig = external_exports.object({
  /** Where sandboxes come from; auto: testcontainers when Docker answers, else local binaries. */
  provider: external_exports.union([ProviderName, external_exports.literal("auto")]).default("auto"),
  /** Check files or folders of *.yml check files, relative to backdrill.yml. */
  checks: external_exports.array(external_exports.string()).default([]),
  /** external provider: the URL each store is restored into (e.g. GitHub service containers). */
  targets: external_exports.record(external_exports.string(), external_exports.string()).default({}),
  /** Recovery time objective: the drill fails when restoring takes longer. */
  rto: Duration.optional(),
  /** Recovery point objective: the drill fails when the backup set is older than this. */
  rpo: Duration.optional(),
  /** A store whose restore takes longer is stopped and fails the drill. */
  restoreTimeout: Duration.default("1h"),
  /**
   * How long a sandbox may take to accept connections: an external target (a service container still starting)
   * or a server the local provider starts. Default: 2m for external targets, 1m for PostgreSQL, 3m for Neo4j.
   */
  readyTimeout: Duration.optional(),
  local: external_exports.object({
    /** bin dir of PostgreSQL server binaries; default /usr/lib/postgresql/<recorded major>/bin. */
    postgresBinDir: external_exports.string().optional(),
    /** A Neo4j installation (a home with lib/, or a folder of the server's jars). */
    neo4jHome: external_exports.string().optional(),
    /** The qdrant server binary. */
    qdrantBinary: external_exports.string().optional()
  }).strict().default({})
}).strict();

// src/stores/common.ts
var STORE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
var StoreCommon = external_exports.object({
  /** Unique within backdrill.yml; recorded in snapshots and used by --store. */
  name: external_exports.string().regex(STORE_NAME, "use lowercase letters, digits, - and _ (at most 63, starting alphanumeric)"),
  /** Tags added to every snapshot of this store. */
  tags: external_exports.array(external_exports.string()).default([])
});

// src/stores/neo4j/config.ts
var NEO4J_URL = /^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^/?#]+/;
var Neo4jDumpConfig = external_exports.object({
  /** NEO4J_HOME of the server (conf/neo4j.conf is read from it; neo4j-admin runs against it). */
  home: external_exports.string().min(1),
  /** The neo4j-admin command as argv; default: <home>/bin/neo4j-admin. */
  adminCommand: external_exports.array(external_exports.string().min(1)).min(1).optional(),
  /** NEO4J_CONF for neo4j-admin; default: <home>/conf. */
  conf: external_exports.string().min(1).optional()
}).strict();
var Neo4jStoreConfig = StoreCommon.extend({
  kind: external_exports.literal("neo4j"),
  /** bolt://host:7687, neo4j://host or neo4j+s://xxxx.databases.neo4j.io (Aura); no credentials in it. */
  url: external_exports.string().regex(NEO4J_URL, "expected a bolt://, neo4j://, bolt+s:// or neo4j+s:// URL"),
  user: external_exports.string().min(1).default("neo4j"),
  /** Use ${ENV} interpolation, never a literal. Leave out only for a server with auth disabled. */
  password: external_exports.string().optional(),
  /** Databases to back up; default: every online user database (Community has one: neo4j). */
  databases: external_exports.array(external_exports.string().min(1)).min(1).optional(),
  /**
   * logical: online export over Bolt (any edition, Aura included; not point-in-time under concurrent writes).
   * dump: neo4j-admin database dump/load of the server files (Community: the DBMS must be stopped).
   */
  mode: external_exports.enum(["logical", "dump"]).default("logical"),
  /** Nodes or relationships per write transaction in a logical restore. */
  batchSize: external_exports.number().int().min(100).max(1e5).default(1e4),
  /** Where the server files are, for dump mode. */
  dump: Neo4jDumpConfig.optional()
}).superRefine((c, ctx) => {
  if (c.mode === "dump" && !c.dump) {
    ctx.addIssue({
      code: "custom",
      path: ["dump"],
      message: "mode: dump needs dump.home (the NEO4J_HOME of the server; neo4j-admin must run on the same machine)"
    });
  }
});

// src/stores/postgres/config.ts
var PostgresStoreConfig = StoreCommon.extend({
  kind: external_exports.literal("postgres"),
  /** postgresql://user:password@host:port/dbname (the database is where probes connect; default postgres). */
  url: external_exports.string().regex(/^postgres(ql)?:\/\//, "expected a postgresql:// URL"),
  /** Databases to back up; default: every database that accepts connections, except templates. */
  databases: external_exports.array(external_exports.string().min(1)).optional(),
  /** Databases to leave out. */
  exclude: external_exports.array(external_exports.string().min(1)).default([]),
  /** Also back up roles and tablespaces (pg_dumpall --globals-only). */
  globals: external_exports.boolean().default(true),
  /** Include role passwords in the globals (only when asked: they are secrets). */
  rolePasswords: external_exports.boolean().default(false),
  /** custom: one stream per database; directory: parallel dump (-j) for large databases. */
  format: external_exports.enum(["custom", "directory"]).default("custom"),
  /** Parallel jobs for directory-format dumps and for pg_restore. */
  jobs: external_exports.number().int().min(1).max(64).default(2),
  /** Directory with pg_dump / pg_restore / psql of the server's major version; default: found automatically. */
  binDir: external_exports.string().optional()
});

// src/stores/qdrant/config.ts
var QdrantStoreConfig = StoreCommon.extend({
  kind: external_exports.literal("qdrant"),
  /** REST endpoint: http(s)://host:6333, optionally with a path prefix (a proxy or a cluster node's prefix). */
  url: external_exports.string().regex(/^https?:\/\/[^/]/, "expected an http:// or https:// URL (the REST port, usually 6333)"),
  /** API key (sent as the api-key header). Use ${ENV} interpolation, never a literal. */
  apiKey: external_exports.string().min(1).optional(),
  /** Collections to back up; default: every collection on the server. */
  collections: external_exports.array(external_exports.string().min(1)).optional(),
  /** Collections to leave out. */
  exclude: external_exports.array(external_exports.string().min(1)).default([]),
  /**
   * snapshot: Qdrant's own collection snapshots (fast, exact, restore only into the same minor version);
   * logical: configuration, payload indexes, aliases and every point as JSON lines (restores into any version).
   */
  mode: external_exports.enum(["snapshot", "logical"]).default("snapshot"),
  /** Snapshot mode: also take a full-storage snapshot (all collections and aliases, restored with the Qdrant CLI). */
  fullStorage: external_exports.boolean().default(false),
  /**
   * Snapshot mode on a cluster: the REST URLs of the other nodes. Each shard is snapshotted on a node that holds
   * it; without them only the shards on `url` are reachable.
   */
  nodes: external_exports.array(external_exports.string().regex(/^https?:\/\/[^/]/, "expected an http:// or https:// URL")).default([]),
  /** Points per scroll page and per upsert batch. */
  batchSize: external_exports.number().int().min(1).max(1e4).default(256),
  /** Timeout of one REST request (a snapshot being created counts as one), in seconds. */
  timeoutSeconds: external_exports.number().int().min(1).max(86400).default(600),
  /** How often a snapshot download cut mid-stream is resumed before the backup fails. */
  downloadRetries: external_exports.number().int().min(0).max(20).default(4),
  tls: external_exports.object({
    /** PEM file of the CA that signed the server's certificate (added to the CAs this process trusts). */
    caFile: external_exports.string().min(1).optional()
  }).strict().default({})
});

// src/config/schema.ts
var RepositoryConfig = external_exports.object({
  /** A folder, s3://bucket/prefix or s3:https://host:port/bucket/prefix. */
  location: external_exports.string().min(1),
  /** The repository password; use ${ENV} interpolation, never a literal. */
  password: external_exports.string().optional(),
  passwordFile: external_exports.string().optional(),
  passwordCommand: external_exports.string().optional()
}).strict();
var StoreConfig = external_exports.discriminatedUnion("kind", [PostgresStoreConfig, QdrantStoreConfig, Neo4jStoreConfig]);
var BackdrillConfig = external_exports.object({
  version: external_exports.literal(1),
  repository: RepositoryConfig,
  stores: external_exports.array(StoreConfig).min(1, "list at least one store"),
  /** Commands run around `backdrill backup` (quiesce writers before, resume after). */
  hooks: external_exports.object({ pre: external_exports.array(external_exports.string()).default([]), post: external_exports.array(external_exports.string()).default([]) }).strict().default({ pre: [], post: [] }),
  drill: DrillConfig.default(DrillConfig.parse({})),
  /** What `backdrill forget` keeps (docs/retention.md); flags override it. */
  retention: RetentionPolicy.optional()
}).strict().superRefine((c, ctx) => {
  const seen = /* @__PURE__ */ new Map();
  c.stores.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first !== void 0) {
      ctx.addIssue({
        code: "custom",
        path: ["stores", i, "name"],
        message: `duplicate store name "${s.name}" (also stores[${first}])`
      });
    }
    seen.set(s.name, i);
  });
});

// src/config/load.ts
function formatPath(path) {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out || "(top level)";
}
var VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}|\$\$/g;
function interpolate(value, env, path, secrets) {
  if (typeof value === "string") {
    return value.replace(VAR, (whole, name, fallback) => {
      if (whole === "$$") return "$";
      const v = env[name];
      if (v !== void 0 && v !== "") {
        secrets.add(v);
        return v;
      }
      if (fallback !== void 0) return fallback;
      throw new UsageError(
        `${formatPath(path)}: environment variable ${name} is not set`,
        `set ${name}, or write \${${name}:-default} for a default (use $$ for a literal $)`
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, i], secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], secrets)]));
  }
  return value;
}
function describeIssue(issue) {
  return `${formatPath(issue.path)}: ${issue.message}`;
}
function parseConfig(text, source, env) {
  const doc = (0, import_yaml.parseDocument)(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new UsageError(`${source}: invalid YAML: ${e.message.split("\n")[0]}`, "fix the YAML syntax");
  }
  const raw = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new UsageError(`${source}: expected a mapping with version, repository and stores`);
  }
  const secrets = /* @__PURE__ */ new Set();
  const interpolated = interpolate(raw, env, [], secrets);
  const r = BackdrillConfig.safeParse(interpolated);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 5).map(describeIssue);
    throw new UsageError(`${source}: ${lines.join("; ")}`, "see docs/configuration.md or schema/backdrill.schema.json");
  }
  return { config: r.data, path: source, secrets: [...secrets].filter((s) => s.length >= 4) };
}
function loadConfig(path, env) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(
      `cannot read the config file ${path}: ${err.code ?? err.message}`,
      "pass --config FILE or create backdrill.yml (see docs/configuration.md)"
    );
  }
  return parseConfig(text, path, env);
}

// src/repo/lock.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { readFileSync as readFileSync2, readlinkSync } from "node:fs";
import { hostname as hostname2 } from "node:os";

// src/repo/format.ts
var FORMAT_VERSION = 1;
var layout = {
  config: "config",
  keysPrefix: "keys/",
  key: (id) => `keys/${id}`,
  snapshotsPrefix: "snapshots/",
  snapshot: (id) => `snapshots/${id}`,
  dataPrefix: "data/",
  chunk: (id) => `data/${id.slice(0, 2)}/${id}`,
  locksPrefix: "locks/",
  lock: (id) => `locks/${id}`
};
var HEX64 = /^[0-9a-f]{64}$/;
function chunkIdFromKey(key) {
  const m = /^data\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(key);
  return m && m[2].startsWith(m[1]) ? m[2] : void 0;
}
var b64 = external_exports.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "base64");
var ScryptParams = external_exports.object({
  name: external_exports.literal("scrypt"),
  N: external_exports.number().int().min(2 ** 10).max(2 ** 20).refine((n) => (n & n - 1) === 0, "N must be a power of two"),
  r: external_exports.number().int().min(1).max(32),
  p: external_exports.number().int().min(1).max(16),
  salt: b64
});
var KeyFile = external_exports.object({
  version: external_exports.literal(1),
  created: external_exports.string(),
  hostname: external_exports.string(),
  username: external_exports.string(),
  kdf: ScryptParams,
  wrap: external_exports.object({ algorithm: external_exports.literal("aes-256-gcm"), nonce: b64, data: b64 })
});
var WrappedKeys = external_exports.object({
  repository: external_exports.string().regex(HEX64),
  encryption: b64,
  chunkId: b64
});
var ChunkerConfig = external_exports.object({
  min: external_exports.number().int().positive(),
  avg: external_exports.number().int().positive(),
  max: external_exports.number().int().positive()
});
var RepoConfig = external_exports.object({
  version: external_exports.literal(FORMAT_VERSION),
  id: external_exports.string().regex(HEX64),
  created: external_exports.string(),
  encryption: external_exports.enum(["aes-256-gcm", "none"]),
  /** For encryption none only: the chunk-ID key has no key file to live in. */
  chunkIdKey: b64.optional(),
  chunker: ChunkerConfig,
  compression: external_exports.object({ algorithm: external_exports.literal("zstd"), level: external_exports.number().int().min(1).max(22) }),
  /** What init found the provider to do with If-None-Match: *. */
  conditionalWrites: external_exports.boolean()
});
var ChunkRef = external_exports.tuple([external_exports.string().regex(HEX64), external_exports.number().int().nonnegative(), external_exports.number().int().positive()]);
var Artifact = external_exports.object({
  name: external_exports.string().min(1),
  size: external_exports.number().int().nonnegative(),
  chunks: external_exports.array(ChunkRef)
});
var SnapshotStats = external_exports.object({
  bytesProcessed: external_exports.number().int().nonnegative(),
  bytesAdded: external_exports.number().int().nonnegative(),
  chunksNew: external_exports.number().int().nonnegative(),
  chunksReused: external_exports.number().int().nonnegative()
});
var GithubRun = external_exports.object({
  repository: external_exports.string().optional(),
  workflow: external_exports.string().optional(),
  runId: external_exports.string(),
  runAttempt: external_exports.string().optional()
});
var SnapshotManifest = external_exports.object({
  version: external_exports.literal(FORMAT_VERSION),
  time: external_exports.string(),
  hostname: external_exports.string(),
  username: external_exports.string(),
  store: external_exports.object({ name: external_exports.string().min(1), kind: external_exports.string().min(1) }),
  tags: external_exports.array(external_exports.string()),
  backupSet: external_exports.string().nullable(),
  github: GithubRun.nullable(),
  artifacts: external_exports.array(Artifact),
  /** The store's capture point (LSN, transaction time, ...): store-specific, recorded as given. */
  capture: external_exports.unknown().nullable(),
  /** The store's fingerprint of exactly the data backed up: store-specific. */
  fingerprint: external_exports.unknown().nullable(),
  timings: external_exports.object({ startedAt: external_exports.string(), finishedAt: external_exports.string(), durationMs: external_exports.number().nonnegative() }),
  stats: SnapshotStats
});
var LockRecord = external_exports.object({
  version: external_exports.literal(1),
  kind: external_exports.enum(["shared", "exclusive"]),
  operation: external_exports.string(),
  hostname: external_exports.string(),
  username: external_exports.string(),
  pid: external_exports.number().int(),
  github: GithubRun.nullable(),
  /** Identifies the kernel and PID namespace the holder ran in: only there can its pid be checked. */
  hostId: external_exports.string(),
  createdAt: external_exports.iso.datetime(),
  refreshedAt: external_exports.iso.datetime(),
  expiresAt: external_exports.iso.datetime()
});
function snapshotSize(s) {
  return s.artifacts.reduce((n, a) => n + a.size, 0);
}
var drillLayout = {
  prefix: "drills/",
  record: (id) => `drills/${id}`
};
var DrillRecord = external_exports.object({
  version: external_exports.literal(1),
  /** When the drill finished. */
  time: external_exports.iso.datetime(),
  /** The backup set the drill restored, when the snapshots belong to one. */
  backupSet: external_exports.string().nullable(),
  /** Full IDs of the snapshots the drill restored. */
  snapshots: external_exports.array(external_exports.string().regex(HEX64)).min(1),
  result: external_exports.enum(["passed", "failed"]),
  /** Time until every store was restored, for trends (restore-drill). */
  rtoMs: external_exports.number().nonnegative().optional(),
  /** The whole drill report (src/report/report.ts), kept for summaries and trends. */
  report: external_exports.unknown().optional()
});

// src/repo/keys.ts
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from "node:crypto";
import { hostname, userInfo } from "node:os";
var DEFAULT_KDF = { N: 2 ** 15, r: 8, p: 1 };
var TEST_KDF = { N: 2 ** 10, r: 8, p: 1 };
function kdfFromEnv(env) {
  return env.BACKDRILL_INSECURE_TEST_KDF === "1" ? TEST_KDF : DEFAULT_KDF;
}
function derive(password, kdf) {
  return new Promise((resolve2, reject) => {
    scryptCb(
      Buffer.from(password.normalize("NFC"), "utf8"),
      Buffer.from(kdf.salt, "base64"),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 },
      (err, key) => err ? reject(err) : resolve2(key)
    );
  });
}
function aad(kdf) {
  return Buffer.from(`backdrill/v1/key/scrypt/${kdf.N}/${kdf.r}/${kdf.p}/${kdf.salt}`, "utf8");
}
async function createKeyFile(password, master, repositoryId, cost = DEFAULT_KDF) {
  if (!master.encryption) throw new Error("an unencrypted repository has no key files");
  if (password.length === 0) {
    throw new BackdrillError("usage", "an empty password is not allowed", {
      hint: "set BACKDRILL_PASSWORD, BACKDRILL_PASSWORD_FILE or BACKDRILL_PASSWORD_COMMAND"
    });
  }
  const kdf = { name: "scrypt", ...cost, salt: randomBytes(32).toString("base64") };
  const kek = await derive(password, kdf);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, nonce);
  cipher.setAAD(aad(kdf));
  const plain = Buffer.from(
    JSON.stringify({
      repository: repositoryId,
      encryption: master.encryption.toString("base64"),
      chunkId: master.chunkId.toString("base64")
    })
  );
  const data = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    version: 1,
    created: (/* @__PURE__ */ new Date()).toISOString(),
    hostname: hostname(),
    username: safeUsername(),
    kdf,
    wrap: { algorithm: "aes-256-gcm", nonce: nonce.toString("base64"), data: data.toString("base64") }
  };
}
async function unwrapKeyFile(file, password) {
  const kek = await derive(password, file.kdf);
  const blob = Buffer.from(file.wrap.data, "base64");
  if (blob.length < 17) return void 0;
  const decipher = createDecipheriv("aes-256-gcm", kek, Buffer.from(file.wrap.nonce, "base64"));
  decipher.setAAD(aad(file.kdf));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  let plain;
  try {
    plain = Buffer.concat([decipher.update(blob.subarray(0, blob.length - 16)), decipher.final()]);
  } catch {
    return void 0;
  }
  const parsed = WrappedKeys.parse(JSON.parse(plain.toString("utf8")));
  return {
    repository: parsed.repository,
    keys: { encryption: Buffer.from(parsed.encryption, "base64"), chunkId: Buffer.from(parsed.chunkId, "base64") }
  };
}
function parseKeyFile(raw, key) {
  let json;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new BackdrillError("integrity", `key file ${key} is not valid JSON: it is damaged`, {
      hint: "open the repository with another key, then `backdrill key remove` the damaged one"
    });
  }
  const r = KeyFile.safeParse(json);
  if (!r.success) {
    throw new BackdrillError("integrity", `key file ${key} is malformed: ${r.error.issues[0]?.message ?? ""}`, {
      hint: "open the repository with another key, then `backdrill key remove` the damaged one"
    });
  }
  return r.data;
}
function safeUsername() {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

// src/repo/lock.ts
var DEFAULT_LOCK_TTL_MS = 15 * 6e4;
var DEFAULT_LOCK_REFRESH_MS = 3 * 6e4;
function describeLock(l) {
  if (!l.record) return `lock ${l.id.slice(0, 8)} (${l.problem ?? "unreadable"})`;
  const r = l.record;
  const run = r.github ? `, GitHub run ${r.github.runId}${r.github.repository ? ` of ${r.github.repository}` : ""}` : "";
  return `${r.kind} lock ${l.id.slice(0, 8)} held by ${r.username}@${r.hostname} (pid ${r.pid}${run}) for ${r.operation} since ${r.createdAt}, expires ${r.expiresAt}${l.stale ? ` [stale: ${l.staleReason}]` : ""}`;
}
function githubRunFromEnv(env = process.env) {
  if (!env.GITHUB_RUN_ID) return null;
  return {
    runId: env.GITHUB_RUN_ID,
    ...env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {},
    ...env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {},
    ...env.GITHUB_WORKFLOW ? { workflow: env.GITHUB_WORKFLOW } : {}
  };
}
function hostIdentity() {
  const read = (f) => {
    try {
      return readFileSync2(f, "utf8").trim();
    } catch {
      return "?";
    }
  };
  let pidns = "?";
  try {
    pidns = readlinkSync("/proc/self/ns/pid");
  } catch {
  }
  return `${hostname2()}/${read("/proc/sys/kernel/random/boot_id")}/${pidns}`;
}
function processGone(pid) {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return err.code === "ESRCH";
  }
}
async function listLocks(repo, now = Date.now()) {
  const objects = (await listAll(repo.backend, layout.locksPrefix)).filter(
    (o) => HEX64.test(o.key.slice(layout.locksPrefix.length))
  );
  const out = [];
  for (const o of objects) {
    const id = o.key.slice(layout.locksPrefix.length);
    try {
      const record = await repo.getJson("lock", id, o.key, LockRecord);
      const expired = Date.parse(record.expiresAt) < now;
      const sameHost = record.hostId === hostIdentity() && !record.hostId.includes("?");
      const dead = !expired && sameHost && record.pid !== process.pid && processGone(record.pid);
      out.push({
        id,
        key: o.key,
        record,
        problem: void 0,
        stale: expired || dead,
        staleReason: expired ? "expired" : dead ? `process ${record.pid} no longer runs on this host` : void 0
      });
    } catch (err) {
      if (isStorageError(err, "not-found")) continue;
      if (!(err instanceof BackdrillError)) throw err;
      const old = now - o.modified.getTime() > DEFAULT_LOCK_TTL_MS;
      out.push({
        id,
        key: o.key,
        record: void 0,
        problem: err.message,
        stale: old,
        staleReason: old ? "unreadable and old" : void 0
      });
    }
  }
  return out;
}
function conflicts(kind, other) {
  if (other.stale) return false;
  return kind === "exclusive" || other.record?.kind !== "shared";
}
var LockLostError = class extends BackdrillError {
  constructor(message) {
    super("lock-held", message, { hint: "the operation stopped instead of going on without its lock; run it again" });
    this.name = "LockLostError";
  }
};
var RepoLock = class _RepoLock {
  constructor(repo, id, record, ttlMs, refreshMs) {
    this.repo = repo;
    this.id = id;
    this.record = record;
    this.ttlMs = ttlMs;
    this.expiresAt = Date.parse(record.expiresAt);
    this.timer = setInterval(() => void this.refresh(), refreshMs);
    this.timer.unref();
  }
  repo;
  id;
  record;
  ttlMs;
  controller = new AbortController();
  timer;
  released = false;
  expiresAt;
  /** Aborted when the lock is lost; long operations pass it down and check it before committing. */
  get signal() {
    return this.controller.signal;
  }
  /**
   * Before a write that must happen under the lock (a manifest): checks the lock object is still there and
   * unexpired. Guards against `unlock --remove-all` and a refresh that could not reach the storage.
   */
  async verifyHeld() {
    this.assertHeld();
    if (!await this.repo.backend.stat(layout.lock(this.id))) {
      this.lose(`lock ${this.id.slice(0, 8)} was removed by someone else (backdrill unlock --remove-all?)`);
      throw this.controller.signal.reason;
    }
    this.assertHeld();
  }
  /** Throws when the lock was lost, or is about to expire and cannot be trusted for a write. */
  assertHeld() {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
    if (Date.now() >= this.expiresAt) {
      this.lose(`lock ${this.id.slice(0, 8)} expired before the operation finished`);
      throw this.controller.signal.reason;
    }
  }
  static async acquire(repo, kind, options) {
    const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    const refreshMs = options.refreshMs ?? Math.min(DEFAULT_LOCK_REFRESH_MS, Math.floor(ttlMs / 4));
    const deadline = Date.now() + (options.waitMs ?? 0);
    const id = randomBytes2(32).toString("hex");
    for (let attempt = 0; ; attempt++) {
      const blocking = (await listLocks(repo)).filter((l) => l.id !== id && conflicts(kind, l));
      if (blocking.length === 0) {
        const now = /* @__PURE__ */ new Date();
        const record = {
          version: 1,
          kind,
          operation: options.operation,
          hostname: hostname2(),
          username: safeUsername(),
          pid: process.pid,
          hostId: hostIdentity(),
          github: githubRunFromEnv(),
          createdAt: now.toISOString(),
          refreshedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + ttlMs).toISOString()
        };
        await repo.putJson("lock", id, layout.lock(id), record, true);
        const after = (await listLocks(repo)).filter((l) => l.id !== id && conflicts(kind, l));
        if (after.length === 0) return new _RepoLock(repo, id, record, ttlMs, refreshMs);
        await repo.backend.delete(layout.lock(id));
        blocking.push(...after);
      }
      if (Date.now() >= deadline) {
        throw new BackdrillError(
          "lock-held",
          `cannot take a${kind === "exclusive" ? "n exclusive" : " shared"} lock on ${repo.location}: ` + blocking.map(describeLock).join("; "),
          {
            hint: "wait for that operation to finish (or pass --retry-lock DURATION); if it died, its lock expires by itself, or remove it with `backdrill unlock` once it is stale"
          }
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(5e3, 250 * 2 ** Math.min(attempt, 5))));
    }
  }
  lose(message) {
    if (!this.controller.signal.aborted) this.controller.abort(new LockLostError(message));
    if (this.timer) clearInterval(this.timer);
  }
  async refresh() {
    if (this.released || this.controller.signal.aborted) return;
    const key = layout.lock(this.id);
    try {
      if (!await this.repo.backend.stat(key)) {
        this.lose(`lock ${this.id.slice(0, 8)} was removed by someone else (backdrill unlock --remove-all?)`);
        return;
      }
      const now = Date.now();
      const next = {
        ...this.record,
        refreshedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.ttlMs).toISOString()
      };
      await this.repo.putJson("lock", this.id, key, next, false);
      this.expiresAt = now + this.ttlMs;
    } catch (err) {
      if (Date.now() >= this.expiresAt) {
        this.lose(`lock ${this.id.slice(0, 8)} could not be refreshed before it expired: ${err.message}`);
      }
    }
  }
  async release() {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    await this.repo.backend.delete(layout.lock(this.id)).catch(() => {
    });
  }
};
async function withLock(repo, kind, options, fn) {
  const lock = await RepoLock.acquire(repo, kind, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
async function unlock(repo, removeAll) {
  const locks = await listLocks(repo);
  const removed = locks.filter((l) => removeAll || l.stale);
  for (const l of removed) await repo.backend.delete(l.key);
  return removed;
}

// src/report/markdown.ts
function formatMs(ms) {
  if (ms === null) return "\u2014";
  if (ms < 1e3) return `${ms} ms`;
  const s = ms / 1e3;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}
function formatPhases(phases) {
  return Object.entries(phases).map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(", ");
}
function formatBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}
function cell(s) {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function renderMarkdown(r) {
  const out = [];
  out.push(`## ${r.passed ? "\u2705 Restore drill passed" : "\u274C Restore drill failed"}`);
  out.push("");
  out.push(
    `Backup set \`${r.set.id?.slice(0, 12) ?? "\u2014"}\` from ${r.set.time} \xB7 RTO **${formatMs(r.rto.ms)}**${r.rto.targetMs !== null ? ` (target ${formatMs(r.rto.targetMs)})` : ""} \xB7 RPO **${formatMs(r.rpo.ms)}**${r.rpo.targetMs !== null ? ` (target ${formatMs(r.rpo.targetMs)})` : ""} \xB7 capture skew ${formatMs(r.set.skewMs)}`
  );
  if (r.failures.length > 0) {
    out.push("", "### Failures", "");
    for (const f of r.failures) out.push(`- ${f}`);
  }
  out.push("", "### Stores", "");
  out.push("| store | kind | snapshot | size | sandbox | restore | fingerprint |");
  out.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const s of r.stores) {
    const restore = s.restore.ok ? formatMs(s.restore.ms) : `failed: ${cell(s.restore.error ?? "")}`;
    const fp = !s.fingerprint.compared ? "not compared" : s.fingerprint.ok ? "matches" : `${s.fingerprint.differences.length} difference(s)`;
    const sandbox = s.sandbox ? `${s.sandbox.provider} ${s.sandbox.version}` : "\u2014";
    out.push(
      `| ${cell(s.store)} | ${s.kind} | \`${s.snapshot.slice(0, 8)}\` | ${formatBytes(s.size)} | ${cell(sandbox)} | ${restore} | ${fp} |`
    );
  }
  const diffs = r.stores.flatMap((s) => s.fingerprint.differences.map((d) => ({ store: s.store, d })));
  const partial = r.stores.flatMap((s) => s.restore.failures.map((f) => ({ store: s.store, f })));
  if (diffs.length > 0 || partial.length > 0) {
    out.push("", "<details><summary>Differences after restore</summary>", "");
    for (const { store, f } of partial) out.push(`- **${cell(store)}** did not restore: ${cell(f)}`);
    for (const { store, d } of diffs.slice(0, 50))
      out.push(`- **${cell(store)}** ${d.area} ${d.problem}: ${cell(d.message)}`);
    if (diffs.length > 50) out.push(`- ... and ${diffs.length - 50} more`);
    out.push("", "</details>");
  }
  if (r.checks.length > 0) {
    out.push("", "### Checks", "");
    out.push("| check | stores | result |");
    out.push("| --- | --- | --- |");
    for (const c of r.checks) {
      const samples = c.samples.length > 0 ? ` (e.g. ${c.samples.map((s) => `\`${cell(s)}\``).join(", ")})` : "";
      out.push(`| ${cell(c.name)} | ${c.stores.join(", ")} | ${c.ok ? "\u2705" : "\u274C"} ${cell(c.message)}${samples} |`);
    }
  }
  const trend = r.history.filter((h) => h.rtoMs !== null);
  if (trend.length >= 2) {
    out.push("", "### RTO over recent drills", "", "```mermaid", "xychart-beta");
    out.push(`  title "RTO (seconds)"`);
    out.push(`  x-axis [${trend.map((h) => `"${h.time.slice(5, 16).replace("T", " ")}"`).join(", ")}]`);
    out.push(`  y-axis "seconds"`);
    out.push(`  bar [${trend.map((h) => ((h.rtoMs ?? 0) / 1e3).toFixed(1)).join(", ")}]`);
    out.push("```");
  }
  if (r.warnings.length > 0) {
    out.push("", "<details><summary>Warnings</summary>", "");
    for (const w of r.warnings) out.push(`- ${cell(w)}`);
    out.push("", "</details>");
  }
  out.push(
    "",
    `<sub>backdrill drill ${r.id.slice(0, 12)} \xB7 ${r.startedAt} \u2192 ${r.finishedAt} \xB7 ${cell(r.repository)}</sub>`,
    ""
  );
  return out.join("\n");
}

// src/storage/index.ts
import { resolve } from "node:path";

// src/storage/fs.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
var TMP_DIR = "tmp";
var FsBackend = class {
  constructor(root) {
    this.root = root;
    this.location = root;
  }
  root;
  location;
  capabilities = { maxConnections: 8 };
  path(key) {
    checkKey(key);
    return join(this.root, ...key.split("/"));
  }
  async put(key, data, options = {}) {
    const target = this.path(key);
    const tmpDir = join(this.root, TMP_DIR);
    const tmp = join(tmpDir, `${randomBytes3(8).toString("hex")}.tmp`);
    try {
      await mkdir(tmpDir, { recursive: true });
      await mkdirDurable(dirname(target));
      const fh = await open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 384);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (options.ifNoneMatch) {
        await link(tmp, target);
        await unlink(tmp);
      } else {
        await rename(tmp, target);
      }
      await syncDir(dirname(target));
    } catch (err) {
      await unlink(tmp).catch(() => {
      });
      throw fsError(err, key, "write");
    }
  }
  async get(key) {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      throw fsError(err, key, "read");
    }
  }
  async stat(key) {
    try {
      const s = await stat(this.path(key));
      return { key, size: s.size, modified: s.mtime };
    } catch (err) {
      if (err.code === "ENOENT") return void 0;
      throw fsError(err, key, "stat");
    }
  }
  async *list(prefix) {
    const base = prefix.replace(/\/+$/, "");
    if (base !== "") checkKey(base);
    const start = base === "" ? this.root : join(this.root, ...base.split("/"));
    yield* this.walk(start, prefix);
  }
  async *walk(dir, prefix) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = err.code;
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw fsError(err, relative(this.root, dir), "list");
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      const key = relative(this.root, full).split(sep).join("/");
      if (key === TMP_DIR) continue;
      if (e.isDirectory()) {
        yield* this.walk(full, prefix);
      } else if (e.isFile() && key.startsWith(prefix)) {
        const s = await stat(full).catch(() => void 0);
        if (s) yield { key, size: s.size, modified: s.mtime };
      }
    }
  }
  async delete(key) {
    try {
      await unlink(this.path(key));
    } catch (err) {
      if (err.code === "ENOENT") return;
      throw fsError(err, key, "delete");
    }
  }
  async close() {
  }
};
async function mkdirDurable(dir) {
  const first = await mkdir(dir, { recursive: true });
  if (first === void 0) return;
  let d = dir;
  const created = [];
  while (d.length >= first.length) {
    created.push(d);
    d = dirname(d);
  }
  for (const c of created.reverse()) await syncDir(dirname(c));
}
async function syncDir(dir) {
  const fh = await open(dir, fsConstants.O_RDONLY).catch(() => void 0);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
  } finally {
    await fh.close();
  }
}
function fsError(err, key, op) {
  if (err instanceof StorageError) return err;
  const e = err;
  const code = e.code === "ENOENT" ? "not-found" : e.code === "EEXIST" ? "already-exists" : e.code === "EACCES" || e.code === "EPERM" || e.code === "EROFS" ? "permission" : e.code === "EMFILE" || e.code === "ENFILE" || e.code === "EAGAIN" || e.code === "EBUSY" ? "transient" : "failed";
  return new StorageError(code, `${op} ${key}: ${e.message}`, { key, cause: err });
}

// src/lazy.ts
function commonJs(ns) {
  return ns.default ?? ns;
}

// src/storage/s3.ts
var loadedSdk;
async function loadSdk() {
  loadedSdk ??= commonJs(await import("./dist-cjs-OMISNOH2.js"));
  return loadedSdk;
}
var MULTIPART_THRESHOLD = 64 * 1024 * 1024;
var S3Backend = class {
  location;
  capabilities;
  client;
  options;
  bucket;
  prefix;
  constructor(options) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, "")}/` : "";
    const endpoint = options.endpoint ? redactUrl(options.endpoint) : "s3";
    this.location = `s3:${endpoint === "s3" ? "" : `${endpoint}/`}${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ""}`;
    this.capabilities = { maxConnections: options.maxConnections ?? 16 };
    this.options = options;
  }
  sdk() {
    const options = this.options;
    this.client ??= loadSdk().then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        ...options.endpoint ? { endpoint: options.endpoint } : {},
        region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== void 0,
        ...options.credentials ? { credentials: options.credentials } : {},
        // Our retry wrapper owns retries, so a failure is classified once and backoff is not multiplied.
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 1e4, requestTimeout: 12e4 }
      })
    }));
    return this.client;
  }
  objectKey(key) {
    checkKey(key);
    return this.prefix + key;
  }
  async put(key, data, options = {}) {
    const Key = this.objectKey(key);
    try {
      const { sdk, client } = await this.sdk();
      if (data.byteLength > MULTIPART_THRESHOLD && !options.ifNoneMatch) {
        const { Upload } = commonJs(await import("./dist-cjs-ZOTOYPRT.js"));
        await new Upload({ client, params: { Bucket: this.bucket, Key, Body: data } }).done();
        return;
      }
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: data,
          ContentLength: data.byteLength,
          ...options.ifNoneMatch ? { IfNoneMatch: "*" } : {}
        })
      );
    } catch (err) {
      throw s3Error(err, key, "put");
    }
  }
  async get(key) {
    try {
      const { sdk, client } = await this.sdk();
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      if (!res.Body) throw new StorageError("transient", `get ${key}: empty response body`, { key });
      const bytes = Buffer.from(await res.Body.transformToByteArray());
      if (res.ContentLength !== void 0 && bytes.length !== res.ContentLength) {
        throw new StorageError("transient", `get ${key}: short read (${bytes.length} of ${res.ContentLength} bytes)`, {
          key
        });
      }
      return bytes;
    } catch (err) {
      throw s3Error(err, key, "get");
    }
  }
  async stat(key) {
    try {
      const { sdk, client } = await this.sdk();
      const res = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { key, size: res.ContentLength ?? 0, modified: res.LastModified ?? /* @__PURE__ */ new Date(0) };
    } catch (err) {
      const e = s3Error(err, key, "stat");
      if (e.code === "not-found") return void 0;
      throw e;
    }
  }
  async *list(prefix) {
    let token;
    do {
      let res;
      try {
        const { sdk, client } = await this.sdk();
        res = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token })
        );
      } catch (err) {
        throw s3Error(err, prefix, "list");
      }
      for (const o of res.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, modified: o.LastModified ?? /* @__PURE__ */ new Date(0) };
      }
      token = res.IsTruncated ? res.NextContinuationToken : void 0;
    } while (token);
  }
  async delete(key) {
    try {
      const { sdk, client } = await this.sdk();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (err) {
      const e = s3Error(err, key, "delete");
      if (e.code !== "not-found") throw e;
    }
  }
  async close() {
    if (this.client) (await this.client).client.destroy();
  }
};
function s3Error(err, key, op) {
  if (err instanceof StorageError) return err;
  const status = loadedSdk && err instanceof loadedSdk.S3ServiceException ? err.$metadata.httpStatusCode : void 0;
  const name = err.name ?? "Error";
  const message = err.message ?? String(err);
  const what = `${op} ${key}: ${name}${status ? ` (HTTP ${status})` : ""}: ${message}`;
  if (status === 404 || name === "NoSuchKey" || name === "NotFound")
    return new StorageError("not-found", what, { key });
  if (name === "NoSuchBucket") return new StorageError("failed", what, { key });
  if (status === 412 || name === "PreconditionFailed") return new StorageError("already-exists", what, { key });
  if (status === 501 || name === "NotImplemented") return new StorageError("unsupported", what, { key });
  if (status === 403 || status === 401 || name === "AccessDenied" || name === "InvalidAccessKeyId") {
    return new StorageError("permission", what, { key, cause: err });
  }
  if (status === 409 && name === "ConditionalRequestConflict") return new StorageError("transient", what, { key });
  if (status === void 0 || status >= 500 || status === 429 || status === 408 || name === "SlowDown") {
    return new StorageError("transient", what, { key, cause: err });
  }
  return new StorageError("failed", what, { key, cause: err });
}

// src/storage/wrappers.ts
var RetryBackend = class {
  constructor(inner, options = {}) {
    this.inner = inner;
    this.options = options;
    this.location = inner.location;
    this.capabilities = inner.capabilities;
    this.attempts = options.attempts ?? 8;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 1e4;
  }
  inner;
  options;
  location;
  capabilities;
  attempts;
  baseDelayMs;
  maxDelayMs;
  async retry(op, key, fn) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const e = err instanceof StorageError ? err : new StorageError("failed", String(err), { key, cause: err });
        if (!e.retryable || attempt >= this.attempts) throw e;
        const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
        const delayMs = Math.round(Math.random() * cap);
        this.options.onRetry?.({ op, key, attempt, error: e, delayMs });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }
  async put(key, data, options = {}) {
    let attempted = false;
    await this.retry("put", key, async () => {
      try {
        await this.inner.put(key, data, options);
      } catch (err) {
        if (attempted && options.ifNoneMatch && err instanceof StorageError && err.code === "already-exists") {
          const existing = await this.inner.get(key).catch(() => void 0);
          if (existing && Buffer.compare(existing, data) === 0) return;
        }
        attempted = true;
        throw err;
      }
    });
  }
  get(key) {
    return this.retry("get", key, () => this.inner.get(key));
  }
  stat(key) {
    return this.retry("stat", key, () => this.inner.stat(key));
  }
  async *list(prefix) {
    const seen = /* @__PURE__ */ new Set();
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const b of this.inner.list(prefix)) {
          if (seen.has(b.key)) continue;
          seen.add(b.key);
          yield b;
        }
        return;
      } catch (err) {
        const e = err instanceof StorageError ? err : new StorageError("failed", String(err), { cause: err });
        if (!e.retryable || attempt >= this.attempts) throw e;
        const delayMs = Math.round(Math.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
        this.options.onRetry?.({ op: "list", key: prefix, attempt, error: e, delayMs });
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }
  delete(key) {
    return this.retry("delete", key, () => this.inner.delete(key));
  }
  close() {
    return this.inner.close();
  }
};
var Semaphore = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  active = 0;
  waiting = [];
  async acquire() {
    if (this.active >= this.limit) await new Promise((r) => this.waiting.push(r));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
  async run(fn) {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
};
var LimitBackend = class {
  constructor(inner, limit = inner.capabilities.maxConnections) {
    this.inner = inner;
    this.location = inner.location;
    this.capabilities = { ...inner.capabilities, maxConnections: limit };
    this.sem = new Semaphore(limit);
  }
  inner;
  location;
  capabilities;
  sem;
  put(key, data, options) {
    return this.sem.run(() => this.inner.put(key, data, options));
  }
  get(key) {
    return this.sem.run(() => this.inner.get(key));
  }
  stat(key) {
    return this.sem.run(() => this.inner.stat(key));
  }
  list(prefix) {
    return this.inner.list(prefix);
  }
  delete(key) {
    return this.sem.run(() => this.inner.delete(key));
  }
  close() {
    return this.inner.close();
  }
};

// src/storage/index.ts
function parseLocation(location) {
  const loc = location.trim();
  if (loc === "") {
    throw new UsageError("the repository location is empty", "set --repo or BACKDRILL_REPOSITORY");
  }
  if (loc.startsWith("s3://")) {
    const [bucket, ...rest] = loc.slice("s3://".length).split("/");
    if (!bucket) throw badS3(location);
    return { kind: "s3", bucket, prefix: rest.filter(Boolean).join("/") };
  }
  if (loc.startsWith("s3:")) {
    let url;
    try {
      url = new URL(loc.slice("s3:".length));
    } catch {
      throw badS3(location);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw badS3(location);
    const [bucket, ...rest] = url.pathname.split("/").filter(Boolean);
    if (!bucket) throw badS3(location);
    const credentials = url.username !== "" ? { accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) } : void 0;
    return {
      kind: "s3",
      endpoint: `${url.protocol}//${url.host}`,
      forcePathStyle: true,
      bucket,
      prefix: rest.join("/"),
      ...credentials ? { credentials } : {}
    };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc) && !loc.startsWith("local:")) {
    throw new UsageError(
      `unsupported repository location ${JSON.stringify(redactLocation(location))}`,
      "use a folder path, s3://bucket/prefix (AWS) or s3:https://host:port/bucket/prefix (S3-compatible)"
    );
  }
  return { kind: "local", path: resolve(loc.startsWith("local:") ? loc.slice("local:".length) : loc) };
}
function badS3(location) {
  return new UsageError(
    `cannot read the S3 location ${JSON.stringify(redactLocation(location))}`,
    "expected s3://bucket[/prefix] for AWS or s3:https://host:port/bucket[/prefix] for S3-compatible storage"
  );
}
function redactLocation(location) {
  return location.replace(/(\/\/)[^@/]*@/, "$1");
}
function rawBackend(location) {
  const loc = typeof location === "string" ? parseLocation(location) : location;
  if (loc.kind === "local") return new FsBackend(loc.path);
  const { kind: _kind, ...s3 } = loc;
  return new S3Backend(s3);
}
function wrapBackend(backend, options = {}) {
  return new RetryBackend(new LimitBackend(backend, options.connections), options.retry);
}
function openBackend(location, options = {}) {
  return wrapBackend(rawBackend(location), options);
}

// src/repo/repository.ts
import { randomBytes as randomBytes4 } from "node:crypto";

// src/pipeline/chunker.ts
import { hkdfSync } from "node:crypto";

// src/pipeline/gear-wasm.ts
var WASM_BASE64 = "AGFzbQEAAAABCQFgBH9/f38BfwMCAQAFAwEAEQYGAX8BQQALBxUDBm1lbW9yeQIAAWgDAARzY2FuAAAKQAE+AAJAA0AgACABTw0BIAJBAXQgAC0AgAhBAnQoAgBqIQIgAEEBaiEAIAIgA3ENAAsgAiQAIAAPCyACJABBfws=";

// src/pipeline/chunker.ts
var DEFAULT_CHUNKER = { min: 512 * 1024, avg: 2 * 1024 * 1024, max: 8 * 1024 * 1024 };
function checkChunkerParams(p) {
  const pow2 = (n) => Number.isInteger(n) && n > 0 && (n & n - 1) === 0;
  if (!(p.min >= 64 && p.min < p.avg && p.avg < p.max && pow2(p.avg) && p.max <= 64 * 1024 * 1024)) {
    throw new Error(
      `invalid chunker parameters ${JSON.stringify(p)}: need 64 <= min < avg < max <= 64 MiB, avg a power of two`
    );
  }
}
function gearTable(chunkIdKey) {
  const bytes = Buffer.from(hkdfSync("sha256", chunkIdKey, Buffer.alloc(0), "backdrill/v1/chunker-gear", 1024));
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = bytes.readInt32LE(i * 4);
  return table;
}
function highMask(bits) {
  return bits >= 32 ? -1 : ~((1 << 32 - bits) - 1) | 0;
}
var WINDOW_AT = 1024;
var WINDOW = 1 << 20;
var instance;
var GearScanner = class {
  constructor(gear) {
    this.gear = gear;
  }
  gear;
  /** The hash after the last scan. */
  h = 0;
  /**
   * Feeds buf[from, to) to the hash; returns the index just after the first byte whose hash has no bit of `mask`
   * set, or -1 when none has.
   */
  scan(buf, from, to, mask) {
    if (!instance) {
      const x2 = wasmInstance(WASM_BASE64);
      instance = { x: x2, window: new Uint8Array(x2.memory.buffer, WINDOW_AT, WINDOW) };
    }
    const { x, window } = instance;
    if (instance.gear !== this.gear) {
      new Int32Array(x.memory.buffer, 0, 256).set(this.gear);
      instance.gear = this.gear;
    }
    for (let o = from; o < to; o += WINDOW) {
      const len = Math.min(WINDOW, to - o);
      window.set(buf.subarray(o, o + len));
      const at = x.scan(0, len, this.h, mask);
      this.h = x.h.value;
      if (at >= 0) return o + at;
    }
    return -1;
  }
};
var Chunker = class {
  constructor(params, gear, options = {}) {
    this.params = params;
    this.options = options;
    checkChunkerParams(params);
    const bits = Math.log2(params.avg);
    this.maskS = highMask(bits + 2);
    this.maskL = highMask(bits - 2);
    this.gear = new GearScanner(gear);
  }
  params;
  options;
  maskS;
  maskL;
  gear;
  pending = [];
  pendingLen = 0;
  /** Pushed buffers whose last bytes are in `pending`: freed with it (disposable input only). */
  owners = [];
  /** Feeds bytes; returns the chunks completed by them. The caller must not modify `buf` afterwards (it is kept,
   * not copied, until its chunk completes; node streams hand out fresh buffers), nor read it when the chunker is
   * `disposable` (it may be freed by then). Each chunk owns its whole
   * ArrayBuffer, referenced nowhere else: the caller may transfer it to a worker or free it (see buffers.ts). */
  push(buf) {
    const out = [];
    const { min, avg, max } = this.params;
    const n = buf.length;
    const disposable = this.options.disposable === true && ownsBuffer(buf);
    let pos = 0;
    while (pos < n) {
      const base = this.pendingLen - pos;
      const from = Math.max(pos, min - base);
      const endS = Math.min(n, avg - base);
      let cut = from < endS ? this.gear.scan(buf, from, endS, this.maskS) : -1;
      if (cut < 0) {
        const endL = Math.min(n, max - base);
        const fromL = Math.max(from, endS);
        if (fromL < endL) cut = this.gear.scan(buf, fromL, endL, this.maskL);
        if (cut < 0 && max - base <= n) cut = max - base;
      }
      if (cut < 0) {
        this.pending.push(buf.subarray(pos));
        this.pendingLen += n - pos;
        if (disposable) this.owners.push(buf);
        return out;
      }
      out.push(this.take(buf.subarray(pos, cut)));
      pos = cut;
    }
    if (disposable) releaseOwned(buf);
    return out;
  }
  /** Ends the stream; returns the last, possibly short, chunk (none for an empty stream). */
  finish() {
    if (this.pendingLen === 0) return [];
    return [this.take(new Uint8Array(0))];
  }
  take(tail) {
    const chunk = chunkBuffer(this.pendingLen + tail.length);
    let o = 0;
    for (const p of this.pending) {
      chunk.set(p, o);
      o += p.length;
    }
    chunk.set(tail, o);
    for (const b of this.owners) releaseOwned(b);
    this.owners = [];
    this.pending = [];
    this.pendingLen = 0;
    this.gear.h = 0;
    return chunk;
  }
};
async function* chunkStream(source, chunker) {
  for await (const piece of source) {
    const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
    yield* chunker.push(bytes);
  }
  yield* chunker.finish();
}

// src/repo/repository.ts
var DEFAULT_COMPRESSION_LEVEL = 1;
var PASSWORD_HINT = "set BACKDRILL_PASSWORD, BACKDRILL_PASSWORD_FILE or BACKDRILL_PASSWORD_COMMAND (or --password-file)";
var Repository = class _Repository {
  constructor(backend, config, keys) {
    this.backend = backend;
    this.config = config;
    this.keys = keys;
  }
  backend;
  config;
  keys;
  pool;
  /** The key file that opened the repository uses a KDF weaker than the default (the CLI warns). */
  weakKdf = false;
  get id() {
    return this.config.id;
  }
  get location() {
    return this.backend.location;
  }
  /** The smallest a stored chunk can be; anything smaller under data/ is damage. */
  get minChunkSize() {
    return minSealedSize(this.keys.encryption !== null);
  }
  get chunker() {
    return this.config.chunker;
  }
  /** Creates a new repository. Fails when one exists; probes whether the provider honours conditional writes. */
  static async init(backend, options) {
    const encryption = options.encryption ?? "aes-256-gcm";
    if (encryption !== "none" && !options.password) {
      throw new BackdrillError(
        "usage",
        `cannot create an encrypted repository at ${backend.location} without a password`,
        {
          hint: `${PASSWORD_HINT}; an unencrypted repository must be asked for explicitly (--encryption none)`
        }
      );
    }
    const chunker = options.chunker ?? DEFAULT_CHUNKER;
    checkChunkerParams(chunker);
    if (await backend.stat(layout.config)) {
      throw new BackdrillError("usage", `a repository already exists at ${backend.location}`, {
        hint: "use it as it is, or choose another location"
      });
    }
    const warnings = [];
    const conditionalWrites = await probeConditionalWrites(backend);
    if (!conditionalWrites) {
      warnings.push(
        `the storage at ${backend.location} does not honour conditional writes (If-None-Match: *): two \`backdrill init\` runs at once could overwrite each other's config, and a retried write cannot tell its own earlier attempt from another writer's object. Locks still work (they rely on consistent listings). Prefer a provider with conditional writes (AWS S3, MinIO, R2) and run one init at a time here.`
      );
    }
    const keys = {
      encryption: encryption === "none" ? null : randomBytes4(32),
      chunkId: randomBytes4(32)
    };
    const config = {
      version: FORMAT_VERSION,
      id: randomBytes4(32).toString("hex"),
      created: (/* @__PURE__ */ new Date()).toISOString(),
      encryption,
      ...encryption === "none" ? { chunkIdKey: keys.chunkId.toString("base64") } : {},
      chunker,
      compression: { algorithm: "zstd", level: options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL },
      conditionalWrites
    };
    const keyObject = layout.key(randomBytes4(32).toString("hex"));
    if (keys.encryption) {
      const file = await createKeyFile(options.password, keys, config.id, options.kdf ?? DEFAULT_KDF);
      await backend.put(keyObject, Buffer.from(JSON.stringify(file)), { ifNoneMatch: conditionalWrites });
    }
    const sealed = seal(keys, "config", "config", Buffer.from(JSON.stringify(config)), null);
    try {
      await backend.put(layout.config, sealed, { ifNoneMatch: conditionalWrites });
    } catch (err) {
      if (keys.encryption) await backend.delete(keyObject).catch(() => {
      });
      if (isStorageError(err, "already-exists")) {
        throw new BackdrillError("usage", `a repository was created at ${backend.location} at the same time`, {
          cause: err
        });
      }
      throw err;
    }
    return { repo: new _Repository(backend, config, keys), warnings };
  }
  /** Opens an existing repository: exit 10 when there is none, 12 when the password opens no key file. */
  static async open(backend, options = {}) {
    const pool = options.pipeline ? new PipelinePool() : void 0;
    try {
      const repo = await _Repository.unlock(backend, options.password);
      if (pool) repo.pool = pool.setKeys(repo.keys);
      return repo;
    } catch (err) {
      await pool?.close();
      throw err;
    }
  }
  static async unlock(backend, password) {
    let raw;
    try {
      raw = await backend.get(layout.config);
    } catch (err) {
      if (isStorageError(err, "not-found")) {
        throw new BackdrillError("repository-missing", `there is no repository at ${backend.location}`, {
          hint: "check --repo / BACKDRILL_REPOSITORY, or create one with `backdrill init`"
        });
      }
      throw err;
    }
    const encrypted = envelopeIsEncrypted(raw);
    if (encrypted === void 0) {
      throw new BackdrillError("integrity", `the object "config" at ${backend.location} is not a backdrill config`, {
        hint: "the repository is damaged or this is not a backdrill repository"
      });
    }
    const keyObjects = await listAll(backend, layout.keysPrefix);
    if (!encrypted) {
      if (keyObjects.length > 0) {
        throw new BackdrillError(
          "integrity",
          `the repository at ${backend.location} has key files but an unencrypted config: refusing to open it`,
          { hint: "the config object may have been tampered with; restore it from a copy of the repository" }
        );
      }
      if (password !== void 0) {
        throw new BackdrillError(
          "usage",
          `the repository at ${backend.location} is not encrypted, but a password was given`,
          {
            hint: "refusing to write unencrypted data where encryption was expected; unset the password if this is intended"
          }
        );
      }
      const config = parseConfig2(unsealOrIntegrity({ encryption: null, chunkId: Buffer.alloc(32) }, raw));
      if (config.encryption !== "none" || !config.chunkIdKey) {
        throw new BackdrillError("integrity", `the config at ${backend.location} is inconsistent (encryption)`);
      }
      return new _Repository(backend, config, { encryption: null, chunkId: Buffer.from(config.chunkIdKey, "base64") });
    }
    if (password === void 0 || password === "") {
      throw new BackdrillError(
        "usage",
        `the repository at ${backend.location} is encrypted and no password was given`,
        {
          hint: PASSWORD_HINT
        }
      );
    }
    if (keyObjects.length === 0) {
      throw new BackdrillError("wrong-key", `the repository at ${backend.location} has no key files left`, {
        hint: "without a key file the data cannot be decrypted"
      });
    }
    const damaged = [];
    const stray = [];
    for (const k of keyObjects) {
      let file;
      try {
        file = parseKeyFile(await backend.get(k.key), k.key);
      } catch (err) {
        if (err instanceof BackdrillError) {
          damaged.push(err.message);
          continue;
        }
        throw err;
      }
      let opened;
      try {
        opened = await unwrapKeyFile(file, password);
      } catch (err) {
        damaged.push(`key file ${k.key}: ${err.message}`);
        continue;
      }
      if (!opened) continue;
      let config;
      try {
        config = parseConfig2(unseal(opened.keys, "config", "config", raw));
      } catch (err) {
        if (!(err instanceof EnvelopeError)) throw err;
        stray.push(k.key);
        continue;
      }
      if (config.id !== opened.repository) {
        stray.push(k.key);
        continue;
      }
      const repo = new _Repository(backend, config, opened.keys);
      repo.weakKdf = file.kdf.N < DEFAULT_KDF.N;
      return repo;
    }
    if (stray.length > 0 && stray.length + damaged.length === keyObjects.length) {
      throw new BackdrillError(
        "integrity",
        `the repository config cannot be read: it fails authentication with the keys the password opens (key file(s) ${stray.join(", ")})`,
        { hint: "the config object is damaged or was replaced, or those key files belong to another repository" }
      );
    }
    if (damaged.length === keyObjects.length) {
      throw new BackdrillError("integrity", `every key file at ${backend.location} is damaged: ${damaged.join("; ")}`);
    }
    throw new BackdrillError("wrong-key", `wrong password: it opens none of the ${keyObjects.length} key file(s)`, {
      hint: damaged.length > 0 ? `also: ${damaged.join("; ")}` : "check the password source; nothing was written"
    });
  }
  /** Adds a key file for another password; data is not re-encrypted. Returns the new key's ID. */
  async addKey(password, kdf = DEFAULT_KDF) {
    if (!this.keys.encryption) {
      throw new BackdrillError("usage", "this repository is not encrypted: it has no keys to add");
    }
    const id = randomBytes4(32).toString("hex");
    const file = await createKeyFile(password, this.keys, this.id, kdf);
    await this.backend.put(layout.key(id), Buffer.from(JSON.stringify(file)), {
      ifNoneMatch: this.config.conditionalWrites
    });
    return id;
  }
  pipeline() {
    this.pool ??= new PipelinePool().setKeys(this.keys);
    return this.pool;
  }
  async close() {
    await this.pool?.close();
    this.pool = void 0;
    await this.backend.close();
  }
  chunkId(data) {
    return chunkIdOf(this.keys, data);
  }
  /** Seals and stores a small JSON object (manifest, lock, ...). */
  async putJson(type, id, key, value, ifNoneMatch) {
    const sealed = seal(this.keys, type, id, Buffer.from(JSON.stringify(value)), this.config.compression.level);
    await this.backend.put(key, sealed, { ifNoneMatch: ifNoneMatch && this.config.conditionalWrites });
  }
  /** Reads, authenticates and validates a JSON object; damage is an integrity error naming the object. */
  async getJson(type, id, key, schema) {
    const raw = await this.backend.get(key);
    const plain = this.unsealObject(type, id, key, raw);
    let json;
    try {
      json = JSON.parse(plain.toString("utf8"));
    } catch {
      throw new BackdrillError("integrity", `${key}: not valid JSON after decryption`);
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new BackdrillError(
        "integrity",
        `${key}: unexpected content at ${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""}`
      );
    }
    return r.data;
  }
  unsealObject(type, id, key, raw) {
    try {
      return unseal(this.keys, type, id, raw);
    } catch (err) {
      if (err instanceof EnvelopeError) throw new BackdrillError("integrity", `${key}: ${err.message}`, { cause: err });
      throw err;
    }
  }
  /** Every snapshot that can be read; damaged manifests are reported, not hidden. */
  async listSnapshots() {
    const objects = await listAll(this.backend, layout.snapshotsPrefix);
    const snapshots = [];
    const damaged = [];
    await mapLimit(objects, 8, async (o) => {
      const id = o.key.slice(layout.snapshotsPrefix.length);
      if (!HEX64.test(id)) {
        damaged.push({ key: o.key, message: "not a snapshot ID" });
        return;
      }
      try {
        snapshots.push({ id, ...await this.getJson("snapshot", id, o.key, SnapshotManifest) });
      } catch (err) {
        if (err instanceof BackdrillError || isStorageError(err, "not-found")) {
          damaged.push({ key: o.key, message: err.message });
          return;
        }
        throw err;
      }
    });
    snapshots.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
    return { snapshots, damaged };
  }
  /** Loads one snapshot by full ID, unique prefix, or "latest" (optionally of one store). */
  async loadSnapshot(ref, filter = {}) {
    if (ref === "latest") {
      const { snapshots } = await this.listSnapshots();
      const matching = snapshots.filter((s) => !filter.store || s.store.name === filter.store);
      const last = matching.at(-1);
      if (!last) {
        throw new BackdrillError(
          "usage",
          `no snapshots${filter.store ? ` of store ${filter.store}` : ""} in ${this.location}`
        );
      }
      return last;
    }
    if (!/^[0-9a-f]{4,64}$/.test(ref)) {
      throw new BackdrillError("usage", `"${ref}" is not a snapshot ID`, {
        hint: 'give an ID or a unique prefix of at least 4 hex digits (see `backdrill snapshots`), or "latest"'
      });
    }
    const candidates = (await listAll(this.backend, layout.snapshotsPrefix)).map((o) => o.key.slice(layout.snapshotsPrefix.length)).filter((id2) => id2.startsWith(ref));
    if (candidates.length === 0) throw new BackdrillError("usage", `no snapshot ${ref} in ${this.location}`);
    if (candidates.length > 1) {
      throw new BackdrillError("usage", `snapshot prefix ${ref} is ambiguous (${candidates.length} matches)`, {
        hint: "give more digits"
      });
    }
    const id = candidates[0];
    return { id, ...await this.getJson("snapshot", id, layout.snapshot(id), SnapshotManifest) };
  }
  /** The stored size of every chunk in the repository, from a listing of data/. */
  async chunkIndex() {
    const index = /* @__PURE__ */ new Map();
    for await (const o of this.backend.list(layout.dataPrefix)) {
      const id = chunkIdFromKey(o.key);
      if (id && o.size >= this.minChunkSize) index.set(id, o.size);
    }
    return index;
  }
  /** Reads one chunk and proves it is the one referenced: authenticated, right size, right HMAC ID. */
  async readChunk(ref) {
    const [id, size] = ref;
    const key = layout.chunk(id);
    let raw;
    try {
      raw = await this.backend.get(key);
    } catch (err) {
      if (isStorageError(err, "not-found")) {
        throw new BackdrillError("integrity", `chunk ${key} is missing`, { cause: err });
      }
      throw err;
    }
    let plain;
    try {
      plain = await this.pipeline().unsealChunk(id, raw, this.config.chunker.max, size);
    } catch (err) {
      if (err instanceof EnvelopeError) throw new BackdrillError("integrity", `${key}: ${err.message}`, { cause: err });
      throw err;
    }
    if (plain.length !== size) {
      throw new BackdrillError("integrity", `${key}: ${plain.length} bytes after decryption, expected ${size}`);
    }
    return plain;
  }
};
function unsealOrIntegrity(keys, raw) {
  try {
    return unseal(keys, "config", "config", raw);
  } catch (err) {
    if (err instanceof EnvelopeError) {
      throw new BackdrillError("integrity", `the repository config cannot be read: ${err.message}`, { cause: err });
    }
    throw err;
  }
}
function parseConfig2(plain) {
  let json;
  try {
    json = JSON.parse(plain.toString("utf8"));
  } catch {
    throw new BackdrillError("integrity", "the repository config is not valid JSON");
  }
  const r = RepoConfig.safeParse(json);
  if (!r.success) {
    const v = json?.version;
    if (typeof v === "number" && v !== FORMAT_VERSION) {
      throw new BackdrillError(
        "usage",
        `the repository uses format version ${v}; this backdrill reads version ${FORMAT_VERSION}`,
        {
          hint: "upgrade backdrill"
        }
      );
    }
    throw new BackdrillError("integrity", `the repository config is malformed: ${r.error.issues[0]?.message ?? ""}`);
  }
  return r.data;
}
async function probeConditionalWrites(backend) {
  const key = layout.lock(`probe-${randomBytes4(16).toString("hex")}`);
  try {
    try {
      await backend.put(key, Buffer.from("probe 1"), { ifNoneMatch: true });
    } catch (err) {
      if (isStorageError(err, "unsupported")) return false;
      throw err;
    }
    try {
      await backend.put(key, Buffer.from("probe 2"), { ifNoneMatch: true });
      return false;
    } catch (err) {
      if (isStorageError(err, "already-exists")) return true;
      if (isStorageError(err, "unsupported")) return false;
      throw err;
    }
  } finally {
    await backend.delete(key).catch(() => {
    });
  }
}
async function mapLimit(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  });
  await Promise.all(workers);
}

export {
  isStorageError,
  listAll,
  ProviderName,
  disposeAll,
  parseDuration,
  PERIODS,
  localFields,
  bucketOf,
  formatLocal,
  parseGrace,
  withinCutoff,
  RetentionPolicy,
  DEFAULT_GRACE_MS,
  normalizePolicy,
  hasKeepRule,
  describePolicy,
  policyJson,
  policyFromFlags,
  formatPath,
  describeIssue,
  loadConfig,
  gearTable,
  Chunker,
  chunkStream,
  layout,
  HEX64,
  chunkIdFromKey,
  SnapshotManifest,
  LockRecord,
  snapshotSize,
  drillLayout,
  DrillRecord,
  kdfFromEnv,
  unwrapKeyFile,
  parseKeyFile,
  safeUsername,
  describeLock,
  githubRunFromEnv,
  listLocks,
  RepoLock,
  withLock,
  unlock,
  formatMs,
  formatPhases,
  formatBytes,
  cell,
  renderMarkdown,
  DEFAULT_COMPRESSION_LEVEL,
  Repository,
  mapLimit,
  commonJs,
  redactLocation,
  openBackend
};
