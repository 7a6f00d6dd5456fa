import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  external_exports
} from "./chunk-HI5IRQ64.js";

// src/stores/fingerprint.ts
import { createHash } from "node:crypto";
var DataSetPrint = external_exports.object({
  count: external_exports.number().int().nonnegative(),
  /** Order-independent hash of the set's rows/entities (hex). */
  hash: external_exports.string()
});
var Fingerprint = external_exports.object({
  version: external_exports.literal(1),
  /** Store kind: postgres, neo4j, qdrant. */
  kind: external_exports.string(),
  /** Schema object name (e.g. "index public.users_email_idx") -> digest of its definition. */
  schema: external_exports.record(external_exports.string(), external_exports.string()),
  /** Data set name (e.g. "table public.users") -> count and content hash. */
  data: external_exports.record(external_exports.string(), DataSetPrint),
  /** How the store computed it, as far as a later computation must follow (e.g. PostgreSQL's session settings). */
  params: external_exports.record(external_exports.string(), external_exports.unknown()).optional()
});
var SetHash = class _SetHash {
  acc = 0n;
  n = 0;
  static MOD = 1n << 256n;
  add(element) {
    const h = createHash("sha256").update(element).digest("hex");
    this.acc = (this.acc + BigInt(`0x${h}`)) % _SetHash.MOD;
    this.n++;
  }
  /** Combines another set hash computed over disjoint elements (e.g. from parallel workers). */
  merge(other) {
    this.acc = (this.acc + other.acc) % _SetHash.MOD;
    this.n += other.n;
  }
  get count() {
    return this.n;
  }
  digest() {
    return { count: this.n, hash: this.acc.toString(16).padStart(64, "0") };
  }
};
var UNCOMPARED = "*";
function digestOf(text) {
  return createHash("sha256").update(text).digest("hex");
}
function compareFingerprints(expected, actual) {
  const out = [];
  for (const [area, want, got] of [
    ["schema", expected.schema, actual.schema],
    ["data", expected.data, actual.data]
  ]) {
    const names = /* @__PURE__ */ new Set([...Object.keys(want), ...Object.keys(got)]);
    for (const name of [...names].sort()) {
      const w = want[name];
      const g = got[name];
      if (g === void 0) {
        out.push({ area, object: name, problem: "missing", message: `${name} is missing after restore` });
      } else if (w === void 0) {
        out.push({ area, object: name, problem: "unexpected", message: `${name} exists but was not in the backup` });
      } else if (area === "schema") {
        if (w !== g && w !== UNCOMPARED) {
          out.push({ area, object: name, problem: "changed", message: `${name} has a different definition` });
        }
      } else {
        const wd = w;
        const gd = g;
        if (wd.count !== gd.count) {
          out.push({
            area,
            object: name,
            problem: "count",
            message: `${name}: ${gd.count} rows/entities, expected ${wd.count}`
          });
        } else if (wd.hash !== gd.hash) {
          out.push({
            area,
            object: name,
            problem: "changed",
            message: `${name}: content differs (same count, ${wd.count})`
          });
        }
      }
    }
  }
  return out;
}

export {
  Fingerprint,
  SetHash,
  UNCOMPARED,
  digestOf,
  compareFingerprints
};
