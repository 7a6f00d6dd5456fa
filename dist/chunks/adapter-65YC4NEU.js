import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  IncompleteRestoreError
} from "./chunk-AWV2AHQ3.js";
import {
  digestOf
} from "./chunk-Q43U3EN7.js";
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  parseNeo4jUrl
} from "./chunk-DDNDN5QO.js";
import {
  require_lib
} from "./chunk-FUUBDGB3.js";
import "./chunk-DRSBD567.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/stores/neo4j/adapter.ts
var import_neo4j_driver3 = __toESM(require_lib(), 1);

// src/stores/neo4j/dump.ts
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
function adminArgv(dump) {
  return dump.adminCommand ?? [join(dump.home, "bin", "neo4j-admin")];
}
function adminEnv(dump) {
  return { ...process.env, NEO4J_HOME: dump.home, NEO4J_CONF: dump.conf ?? join(dump.home, "conf") };
}
function spawnAdmin(dump, args, stdio) {
  const [cmd, ...pre] = adminArgv(dump);
  return spawn(cmd, [...pre, ...args], { cwd: dump.home, env: adminEnv(dump), stdio });
}
function finished(proc, what, store, database) {
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr += d.toString();
    if (stderr.length > 2e5) stderr = stderr.slice(-1e5);
  });
  return new Promise((resolve, reject) => {
    proc.once(
      "error",
      (err) => reject(
        new BackdrillError("usage", `store ${store}: cannot run neo4j-admin (${err.message})`, {
          hint: "set dump.adminCommand (or dump.home, whose bin/neo4j-admin is used) in backdrill.yml; dump mode runs on the server machine",
          cause: err
        })
      )
    );
    proc.once("close", (code, signal) => {
      if (code === 0) return resolve(stderr);
      const tail = stderr.trim().split("\n").slice(-6).join("\n");
      if (/database is in use|Stop database/i.test(stderr)) {
        return reject(
          new BackdrillError(
            "usage",
            `store ${store}: neo4j-admin cannot ${what} database ${database} while the server has it open`,
            {
              hint: "Community: stop the DBMS around the backup/restore (neo4j stop / neo4j start, e.g. as pre/post hooks) or use mode: logical for an online backup; Enterprise: STOP DATABASE first"
            }
          )
        );
      }
      if (/already exists|overwrite-destination/i.test(stderr)) {
        return reject(
          new BackdrillError("usage", `store ${store}: database ${database} already exists in the target`, {
            hint: "restore with --force to replace it"
          })
        );
      }
      reject(
        new BackdrillError(
          "fatal",
          `store ${store}: neo4j-admin database ${what} ${database} failed (${signal ?? `exit ${code}`}): ${tail}`
        )
      );
    });
  });
}
async function adminVersion(dump, store) {
  const proc = spawnAdmin(dump, ["--version"], ["ignore", "pipe", "pipe"]);
  let out = "";
  proc.stdout.on("data", (d) => {
    out += d.toString();
  });
  await finished(proc, "report the version of", store, "-");
  return out.trim().split("\n")[0].trim();
}
function dataDirectory(dump) {
  const conf = join(dump.conf ?? join(dump.home, "conf"), "neo4j.conf");
  let dir2 = "data";
  if (existsSync(conf)) {
    const m = /^\s*server\.directories\.data\s*=\s*(.+?)\s*$/m.exec(readFileSync(conf, "utf8"));
    if (m) dir2 = m[1];
  }
  return isAbsolute(dir2) ? dir2 : join(dump.home, dir2);
}
function databasesOnDisk(dump) {
  const dir2 = join(dataDirectory(dump), "databases");
  if (!existsSync(dir2)) return [];
  return readdirSync(dir2, { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== "system").map((e) => e.name).sort();
}
function databaseOnDisk(dump, database) {
  const dir2 = join(dataDirectory(dump), "databases", database);
  return existsSync(dir2) && readdirSync(dir2).length > 0;
}
async function dumpDatabase(dump, database, name, sink, store) {
  const proc = spawnAdmin(dump, ["database", "dump", database, "--to-stdout"], ["ignore", "pipe", "pipe"]);
  const exited = finished(proc, "dump", store, database);
  exited.catch(() => {
  });
  try {
    await sink.add(name, proc.stdout, { disposable: true });
  } catch (err) {
    proc.kill("SIGTERM");
    await exited;
    throw err;
  }
  await exited;
}
async function loadDatabase(dump, database, bytes, store, overwrite) {
  const proc = spawnAdmin(
    dump,
    ["database", "load", database, "--from-stdin", `--overwrite-destination=${overwrite}`],
    ["pipe", "ignore", "pipe"]
  );
  const exited = finished(proc, "load", store, database);
  exited.catch(() => {
  });
  try {
    await pipeline(Readable.from(bytes), proc.stdin);
  } catch (err) {
    proc.kill("SIGTERM");
    await exited;
    throw err;
  }
  await exited;
}

// src/stores/neo4j/export.ts
var import_neo4j_driver2 = __toESM(require_lib(), 1);

// src/stores/neo4j/print.ts
import { createHash, hash } from "node:crypto";

// src/stores/neo4j/values.ts
var import_neo4j_driver = __toESM(require_lib(), 1);
function big(x) {
  if (typeof x === "bigint") return x;
  if (typeof x === "number") return BigInt(x);
  if ((0, import_neo4j_driver.isInt)(x)) return x.toBigInt();
  throw new TypeError(`expected an integer field, got ${typeof x}`);
}
function num(x) {
  return Number(big(x));
}
function encodeFloat(x) {
  if (Number.isFinite(x)) return x === 0 && 1 / x < 0 ? '{"f":"-0"}' : JSON.stringify(x);
  return Number.isNaN(x) ? '{"f":"NaN"}' : x > 0 ? '{"f":"Infinity"}' : '{"f":"-Infinity"}';
}
function daysFromCivil(y, m, d) {
  const yy = m <= 2n ? y - 1n : y;
  const era = (yy >= 0n ? yy : yy - 399n) / 400n;
  const yoe = yy - era * 400n;
  const mp = (m + 9n) % 12n;
  const doy = (153n * mp + 2n) / 5n + d - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146097n + doe - 719468n;
}
function civilFromDays(z0) {
  const z = z0 + 719468n;
  const era = (z >= 0n ? z : z - 146096n) / 146097n;
  const doe = z - era * 146097n;
  const yoe = (doe - doe / 1460n + doe / 36524n - doe / 146096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  return [m <= 2n ? yoe + era * 400n + 1n : yoe + era * 400n, m, d];
}
function floorDiv(a, b) {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
function encodeValue(v) {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return encodeFloat(v);
    case "bigint":
      return `{"i":"${v}"}`;
    default:
      break;
  }
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) out += (i === 0 ? "" : ",") + encodeValue(v[i]);
    return `${out}]`;
  }
  if (v instanceof Int8Array) {
    return `{"b":"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")}"}`;
  }
  if ((0, import_neo4j_driver.isInt)(v)) return `{"i":"${v.toString()}"}`;
  if (v instanceof import_neo4j_driver.DateTime) {
    const fields = [v.year, v.month, v.day, v.hour, v.minute, v.second].map(big);
    if (v.timeZoneId) {
      const [y, mo, d, h, mi, s] = fields;
      const local = daysFromCivil(y, mo, d) * 86400n + h * 3600n + mi * 60n + s;
      const utc = local - big(v.timeZoneOffsetSeconds);
      return `{"dtz":["${utc}",${num(v.nanosecond)},${JSON.stringify(v.timeZoneId)}]}`;
    }
    return `{"dt":[${fields.join(",")},${num(v.nanosecond)},${num(v.timeZoneOffsetSeconds)}]}`;
  }
  if (v instanceof import_neo4j_driver.LocalDateTime) {
    return `{"ldt":[${[v.year, v.month, v.day, v.hour, v.minute, v.second, v.nanosecond].map(num).join(",")}]}`;
  }
  if (v instanceof import_neo4j_driver.Date) return `{"date":[${[v.year, v.month, v.day].map(num).join(",")}]}`;
  if (v instanceof import_neo4j_driver.Time) {
    return `{"time":[${[v.hour, v.minute, v.second, v.nanosecond, v.timeZoneOffsetSeconds].map(num).join(",")}]}`;
  }
  if (v instanceof import_neo4j_driver.LocalTime) return `{"ltime":[${[v.hour, v.minute, v.second, v.nanosecond].map(num).join(",")}]}`;
  if (v instanceof import_neo4j_driver.Duration) {
    return `{"dur":["${big(v.months)}","${big(v.days)}","${big(v.seconds)}",${num(v.nanoseconds)}]}`;
  }
  if (v instanceof import_neo4j_driver.Point) {
    const coords = v.z === void 0 ? [v.x, v.y] : [v.x, v.y, v.z];
    return `{"pt":[${num(v.srid)},${coords.map((c) => encodeFloat(Number(c))).join(",")}]}`;
  }
  const what = v === null ? "null" : typeof v === "object" ? v.constructor?.name ?? "object" : typeof v;
  throw new BackdrillError("fatal", `cannot encode a Cypher value of type ${what}: backdrill does not know it yet`, {
    hint: "report it with the server version; the export stops rather than lose the value"
  });
}
function encodeEntries(props) {
  const keys = Object.keys(props).sort();
  return keys.map((k) => [k, encodeValue(props[k])]);
}
function propsJson(entries) {
  let out = "{";
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i];
    out += `${i === 0 ? "" : ","}${JSON.stringify(k)}:${v}`;
  }
  return `${out}}`;
}
function bad(json) {
  throw new BackdrillError(
    "integrity",
    `the export holds a value backdrill cannot read: ${JSON.stringify(json).slice(0, 200)}`
  );
}
function ints(a, n) {
  if (!Array.isArray(a) || a.length !== n || !a.every((x) => typeof x === "number" && Number.isInteger(x))) bad(a);
  return a;
}
function decodeFloat(j) {
  if (typeof j === "number") return j;
  if (j !== null && typeof j === "object" && "f" in j) {
    switch (j.f) {
      case "NaN":
        return Number.NaN;
      case "Infinity":
        return Number.POSITIVE_INFINITY;
      case "-Infinity":
        return Number.NEGATIVE_INFINITY;
      case "-0":
        return -0;
    }
  }
  return bad(j);
}
function decodeValue(j) {
  switch (typeof j) {
    case "string":
    case "boolean":
    case "number":
      return j;
    case "object":
      break;
    default:
      bad(j);
  }
  if (j === null) bad(j);
  if (Array.isArray(j)) return j.map(decodeValue);
  const o = j;
  const keys = Object.keys(o);
  if (keys.length !== 1) bad(j);
  const tag = keys[0];
  const a = o[tag];
  switch (tag) {
    case "i":
      if (typeof a !== "string" || !/^-?\d+$/.test(a)) bad(j);
      return BigInt(a);
    case "f":
      return decodeFloat(j);
    case "b":
      if (typeof a !== "string") bad(j);
      return new Int8Array(Buffer.from(a, "base64"));
    case "date": {
      const [y, m, d] = ints(a, 3);
      return new import_neo4j_driver.Date(y, m, d);
    }
    case "ltime": {
      const [h, m, s, ns] = ints(a, 4);
      return new import_neo4j_driver.LocalTime(h, m, s, ns);
    }
    case "time": {
      const [h, m, s, ns, off] = ints(a, 5);
      return new import_neo4j_driver.Time(h, m, s, ns, off);
    }
    case "ldt": {
      const [y, mo, d, h, mi, s, ns] = ints(a, 7);
      return new import_neo4j_driver.LocalDateTime(y, mo, d, h, mi, s, ns);
    }
    case "dt": {
      const f = ints(a, 8);
      return new import_neo4j_driver.DateTime(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
    }
    case "dtz": {
      if (!Array.isArray(a) || a.length !== 3 || typeof a[0] !== "string" || !/^-?\d+$/.test(a[0])) bad(j);
      const [, ns, zone] = a;
      if (typeof ns !== "number" || typeof zone !== "string") bad(j);
      const utc = BigInt(a[0]);
      const days = floorDiv(utc, 86400n);
      const sod = utc - days * 86400n;
      const [y, m, d] = civilFromDays(days);
      return new import_neo4j_driver.DateTime(
        Number(y),
        Number(m),
        Number(d),
        Number(sod / 3600n),
        Number(sod % 3600n / 60n),
        Number(sod % 60n),
        ns,
        0,
        zone
      );
    }
    case "dur": {
      if (!Array.isArray(a) || a.length !== 4) bad(j);
      const [mo, d, s, ns] = a;
      for (const x of [mo, d, s]) if (typeof x !== "string" || !/^-?\d+$/.test(x)) bad(j);
      if (typeof ns !== "number") bad(j);
      return new import_neo4j_driver.Duration(BigInt(mo), BigInt(d), BigInt(s), BigInt(ns));
    }
    case "pt": {
      if (!Array.isArray(a) || a.length !== 3 && a.length !== 4 || typeof a[0] !== "number") bad(j);
      const [srid, ...coords] = a;
      const [x, y, z] = coords.map(decodeFloat);
      return new import_neo4j_driver.Point(srid, x, y, z);
    }
    default:
      return bad(j);
  }
}
function decodeProps(p) {
  if (p === null || typeof p !== "object" || Array.isArray(p)) bad(p);
  const o = p;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") continue;
    if (k === "__proto__") Object.defineProperty(o, k, { value: decodeValue(v), enumerable: true, writable: true });
    else o[k] = decodeValue(v);
  }
  return o;
}
function quoteName(name) {
  return `\`${name.replaceAll("`", "``")}\``;
}

// src/stores/neo4j/print.ts
var DIGEST = 16;
var NodeTable = class {
  ids = new Float64Array(1024);
  digests = new Uint8Array(1024 * DIGEST);
  n = 0;
  sorted = true;
  other = /* @__PURE__ */ new Map();
  /** Refs seen twice (a node id reused while the export ran). */
  duplicates = 0;
  add(ref, digest) {
    if (typeof ref === "string") {
      if (this.other.has(ref)) this.duplicates++;
      this.other.set(ref, Buffer.from(digest.subarray(0, DIGEST)));
      return;
    }
    if (this.n === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      const digests = new Uint8Array(this.digests.length * 2);
      digests.set(this.digests);
      this.ids = ids;
      this.digests = digests;
    }
    if (this.n > 0 && ref <= this.ids[this.n - 1]) this.sorted = false;
    this.ids[this.n] = ref;
    this.digests.set(digest.subarray(0, DIGEST), this.n * DIGEST);
    this.n++;
  }
  /** Call once all nodes are in, before get(). */
  seal() {
    if (!this.sorted) {
      const order = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) order[i] = i;
      const ids = this.ids;
      order.sort((a, b) => ids[a] - ids[b]);
      const sortedIds = new Float64Array(this.n);
      const sortedDigests = new Uint8Array(this.n * DIGEST);
      for (let i = 0; i < this.n; i++) {
        const j = order[i];
        sortedIds[i] = ids[j];
        sortedDigests.set(this.digests.subarray(j * DIGEST, (j + 1) * DIGEST), i * DIGEST);
      }
      this.ids = sortedIds;
      this.digests = sortedDigests;
      this.sorted = true;
    }
    for (let i = 1; i < this.n; i++) if (this.ids[i] === this.ids[i - 1]) this.duplicates++;
  }
  get(ref) {
    if (typeof ref === "string") return this.other.get(ref);
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = lo + hi >>> 1;
      const v = this.ids[mid];
      if (v === ref) return this.digests.subarray(mid * DIGEST, (mid + 1) * DIGEST);
      if (v < ref) lo = mid + 1;
      else hi = mid - 1;
    }
    return void 0;
  }
};
var DigestSum = class {
  limbs = new Uint32Array(8);
  n = 0;
  /** Adds the SHA-256 digest of an element (32 bytes, big-endian as SetHash reads it). */
  addDigest(d) {
    let carry = 0;
    for (let i = 7; i >= 0; i--) {
      const v = this.limbs[i] + d.readUInt32BE(i * 4) + carry;
      this.limbs[i] = v;
      carry = v > 4294967295 ? 1 : 0;
    }
    this.n++;
  }
  add(element) {
    this.addDigest(hash("sha256", element, "buffer"));
  }
  get count() {
    return this.n;
  }
  digest() {
    let hex = "";
    for (const l of this.limbs) hex += l.toString(16).padStart(8, "0");
    return { count: this.n, hash: hex };
  }
};
function sumIn(map, key) {
  let s = map.get(key);
  if (!s) {
    s = new DigestSum();
    map.set(key, s);
  }
  return s;
}
var Breakdown = class {
  byName = /* @__PURE__ */ new Map();
  add(name, digest, entries) {
    let b = this.byName.get(name);
    if (!b) {
      b = { all: new DigestSum(), keys: /* @__PURE__ */ new Map() };
      this.byName.set(name, b);
    }
    b.all.addDigest(digest);
    for (const [k, v] of entries) sumIn(b.keys, k).add(v);
  }
  entries(prefix, out) {
    for (const [name, b] of this.byName) {
      out[`${prefix} ${quoteName(name)}`] = b.all.digest();
      for (const [k, s] of b.keys) out[`${prefix} ${quoteName(name)} property ${quoteName(k)}`] = s.digest();
    }
  }
};
var GraphPrinter = class {
  nodeTable = new NodeTable();
  nodes = new DigestSum();
  unlabeled = new DigestSum();
  relationships = new DigestSum();
  labels = new Breakdown();
  types = new Breakdown();
  /** Adds a node (labels sorted, properties as encodeEntries gives them). */
  addNode(ref, labelsJson, labels, entries, props) {
    const digest = hash("sha256", `${labelsJson}
${props}`, "buffer");
    this.nodeTable.add(ref, digest);
    this.nodes.addDigest(digest);
    if (labels.length === 0) this.unlabeled.addDigest(digest);
    for (const label of labels) this.labels.add(label, digest, entries);
  }
  /** Adds a relationship whose endpoints are known; returns false (and adds nothing) when one is not. */
  addRelationship(type, start, end, entries, props) {
    const s = this.nodeTable.get(start);
    const e = this.nodeTable.get(end);
    if (!s || !e) return false;
    const digest = createHash("sha256").update(`${JSON.stringify(type)}
${props}
`).update(s).update(e).digest();
    this.relationships.addDigest(digest);
    this.types.add(type, digest, entries);
    return true;
  }
  get nodeCount() {
    return this.nodes.count;
  }
  get relationshipCount() {
    return this.relationships.count;
  }
  /** Fingerprint data entries, each name prefixed (e.g. "neo4j: "). */
  data(prefix) {
    const out = {};
    out[`${prefix}nodes`] = this.nodes.digest();
    out[`${prefix}relationships`] = this.relationships.digest();
    if (this.unlabeled.count > 0) out[`${prefix}nodes without labels`] = this.unlabeled.digest();
    this.labels.entries(`${prefix}label`, out);
    this.types.entries(`${prefix}relationship type`, out);
    return out;
  }
};

// src/stores/neo4j/export.ts
var FLUSH_BYTES = 1 << 20;
var FETCH_SIZE = 1e3;
async function graphCounts(driver, database) {
  const res = await driver.executeQuery(
    "CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships",
    {},
    { database, routing: import_neo4j_driver2.default.routing.READ }
  );
  const r = res.records[0];
  return { nodes: Number(r.get("nodes")), relationships: Number(r.get("relationships")) };
}
function describe(err) {
  if (err instanceof RangeError) {
    return `${err.message}: a DateTime with a named time zone outside the years -271821..275760, or with a zone id unknown to Node's ICU data, cannot be read exactly over Bolt by this driver; the export stops rather than alter it`;
  }
  return err instanceof Error ? err.message : String(err);
}
var GraphExport = class {
  constructor(driver, database) {
    this.driver = driver;
    this.database = database;
  }
  driver;
  database;
  printer = new GraphPrinter();
  skippedRelationships = 0;
  prefix;
  /** A short, stable ref for a node element id ("4:<db uuid>:123" -> 123) within this export. */
  ref(elementId) {
    if (this.prefix === void 0) this.prefix = elementId.slice(0, elementId.lastIndexOf(":") + 1);
    const p = this.prefix;
    if (elementId.length > p.length && elementId.length - p.length <= 15 && elementId.startsWith(p)) {
      let n = 0;
      for (let i = p.length; i < elementId.length; i++) {
        const c = elementId.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return elementId;
        n = n * 10 + c;
      }
      return n;
    }
    return elementId;
  }
  async *stream(query, line, write) {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: import_neo4j_driver2.default.session.READ,
      fetchSize: FETCH_SIZE
    });
    try {
      let out = Buffer.allocUnsafeSlow(FLUSH_BYTES);
      let used = 0;
      for await (const record of session.run(query)) {
        const text = line(record.get(0));
        if (text === void 0 || !write) continue;
        if (FLUSH_BYTES - used < text.length * 3) {
          const bytes = Buffer.byteLength(text);
          if (FLUSH_BYTES - used < bytes) {
            if (used > 0) {
              yield out.subarray(0, used);
              out = Buffer.allocUnsafeSlow(FLUSH_BYTES);
              used = 0;
            }
            if (bytes > FLUSH_BYTES) {
              yield Buffer.from(text);
              continue;
            }
          }
        }
        used += out.write(text, used);
      }
      if (used > 0) yield out.subarray(0, used);
    } finally {
      await session.close();
    }
  }
  /** The node artifact's bytes (write=false: only the fingerprint). All nodes must pass before relationships. */
  nodes(write = true) {
    return this.stream(
      "MATCH (n) RETURN n",
      (value) => {
        const n = value;
        const labels = [...n.labels].sort();
        let entries;
        try {
          entries = encodeEntries(n.properties);
        } catch (err) {
          throw new BackdrillError("fatal", `database ${this.database}, node ${n.elementId}: ${describe(err)}`, {
            cause: err
          });
        }
        const props = propsJson(entries);
        const ref = this.ref(n.elementId);
        const labelsJson = JSON.stringify(labels);
        this.printer.addNode(ref, labelsJson, labels, entries, props);
        return `{"i":${JSON.stringify(ref)},"l":${labelsJson},"p":${props}}
`;
      },
      write
    );
  }
  relationships(write = true) {
    let sealed = false;
    return this.stream(
      "MATCH ()-[r]->() RETURN r",
      (value) => {
        if (!sealed) {
          this.printer.nodeTable.seal();
          sealed = true;
        }
        const r = value;
        let entries;
        try {
          entries = encodeEntries(r.properties);
        } catch (err) {
          throw new BackdrillError(
            "fatal",
            `database ${this.database}, relationship ${r.elementId}: ${describe(err)}`,
            {
              cause: err
            }
          );
        }
        const props = propsJson(entries);
        const s = this.ref(r.startNodeElementId);
        const e = this.ref(r.endNodeElementId);
        if (!this.printer.addRelationship(r.type, s, e, entries, props)) {
          this.skippedRelationships++;
          return void 0;
        }
        return `{"s":${JSON.stringify(s)},"e":${JSON.stringify(e)},"t":${JSON.stringify(r.type)},"p":${props}}
`;
      },
      write
    );
  }
};

// src/stores/neo4j/schema.ts
var IndexDef = external_exports.object({
  name: external_exports.string(),
  /** RANGE, TEXT, POINT, FULLTEXT, VECTOR, LOOKUP (and whatever later servers add). */
  type: external_exports.string(),
  entityType: external_exports.string(),
  labelsOrTypes: external_exports.array(external_exports.string()).nullable(),
  properties: external_exports.array(external_exports.string()).nullable(),
  /** The constraint that owns this index (it is created with the constraint, never on its own). */
  owningConstraint: external_exports.string().nullable(),
  /** Canonical encoding of options.indexConfig (analyzer, vector dimensions and similarity, spatial bounds, ...). */
  indexConfig: external_exports.string(),
  indexProvider: external_exports.string().nullable(),
  state: external_exports.string(),
  createStatement: external_exports.string()
});
var ConstraintDef = external_exports.object({
  name: external_exports.string(),
  /** UNIQUENESS, RELATIONSHIP_UNIQUENESS, NODE_KEY, NODE_PROPERTY_EXISTENCE, NODE_PROPERTY_TYPE, ... */
  type: external_exports.string(),
  entityType: external_exports.string(),
  labelsOrTypes: external_exports.array(external_exports.string()).nullable(),
  properties: external_exports.array(external_exports.string()).nullable(),
  propertyType: external_exports.string().nullable(),
  indexConfig: external_exports.string(),
  createStatement: external_exports.string()
});
var GraphSchema = external_exports.object({
  indexes: external_exports.array(IndexDef),
  constraints: external_exports.array(ConstraintDef)
});
function strings(x) {
  return Array.isArray(x) ? x.map(String) : null;
}
function configOf(options) {
  const config = options !== null && typeof options === "object" ? options.indexConfig : void 0;
  if (config === null || config === void 0 || typeof config !== "object") return "{}";
  const entries = Object.keys(config).sort().map((k) => `${JSON.stringify(k)}:${encodeValue(config[k])}`);
  return `{${entries.join(",")}}`;
}
async function readSchema(session) {
  const idx = await session.run(
    `SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint, options, indexProvider,
            state, createStatement RETURN * ORDER BY name`
  );
  const indexes = idx.records.map((r) => ({
    name: String(r.get("name")),
    type: String(r.get("type")),
    entityType: String(r.get("entityType")),
    labelsOrTypes: strings(r.get("labelsOrTypes")),
    properties: strings(r.get("properties")),
    owningConstraint: r.get("owningConstraint") ?? null,
    indexConfig: configOf(r.get("options")),
    indexProvider: r.get("indexProvider") ?? null,
    state: String(r.get("state")),
    createStatement: String(r.get("createStatement"))
  }));
  const con = await session.run(
    `SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties, propertyType, options, createStatement
     RETURN * ORDER BY name`
  );
  const constraints = con.records.map((r) => ({
    name: String(r.get("name")),
    type: String(r.get("type")),
    entityType: String(r.get("entityType")),
    labelsOrTypes: strings(r.get("labelsOrTypes")),
    properties: strings(r.get("properties")),
    propertyType: r.get("propertyType") ?? null,
    indexConfig: configOf(r.get("options")),
    createStatement: String(r.get("createStatement"))
  }));
  return { indexes, constraints };
}
function schemaPrint(schema) {
  const out = {};
  for (const i of schema.indexes) {
    const def = [i.type, i.entityType, i.labelsOrTypes, i.properties, i.owningConstraint, i.indexConfig];
    out[`index ${quoteName(i.name)}`] = digestOf(JSON.stringify(i.state === "FAILED" ? ["FAILED", ...def] : def));
  }
  for (const c of schema.constraints) {
    const def = [c.type, c.entityType, c.labelsOrTypes, c.properties, c.propertyType, c.indexConfig];
    out[`constraint ${quoteName(c.name)}`] = digestOf(JSON.stringify(def));
  }
  return out;
}

// src/stores/neo4j/format.ts
var LOGICAL_FORMAT = "backdrill-neo4j-logical";
var dir = (db) => `databases/${encodeURIComponent(db)}/`;
var artifacts = {
  schema: (db) => `${dir(db)}schema.json`,
  nodes: (db) => `${dir(db)}nodes.jsonl`,
  relationships: (db) => `${dir(db)}relationships.jsonl`,
  record: (db) => `${dir(db)}export.json`,
  dump: (db) => `databases/${encodeURIComponent(db)}.dump`
};
var SchemaFile = GraphSchema.extend({
  format: external_exports.literal(LOGICAL_FORMAT),
  version: external_exports.literal(1),
  database: external_exports.string()
});
var GraphCounts = external_exports.object({
  nodes: external_exports.number().int().nonnegative(),
  relationships: external_exports.number().int().nonnegative()
});
var ExportRecord = external_exports.object({
  format: external_exports.literal(LOGICAL_FORMAT),
  version: external_exports.literal(1),
  database: external_exports.string(),
  serverVersion: external_exports.string(),
  edition: external_exports.string(),
  startedAt: external_exports.string(),
  finishedAt: external_exports.string(),
  /** Counts the server reported just before and just after the export. */
  before: GraphCounts,
  after: GraphCounts,
  /** What the export wrote (and the fingerprint describes). */
  exported: GraphCounts,
  /** Relationships left out because an endpoint node was created after the node scan. */
  skippedRelationships: external_exports.number().int().nonnegative(),
  /** Whether the schema (indexes, constraints) differed at the end from what schema.json holds. */
  schemaChanged: external_exports.boolean(),
  /** The graph changed while the export ran: the export is not a point-in-time copy. */
  changed: external_exports.boolean()
});
function layoutOf(source) {
  const logical = /* @__PURE__ */ new Set();
  const dumps = /* @__PURE__ */ new Set();
  for (const n of source.names()) {
    const m = /^databases\/([^/]+)\/export\.json$/.exec(n);
    if (m) logical.add(decodeURIComponent(m[1]));
    const d = /^databases\/([^/]+)\.dump$/.exec(n);
    if (d) dumps.add(decodeURIComponent(d[1]));
  }
  if (logical.size > 0) return { mode: "logical", databases: [...logical].sort() };
  if (dumps.size > 0) return { mode: "dump", databases: [...dumps].sort() };
  return void 0;
}
async function readJsonArtifact(source, name, schema) {
  const parts = [];
  for await (const b of source.open(name)) parts.push(b);
  let json;
  try {
    json = JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch (err) {
    throw new BackdrillError("integrity", `artifact ${name} is not valid JSON: ${err.message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackdrillError(
      "integrity",
      `artifact ${name}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`
    );
  }
  return parsed.data;
}

// src/stores/neo4j/restore.ts
var BATCH_BYTES = 8 << 20;
var AWAIT_INDEX_SECONDS = 24 * 3600;
async function* lineGroups(src) {
  let carry = [];
  for await (const chunk of src) {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      carry.push(Buffer.from(chunk));
      continue;
    }
    const first = chunk.indexOf(10);
    const head = carry.length > 0 ? Buffer.concat([...carry, chunk.subarray(0, first)]) : void 0;
    carry = last + 1 < chunk.length ? [Buffer.from(chunk.subarray(last + 1))] : [];
    yield linesIn(chunk, head === void 0 ? 0 : first + 1, last, head);
  }
  if (carry.length > 0) yield [Buffer.concat(carry).toString()];
}
function* linesIn(buf, start, end, head) {
  if (head !== void 0) yield head.toString();
  let pos = start;
  while (pos <= end) {
    const nl = buf.indexOf(10, pos);
    yield buf.toString("utf8", pos, nl);
    pos = nl + 1;
  }
}
var IdMap = class {
  refs;
  ids;
  n = 0;
  sorted = true;
  prefix;
  other = /* @__PURE__ */ new Map();
  /** `expected`: the node count the export recorded, so the arrays are sized once instead of grown by copying. */
  constructor(expected = 1024) {
    const capacity = Math.min(Math.max(1024, expected), 1 << 21);
    this.refs = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
  }
  set(ref, elementId) {
    if (this.prefix === void 0) this.prefix = elementId.slice(0, elementId.lastIndexOf(":") + 1);
    const p = this.prefix;
    const tail = elementId.slice(p.length);
    if (typeof ref === "number" && elementId.startsWith(p) && tail.length > 0 && tail.length <= 15 && /^\d+$/.test(tail)) {
      if (this.n === this.refs.length) {
        const refs = new Float64Array(this.n * 2);
        refs.set(this.refs);
        const ids = new Float64Array(this.n * 2);
        ids.set(this.ids);
        this.refs = refs;
        this.ids = ids;
      }
      if (this.n > 0 && ref <= this.refs[this.n - 1]) this.sorted = false;
      this.refs[this.n] = ref;
      this.ids[this.n] = Number(tail);
      this.n++;
    } else {
      this.other.set(ref, elementId);
    }
  }
  get size() {
    return this.n + this.other.size;
  }
  /** Call once every node is in, before get(). */
  seal() {
    if (this.sorted) return;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    const refs = this.refs;
    order.sort((a, b) => refs[a] - refs[b]);
    const sortedRefs = new Float64Array(this.n);
    const sortedIds = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      sortedRefs[i] = refs[order[i]];
      sortedIds[i] = this.ids[order[i]];
    }
    this.refs = sortedRefs;
    this.ids = sortedIds;
    this.sorted = true;
  }
  get(ref) {
    if (typeof ref === "number") {
      let lo = 0;
      let hi = this.n - 1;
      while (lo <= hi) {
        const mid = lo + hi >>> 1;
        const v = this.refs[mid];
        if (v === ref) return `${this.prefix}${this.ids[mid]}`;
        if (v < ref) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return this.other.get(ref);
  }
};
var Writer = class {
  constructor(driver, database, limit) {
    this.driver = driver;
    this.database = database;
    this.limit = limit;
  }
  driver;
  database;
  limit;
  inFlight = /* @__PURE__ */ new Set();
  failure;
  /**
   * Starts a write transaction; `done` runs with its result once it has committed (never for a retried attempt),
   * `settled` once it has ended either way.
   */
  async submit(work, done, settled) {
    while (this.inFlight.size >= this.limit && this.failure === void 0) await Promise.race(this.inFlight);
    if (this.failure !== void 0) throw this.failure;
    const session = this.driver.session({ database: this.database });
    const p = session.executeWrite(work).then((result) => done?.(result)).catch((err) => {
      this.failure ??= err;
    }).finally(async () => {
      settled?.();
      this.inFlight.delete(p);
      await session.close();
    });
    this.inFlight.add(p);
  }
  async drain() {
    await Promise.all(this.inFlight);
    if (this.failure !== void 0) throw this.failure;
  }
  async abandon() {
    await Promise.allSettled(this.inFlight);
  }
};
function parseLine(line, artifact, lineNo) {
  try {
    const v = JSON.parse(line);
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return v;
  } catch {
  }
  throw new BackdrillError("integrity", `artifact ${artifact}, line ${lineNo}: not a valid export line`);
}
function refOf(ref, artifact, lineNo) {
  if (typeof ref === "number" && Number.isSafeInteger(ref) || typeof ref === "string") return ref;
  throw new BackdrillError("integrity", `artifact ${artifact}, line ${lineNo}: bad node reference`);
}
function newBatch() {
  return { groups: /* @__PURE__ */ new Map(), rows: 0, bytes: 0 };
}
async function loadNodes(input, ids) {
  const name = artifacts.nodes(input.from);
  const writer = new Writer(input.driver, input.to, Math.max(1, input.jobs));
  const queries = /* @__PURE__ */ new Map();
  let batch = newBatch();
  let total = 0;
  let lineNo = 0;
  const flush = async (b) => {
    const groups = [...b.groups].map(([key, g]) => {
      let q = queries.get(key);
      if (!q) {
        const labels = JSON.parse(key).map((l) => `:${quoteName(l)}`).join("");
        q = `UNWIND $rows AS row CREATE (n${labels}) SET n = row.p RETURN collect(elementId(n)) AS ids`;
        queries.set(key, q);
      }
      return { q, g };
    });
    await writer.submit(
      async (tx) => {
        const out = [];
        for (const { q, g } of groups) out.push((await tx.run(q, { rows: g.rows })).records[0]?.get("ids"));
        return out;
      },
      (out) => {
        groups.forEach(({ g }, i) => {
          const created = out[i] ?? [];
          for (let j = 0; j < g.refs.length; j++) {
            const id = created[j];
            if (id !== void 0) ids.set(g.refs[j], id);
          }
        });
      }
    );
  };
  try {
    for await (const lines of lineGroups(input.source.open(name, { releaseConsumed: true }))) {
      input.signal?.throwIfAborted();
      for (const line of lines) {
        lineNo++;
        if (line.length === 0) continue;
        const o = parseLine(line, name, lineNo);
        if (!Array.isArray(o.l) || !o.l.every((l) => typeof l === "string")) {
          throw new BackdrillError("integrity", `artifact ${name}, line ${lineNo}: bad labels`);
        }
        const key = JSON.stringify(o.l);
        let g = batch.groups.get(key);
        if (!g) {
          g = { refs: [], rows: [] };
          batch.groups.set(key, g);
        }
        g.refs.push(refOf(o.i, name, lineNo));
        g.rows.push({ p: decodeProps(o.p) });
        batch.rows++;
        batch.bytes += line.length;
        total++;
        if (batch.rows >= input.batchSize || batch.bytes >= BATCH_BYTES) {
          const full = batch;
          batch = newBatch();
          await flush(full);
        }
      }
    }
    if (batch.rows > 0) await flush(batch);
    await writer.drain();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  ids.seal();
  return total;
}
async function loadRelationships(input, ids, failures) {
  const name = artifacts.relationships(input.from);
  const writer = new Writer(input.driver, input.to, Math.max(1, input.jobs));
  const queries = /* @__PURE__ */ new Map();
  const newRelBatch = () => ({ ...newBatch(), nodes: /* @__PURE__ */ new Set() });
  let batch = newRelBatch();
  const running = /* @__PURE__ */ new Set();
  let waiting = [];
  let created = 0;
  let lineNo = 0;
  const unmatched = /* @__PURE__ */ new Map();
  const miss = (type, n) => unmatched.set(type, (unmatched.get(type) ?? 0) + n);
  const flush = async (b) => {
    const groups = [...b.groups].map(([type, rows]) => {
      let q = queries.get(type);
      if (!q) {
        q = `UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.e CREATE (a)-[r:${quoteName(type)}]->(b) SET r = row.p RETURN count(r) AS n`;
        queries.set(type, q);
      }
      return { type, q, rows };
    });
    running.add(b.nodes);
    await writer.submit(
      async (tx) => {
        const counts = [];
        for (const g of groups) counts.push(Number((await tx.run(g.q, { rows: g.rows })).records[0]?.get("n") ?? 0));
        return counts;
      },
      (counts) => {
        groups.forEach((g, i) => {
          const got = counts[i] ?? 0;
          created += got;
          if (got !== g.rows.length) miss(g.type, g.rows.length - got);
        });
      },
      () => running.delete(b.nodes)
    );
  };
  const full = () => batch.rows >= input.batchSize || batch.bytes >= BATCH_BYTES;
  const place = ({ type, row, bytes }) => {
    for (const n of running) if (n.has(row.s) || n.has(row.e)) return false;
    let rows = batch.groups.get(type);
    if (!rows) {
      rows = [];
      batch.groups.set(type, rows);
    }
    rows.push(row);
    batch.nodes.add(row.s);
    batch.nodes.add(row.e);
    batch.rows++;
    batch.bytes += bytes;
    return true;
  };
  const fill = () => {
    const still = [];
    for (const w of waiting) if (full() || !place(w)) still.push(w);
    waiting = still;
  };
  const next = async () => {
    const b = batch;
    batch = newRelBatch();
    await flush(b);
    fill();
  };
  try {
    for await (const lines of lineGroups(input.source.open(name, { releaseConsumed: true }))) {
      input.signal?.throwIfAborted();
      for (const line of lines) {
        lineNo++;
        if (line.length === 0) continue;
        const o = parseLine(line, name, lineNo);
        if (typeof o.t !== "string")
          throw new BackdrillError("integrity", `artifact ${name}, line ${lineNo}: bad type`);
        const start = ids.get(refOf(o.s, name, lineNo));
        const end = ids.get(refOf(o.e, name, lineNo));
        if (start === void 0 || end === void 0) {
          miss(o.t, 1);
          continue;
        }
        const w = { type: o.t, row: { s: start, e: end, p: decodeProps(o.p) }, bytes: line.length };
        if (!place(w)) waiting.push(w);
        if (waiting.length >= input.batchSize) {
          await writer.drain();
          fill();
        }
        if (full()) await next();
      }
    }
    while (batch.rows > 0 || waiting.length > 0) {
      if (batch.rows === 0) {
        await writer.drain();
        fill();
      }
      await next();
    }
    await writer.drain();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  for (const [type, n] of unmatched) {
    failures.push(
      `${input.from}: ${n} relationship(s) of type ${quoteName(type)} found no endpoint node (the node export lacks them)`
    );
  }
  return created;
}
function firstLine(err) {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
async function createDefinitions(driver, database, schema, entityType, failures, from) {
  const run = (q) => driver.executeQuery(q, {}, { database });
  for (const c of schema.constraints.filter((x) => x.entityType === entityType)) {
    try {
      await run(c.createStatement);
    } catch (err) {
      failures.push(`${from}: constraint ${quoteName(c.name)}: ${firstLine(err)}`);
    }
  }
  for (const i of schema.indexes.filter((x) => x.entityType === entityType)) {
    if (i.owningConstraint !== null || i.type === "LOOKUP") continue;
    try {
      await run(i.createStatement);
    } catch (err) {
      failures.push(`${from}: index ${quoteName(i.name)}: ${firstLine(err)}`);
    }
  }
}
async function finishSchema(driver, database, schema, failures, from) {
  const run = (q) => driver.executeQuery(q, {}, { database });
  const present = await run("SHOW INDEXES YIELD name, type, entityType WHERE type = 'LOOKUP' RETURN name, entityType");
  const wanted = schema.indexes.filter((i) => i.type === "LOOKUP");
  for (const r of present.records) {
    const name = String(r.get("name"));
    if (!wanted.some((w) => w.name === name)) await run(`DROP INDEX ${quoteName(name)}`);
  }
  for (const w of wanted) {
    if (present.records.some((r) => r.get("name") === w.name)) continue;
    try {
      await run(w.createStatement);
    } catch (err) {
      failures.push(`${from}: index ${quoteName(w.name)}: ${firstLine(err)}`);
    }
  }
  try {
    await run(`CALL db.awaitIndexes(${AWAIT_INDEX_SECONDS})`);
  } catch (err) {
    failures.push(`${from}: waiting for index population: ${firstLine(err)}`);
  }
  const states = await run("SHOW INDEXES YIELD name, state, failureMessage RETURN name, state, failureMessage");
  for (const r of states.records) {
    if (r.get("state") !== "ONLINE") {
      failures.push(
        `${from}: index ${quoteName(String(r.get("name")))} is ${r.get("state")}: ${r.get("failureMessage") ?? ""}`
      );
    }
  }
  if (schema.indexes.some((i) => i.type === "FULLTEXT")) {
    await run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").catch(() => {
    });
  }
}
async function restoreLogical(input) {
  const { driver, from, to, source } = input;
  const record = await readJsonArtifact(source, artifacts.record(from), ExportRecord);
  const schema = await readJsonArtifact(source, artifacts.schema(from), SchemaFile);
  const failures = [];
  const warnings = [];
  if (record.changed) {
    warnings.push(
      `${input.store}/${from}: the graph changed while this backup was exported; it restores what the export saw, which is not a point-in-time copy`
    );
  }
  const ids = new IdMap(record.exported.nodes);
  const seconds = (since) => Math.round(performance.now() - since) / 1e3;
  let t = performance.now();
  const nodes = await loadNodes(input, ids);
  const phases = { nodes: seconds(t), relationships: 0, schema: 0 };
  t = performance.now();
  const relationships = await loadRelationships(input, ids, failures);
  phases.relationships = seconds(t);
  input.signal?.throwIfAborted();
  t = performance.now();
  await createDefinitions(driver, to, schema, "NODE", failures, from);
  await createDefinitions(driver, to, schema, "RELATIONSHIP", failures, from);
  await finishSchema(driver, to, schema, failures, from);
  phases.schema = seconds(t);
  if (nodes !== record.exported.nodes) {
    failures.push(`${from}: the node artifact holds ${nodes} node(s), the export record says ${record.exported.nodes}`);
  }
  const now = await graphCounts(driver, to);
  if (now.nodes !== record.exported.nodes || now.relationships !== record.exported.relationships) {
    failures.push(
      `${from}: database ${to} holds ${now.nodes} node(s) and ${now.relationships} relationship(s) after the restore, the backup has ${record.exported.nodes} and ${record.exported.relationships}`
    );
  }
  return { failures, warnings, nodes, relationships, phases };
}
async function clearDatabase(driver, database) {
  const run = (q) => driver.executeQuery(q, {}, { database });
  for (const r of (await run("SHOW CONSTRAINTS YIELD name RETURN name")).records) {
    await run(`DROP CONSTRAINT ${quoteName(String(r.get("name")))} IF EXISTS`);
  }
  for (const r of (await run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")).records) {
    await run(`DROP INDEX ${quoteName(String(r.get("name")))} IF EXISTS`);
  }
  const session = driver.session({ database });
  try {
    await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS");
  } finally {
    await session.close();
  }
}

// src/stores/neo4j/adapter.ts
var CONSISTENT_COPY_HINT = "for a consistent copy, quiesce writers around the backup (pre/post hooks), export from a read replica, or dump a stopped copy (mode: dump); see docs/stores/neo4j.md";
function sameCounts(a, b) {
  return a.nodes === b.nodes && a.relationships === b.relationships;
}
var Neo4jAdapter = class _Neo4jAdapter {
  constructor(config) {
    this.config = config;
    this.name = config.name;
    this.conn = parseNeo4jUrl(config.url, config.name, { user: config.user, password: config.password }).conn;
  }
  config;
  kind = "neo4j";
  name;
  conn;
  async server(driver) {
    const res = await driver.executeQuery(
      "CALL dbms.components() YIELD name, versions, edition RETURN *",
      {},
      { database: "system" }
    );
    const kernel = res.records.find((r) => r.get("name") === "Neo4j Kernel") ?? res.records[0];
    return {
      version: String(kernel?.get("versions")?.[0] ?? "unknown"),
      edition: String(kernel?.get("edition") ?? "unknown")
    };
  }
  async userDatabases(driver, conn) {
    const res = await explained(
      this.name,
      conn,
      "system",
      () => driver.executeQuery(
        "SHOW DATABASES YIELD name, type, currentStatus, default WHERE type = 'standard' RETURN name, currentStatus, default",
        {},
        { database: "system" }
      )
    );
    const byName = /* @__PURE__ */ new Map();
    for (const r of res.records) {
      const name = String(r.get("name"));
      const status = String(r.get("currentStatus"));
      const prev = byName.get(name);
      if (!prev || status === "online") byName.set(name, { name, status, default: r.get("default") === true });
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  async selectDatabases(driver) {
    const all = await this.userDatabases(driver, this.conn);
    const wanted = this.config.databases ?? all.map((d) => d.name);
    const missing = wanted.filter((d) => !all.some((a) => a.name === d));
    if (missing.length > 0) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: database(s) ${missing.join(", ")} do not exist on ${describeConn(this.conn)}`,
        {
          hint: `the server has: ${all.map((d) => d.name).join(", ") || "no user databases"}; fix databases: in backdrill.yml`
        }
      );
    }
    const offline = all.filter((d) => wanted.includes(d.name) && d.status !== "online");
    if (offline.length > 0) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: database(s) ${offline.map((d) => `${d.name} (${d.status})`).join(", ")} are not online on ${describeConn(this.conn)}`,
        { hint: "start them (START DATABASE) or leave them out of databases: in backdrill.yml" }
      );
    }
    if (wanted.length === 0)
      throw new BackdrillError("usage", `store ${this.name}: the server has no user database to back up`);
    return wanted;
  }
  async probe() {
    if (this.config.mode === "dump" && this.config.dump) {
      const version = await adminVersion(this.config.dump, this.name);
      return {
        kind: this.kind,
        version,
        details: { mode: "dump", home: this.config.dump.home, databases: databasesOnDisk(this.config.dump) }
      };
    }
    const driver = await connect(this.conn, this.name);
    try {
      const server = await this.server(driver);
      const databases = [];
      for (const d of await this.userDatabases(driver, this.conn)) {
        const counts = d.status === "online" ? await graphCounts(driver, d.name) : void 0;
        databases.push({ ...d, ...counts ?? {} });
      }
      const apoc = await driver.executeQuery(
        "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.' RETURN count(*) AS n",
        {},
        { database: "system" }
      );
      return {
        kind: this.kind,
        version: server.version,
        details: {
          mode: this.config.mode,
          edition: server.edition,
          databases,
          // Reported for the user's information only: backdrill never needs APOC.
          apoc: Number(apoc.records[0]?.get("n") ?? 0) > 0
        }
      };
    } finally {
      await driver.close();
    }
  }
  async backup(sink) {
    return this.config.mode === "dump" ? this.backupDump(sink) : this.backupLogical(sink);
  }
  async backupLogical(sink) {
    const driver = await connect(this.conn, this.name);
    const fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const warnings = [];
    const records = [];
    try {
      const server = await this.server(driver);
      for (const db of await this.selectDatabases(driver)) {
        const record = await explained(
          this.name,
          this.conn,
          db,
          () => this.exportDatabase(driver, db, server, sink, fingerprint, warnings)
        );
        records.push(record);
      }
      return {
        capture: {
          // Not a point in time (Neo4j has no snapshot reads over Bolt): the data is at least as new as this.
          at: records.map((r) => r.startedAt).sort()[0] ?? (/* @__PURE__ */ new Date()).toISOString(),
          serverVersion: server.version,
          details: {
            mode: "logical",
            edition: server.edition,
            pointInTime: records.every((r) => !r.changed),
            databases: records
          }
        },
        fingerprint,
        warnings
      };
    } finally {
      await driver.close();
    }
  }
  async exportDatabase(driver, db, server, sink, fingerprint, warnings) {
    const startedAt = (/* @__PURE__ */ new Date()).toISOString();
    const before = await graphCounts(driver, db);
    const schemaBefore = await this.schemaOf(driver, db);
    const schemaFile = { format: LOGICAL_FORMAT, version: 1, database: db, ...schemaBefore };
    await sink.add(artifacts.schema(db), [Buffer.from(`${JSON.stringify(schemaFile, null, 1)}
`)]);
    const exp = new GraphExport(driver, db);
    await sink.add(artifacts.nodes(db), exp.nodes());
    await sink.add(artifacts.relationships(db), exp.relationships());
    const after = await graphCounts(driver, db);
    const schemaAfter = await this.schemaOf(driver, db);
    const exported = { nodes: exp.printer.nodeCount, relationships: exp.printer.relationshipCount };
    const schemaChanged = JSON.stringify(schemaPrint(schemaBefore)) !== JSON.stringify(schemaPrint(schemaAfter));
    const changed = !sameCounts(before, after) || !sameCounts(before, exported) || exp.skippedRelationships > 0 || exp.printer.nodeTable.duplicates > 0 || schemaChanged;
    const record = {
      format: LOGICAL_FORMAT,
      version: 1,
      database: db,
      serverVersion: server.version,
      edition: server.edition,
      startedAt,
      finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
      before,
      after,
      exported,
      skippedRelationships: exp.skippedRelationships,
      schemaChanged,
      changed
    };
    await sink.add(artifacts.record(db), [Buffer.from(`${JSON.stringify(record, null, 1)}
`)]);
    const prefix = `${db}: `;
    for (const [k, v] of Object.entries(schemaPrint(schemaBefore))) fingerprint.schema[prefix + k] = v;
    Object.assign(fingerprint.data, exp.printer.data(prefix));
    if (changed) {
      const parts = [
        `nodes ${before.nodes} before, ${exported.nodes} exported, ${after.nodes} after`,
        `relationships ${before.relationships} before, ${exported.relationships} exported, ${after.relationships} after`
      ];
      if (exp.skippedRelationships > 0)
        parts.push(`${exp.skippedRelationships} relationship(s) to nodes created meanwhile left out`);
      if (schemaChanged) parts.push("indexes or constraints changed");
      warnings.push(
        `${this.name}/${db}: the graph changed while it was exported (${parts.join("; ")}): this backup is not a point-in-time copy, though it is self-consistent and its fingerprint describes exactly what it holds; ${CONSISTENT_COPY_HINT}`
      );
    }
    const notOnline = schemaBefore.indexes.filter((i) => i.state !== "ONLINE");
    if (notOnline.length > 0) {
      warnings.push(
        `${this.name}/${db}: index(es) ${notOnline.map((i) => `${i.name} (${i.state})`).join(", ")} were not online; a restore creates them afresh`
      );
    }
    return record;
  }
  async schemaOf(driver, database) {
    const session = driver.session({ database, defaultAccessMode: import_neo4j_driver3.default.session.READ });
    try {
      return await readSchema(session);
    } finally {
      await session.close();
    }
  }
  async backupDump(sink) {
    const dump = this.config.dump;
    const version = await adminVersion(dump, this.name);
    const databases = this.config.databases ?? databasesOnDisk(dump);
    if (databases.length === 0) {
      throw new BackdrillError("usage", `store ${this.name}: no databases to dump under ${dump.home}`, {
        hint: "check dump.home (the server NEO4J_HOME) or list databases: in backdrill.yml"
      });
    }
    const dumped = [];
    for (const db of databases) {
      const startedAt = (/* @__PURE__ */ new Date()).toISOString();
      await dumpDatabase(dump, db, artifacts.dump(db), sink, this.name);
      dumped.push({ database: db, startedAt, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
    }
    return {
      capture: {
        at: String(dumped[0].startedAt),
        serverVersion: version,
        details: {
          mode: "dump",
          home: dump.home,
          // neo4j-admin dumps a database only while the server has it closed: the dump is a consistent copy.
          pointInTime: true,
          databases: dumped
        }
      },
      fingerprint: { version: 1, kind: this.kind, schema: {}, data: {} },
      warnings: [
        `${this.name}: dump mode records no fingerprint (the database is offline while it is dumped); a drill proves the dump loads, and takes the fingerprint of the loaded copy`
      ]
    };
  }
  target(spec, source) {
    const layout = layoutOf(source);
    if (!layout)
      throw new BackdrillError("integrity", `store ${this.name}: the snapshot holds no Neo4j export or dump`);
    let conn = this.conn;
    let named;
    let dump = this.config.dump;
    if (spec) {
      let home = null;
      let url = spec;
      try {
        const u = new URL(spec);
        home = u.searchParams.get("home");
        u.searchParams.delete("home");
        url = u.toString();
      } catch {
      }
      const parsed = parseNeo4jUrl(url, this.name, { user: this.config.user, password: this.config.password });
      conn = parsed.conn;
      named = parsed.database;
      if (home) dump = { home, ...dump?.adminCommand ? { adminCommand: dump.adminCommand } : {} };
    }
    if (layout.mode === "dump" && !dump) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: the snapshot is a neo4j-admin dump; loading it needs the target's NEO4J_HOME`,
        {
          hint: "set dump.home in backdrill.yml, or add ?home=/path/to/neo4j to the --target URL"
        }
      );
    }
    let databases;
    if (named) {
      if (layout.databases.length > 1) {
        throw new BackdrillError(
          "usage",
          `the snapshot holds ${layout.databases.length} databases (${layout.databases.join(", ")}); the target names one`,
          { hint: "give a server URL without a database: each database is restored under its own name" }
        );
      }
      databases = [{ from: layout.databases[0], to: named }];
    } else {
      databases = layout.databases.map((d) => ({ from: d, to: d }));
    }
    return { conn, databases, mode: layout.mode, dump };
  }
  async targetIsEmpty(target) {
    if (target.mode === "dump") return !target.databases.some(({ to }) => databaseOnDisk(target.dump, to));
    const driver = await connect(target.conn, this.name);
    try {
      const existing = new Set((await this.userDatabases(driver, target.conn)).map((d) => d.name));
      for (const { to } of target.databases) {
        if (existing.has(to) && !await this.databaseIsEmpty(driver, target.conn, to)) return false;
      }
      return true;
    } finally {
      await driver.close();
    }
  }
  async backupTarget(target, sink) {
    let existing;
    if (target.mode === "dump") {
      existing = target.databases.map((d) => d.to).filter((db) => databaseOnDisk(target.dump, db));
    } else {
      const driver = await connect(target.conn, this.name);
      try {
        const all = new Set((await this.userDatabases(driver, target.conn)).map((d) => d.name));
        existing = target.databases.map((d) => d.to).filter((db) => all.has(db));
      } finally {
        await driver.close();
      }
    }
    const adapter = new _Neo4jAdapter({
      ...this.config,
      url: target.conn.url,
      user: target.conn.user,
      password: target.conn.password,
      databases: existing,
      mode: target.mode,
      dump: target.dump
    });
    return adapter.backup(sink);
  }
  async databaseIsEmpty(driver, conn, database) {
    return explained(this.name, conn, database, async () => {
      const q = async (query) => (await driver.executeQuery(query, {}, { database })).records[0]?.get("n");
      if (await q("MATCH (n) RETURN count(n) > 0 AS n") === true) return false;
      if (Number(await q("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*) AS n")) > 0) return false;
      return Number(await q("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")) === 0;
    });
  }
  async restore(source, target, options) {
    return target.mode === "dump" ? this.restoreDump(source, target, options) : this.restoreLogical(source, target, options);
  }
  async ensureDatabase(driver, target, database) {
    const existing = await this.userDatabases(driver, target.conn);
    if (existing.some((d) => d.name === database)) return;
    try {
      await driver.executeQuery("CREATE DATABASE $name IF NOT EXISTS WAIT", { name: database }, { database: "system" });
    } catch (err) {
      throw new BackdrillError(
        "usage",
        `store ${this.name}: database ${database} does not exist on ${describeConn(target.conn)} and cannot be created (${err.message.split("\n")[0]})`,
        {
          hint: `Community Edition has one user database (${existing.map((d) => d.name).join(", ") || "neo4j"}): name it in the --target URL, e.g. bolt://host:7687/neo4j`,
          cause: err
        }
      );
    }
  }
  async restoreLogical(source, target, options) {
    const driver = await connect(target.conn, this.name);
    const warnings = [];
    const failures = [];
    const phases = {};
    try {
      for (const { from, to } of target.databases) {
        options.signal?.throwIfAborted();
        await this.ensureDatabase(driver, target, to);
        if (!await this.databaseIsEmpty(driver, target.conn, to)) {
          if (!options.force) {
            throw new BackdrillError(
              "usage",
              `store ${this.name}: database ${to} on ${describeConn(target.conn)} is not empty`,
              {
                hint: "restore into an empty database, or pass --force (the current contents are saved as a safety snapshot first)"
              }
            );
          }
          await clearDatabase(driver, to);
        }
        try {
          const out = await restoreLogical({
            driver,
            store: this.name,
            from,
            to,
            source,
            batchSize: this.config.batchSize,
            jobs: Math.min(4, Math.max(1, options.jobs ?? 2)),
            ...options.signal ? { signal: options.signal } : {}
          });
          failures.push(...out.failures);
          warnings.push(...out.warnings);
          for (const [phase, s] of Object.entries(out.phases)) phases[`${from} ${phase}`] = s;
        } catch (err) {
          const problem = connectionProblem(err, this.name, target.conn, to);
          if (problem) throw problem;
          if (err instanceof BackdrillError || err instanceof Error && err.name === "AbortError") throw err;
          failures.push(`${from}: ${err.message.split("\n")[0]} (code ${errorCode(err) || "none"})`);
          failures.push(`${from}: database ${to} holds a partial restore; restore again with --force`);
        }
      }
    } finally {
      await driver.close();
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} problem(s) restoring into ${describeConn(target.conn)}`,
        failures
      );
    }
    return { warnings, phases };
  }
  async restoreDump(source, target, options) {
    const dump = target.dump;
    for (const { from, to } of target.databases) {
      options.signal?.throwIfAborted();
      if (!options.force && databaseOnDisk(dump, to)) {
        throw new BackdrillError(
          "usage",
          `store ${this.name}: database ${to} already has store files under ${dump.home}`,
          {
            hint: "load into a fresh installation, or pass --force to replace it (the DBMS must be stopped)"
          }
        );
      }
      await loadDatabase(dump, to, source.open(artifacts.dump(from)), this.name, true);
    }
    return {
      warnings: [
        `${this.name}: loaded with neo4j-admin; start the DBMS (Community) or the database (Enterprise: CREATE/START DATABASE) to use it`
      ]
    };
  }
  async fingerprint(target) {
    const driver = await connect(target.conn, this.name);
    const fp = { version: 1, kind: this.kind, schema: {}, data: {} };
    try {
      for (const { from, to } of target.databases) {
        await explained(this.name, target.conn, to, async () => {
          const prefix = `${from}: `;
          for (const [k, v] of Object.entries(schemaPrint(await this.schemaOf(driver, to)))) fp.schema[prefix + k] = v;
          const exp = new GraphExport(driver, to);
          for await (const _ of exp.nodes(false)) ;
          for await (const _ of exp.relationships(false)) ;
          Object.assign(fp.data, exp.printer.data(prefix));
        });
      }
    } finally {
      await driver.close();
    }
    return fp;
  }
};
export {
  Neo4jAdapter
};
