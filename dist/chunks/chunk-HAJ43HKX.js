import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  passedDrills,
  readDrillRecords
} from "./chunk-GFUANP3F.js";
import {
  HEX64,
  PERIODS,
  RepoLock,
  SnapshotManifest,
  bucketOf,
  chunkIdFromKey,
  describeLock,
  isStorageError,
  layout,
  listAll,
  listLocks,
  localFields,
  mapLimit,
  withinCutoff
} from "./chunk-QIT5Z5FJ.js";
import {
  BackdrillError,
  UsageError
} from "./chunk-KTEVNYR4.js";

// src/retention/plan.ts
var short = (id) => id.slice(0, 8);
var newestFirst = (a, b) => b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
function timeOf(s) {
  const ms = Date.parse(s.time);
  if (Number.isNaN(ms)) {
    throw new BackdrillError("integrity", `snapshot ${s.id}: its time ${JSON.stringify(s.time)} is not a date`, {
      hint: "retention cannot place it in time; run `backdrill verify` and remove the snapshot by hand if it is bogus"
    });
  }
  return ms;
}
var ordinal = (n) => {
  const s = ["th", "st", "nd", "rd"];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};
function planRetention(input) {
  const { policy } = input;
  const now = input.now ?? Date.now();
  const considered = input.snapshots.filter((s) => input.store === void 0 || s.store.name === input.store);
  const untouched = input.snapshots.filter((s) => input.store !== void 0 && s.store.name !== input.store);
  const units = /* @__PURE__ */ new Map();
  const unitOf = /* @__PURE__ */ new Map();
  for (const s of considered) {
    const id = policy.groupBy === "set" && s.backupSet !== null ? `set:${s.backupSet}` : s.id;
    let u = units.get(id);
    if (!u) {
      const group = policy.groupBy === "set" ? "backup sets" : `store ${s.store.name}`;
      u = { id, members: [], ms: Number.POSITIVE_INFINITY, group, keep: [], forget: [] };
      units.set(id, u);
    }
    u.members.push(s);
    u.ms = Math.min(u.ms, timeOf(s));
    unitOf.set(s.id, u);
  }
  const groups = /* @__PURE__ */ new Map();
  for (const u of units.values()) {
    const list = groups.get(u.group) ?? [];
    list.push(u);
    groups.set(u.group, list);
  }
  for (const list of groups.values()) applyRules(list.sort(newestFirst), policy, now);
  const byStore = /* @__PURE__ */ new Map();
  for (const s of considered) byStore.set(s.store.name, [...byStore.get(s.store.name) ?? [], s]);
  const passed = [...input.drills ?? []].sort(
    (a, b) => newestFirst({ ms: Date.parse(a.time), id: a.id }, { ms: Date.parse(b.time), id: b.id })
  );
  const drilled = [];
  for (const [store, list] of byStore) {
    const ordered = list.map((s) => ({ s, ms: timeOf(s), id: s.id })).sort(newestFirst);
    const newest = ordered[0].s;
    unitOf.get(newest.id).keep.push(`newest snapshot of store ${store}${memberNote(unitOf.get(newest.id), newest)}`);
    for (const { s } of ordered) {
      const drill = passed.find((d) => d.snapshots.includes(s.id));
      if (!drill) continue;
      const reason = `newest snapshot of store ${store} that passed a drill (drill ${short(drill.id)})`;
      unitOf.get(s.id).keep.push(`${reason}${memberNote(unitOf.get(s.id), s)}`);
      drilled.push({ snapshot: s, drill });
      break;
    }
  }
  const protectedIds = new Set(drilled.map((d) => d.snapshot.id));
  for (const { snapshot, drill } of drilled) {
    for (const other of drill.snapshots) {
      const u = unitOf.get(other);
      if (u && !protectedIds.has(other)) {
        u.keep.push(`restored with ${short(snapshot.id)} by drill ${short(drill.id)}, which passed`);
      }
    }
  }
  const decisions = [];
  for (const name of [...groups.keys()].sort()) {
    for (const u of groups.get(name)) {
      const keep = u.keep.length > 0;
      const members = u.members.map((s) => ({ s, ms: timeOf(s), id: s.id })).sort(newestFirst).map((m) => m.s);
      for (const s of members) {
        decisions.push({
          snapshot: s,
          group: u.group,
          unit: u.id.startsWith("set:") ? u.id.slice(4) : u.id,
          keep,
          reasons: dedupe(keep ? u.keep : u.forget.length > 0 ? u.forget : ["no rule keeps it"])
        });
      }
    }
  }
  const forget = [...units.values()].filter((u) => u.keep.length === 0).sort((a, b) => -newestFirst(a, b)).flatMap(
    (u) => u.members.map((s) => ({ s, ms: timeOf(s), id: s.id })).sort(newestFirst).map((m) => m.s)
  );
  return {
    policy,
    decisions,
    untouched,
    keep: [...untouched, ...decisions.filter((d) => d.keep).map((d) => d.snapshot)],
    forget
  };
}
function memberNote(u, s) {
  return u.members.length > 1 ? ` (${short(s.id)})` : "";
}
function dedupe(list) {
  return [...new Set(list)];
}
function applyRules(units, policy, now) {
  if (units.length === 0) return;
  const tz = policy.timezone;
  const fields = (u) => {
    u.fields ??= localFields(u.ms, tz);
    return u.fields;
  };
  const label = (u) => u.id.startsWith("set:") ? `set ${short(u.id.slice(4))}` : short(u.id);
  if (policy.within) {
    const past = units.filter((u) => u.ms <= now);
    const latest = (past[0] ?? units[0]).ms;
    const cutoff = withinCutoff(latest, policy.within);
    const at = new Date(cutoff).toISOString();
    for (const u of units) {
      if (u.ms > cutoff) u.keep.push(`keep-within ${policy.within.text}: newer than ${at}`);
      else u.forget.push(`keep-within ${policy.within.text}: not newer than ${at}`);
    }
  }
  if (policy.tags.length > 0) {
    for (const u of units) {
      const tags = policy.tags.filter((t) => u.members.some((m) => m.tags.includes(t)));
      if (tags.length > 0) for (const t of tags) u.keep.push(`keep-tag ${t}`);
      else u.forget.push(`keep-tag: has none of ${policy.tags.join(", ")}`);
    }
  }
  if (policy.last !== void 0) {
    const n = policy.last;
    units.forEach((u, i) => {
      if (i < n) u.keep.push(`keep-last: ${ordinal(i + 1)} newest`);
      else u.forget.push(`keep-last: beyond the ${n} newest`);
    });
  }
  for (const period of PERIODS) {
    const n = policy[period];
    if (n === void 0) continue;
    const keptBy = /* @__PURE__ */ new Map();
    for (const u of units) {
      const b = bucketOf(period, fields(u));
      const newer = keptBy.get(b.key);
      if (newer) {
        u.forget.push(`keep-${period}: ${b.label} is kept by newer ${label(newer)}`);
      } else if (keptBy.size < n) {
        keptBy.set(b.key, u);
        u.keep.push(`keep-${period}: newest of ${b.label} (${ordinal(keptBy.size)} of ${countText(n)})`);
      } else {
        u.forget.push(`keep-${period}: ${b.label} is beyond the ${n} newest ${UNIT_NAMES[period]}`);
      }
    }
  }
}
var countText = (n) => n === Number.POSITIVE_INFINITY ? "unlimited" : String(n);
var UNIT_NAMES = {
  hourly: "hours",
  daily: "days",
  weekly: "weeks",
  monthly: "months",
  yearly: "years"
};

// src/retention/prune.ts
var none = () => ({ count: 0, bytes: 0 });
async function runRetention(repo, options) {
  const now = options.now ?? Date.now;
  const batch = options.batchSize ?? 100;
  const lock = options.dryRun ? void 0 : await RepoLock.acquire(repo, "exclusive", {
    operation: options.policy ? options.collect ? "forget --prune" : "forget" : "prune",
    ...options.lockWaitMs ? { waitMs: options.lockWaitMs } : {}
  });
  try {
    options.onEvent?.({ phase: "locked" });
    const warnings = [];
    if (lock) warnings.push(...await lockWarnings(repo, lock.id));
    const { snapshots, damaged } = await repo.listSnapshots();
    if (damaged.length > 0) {
      throw new BackdrillError(
        "integrity",
        `refusing to ${options.policy ? "forget" : "prune"}: ${damaged.length} snapshot manifest(s) cannot be read (${damaged.map((d) => `${d.key}: ${d.message}`).join("; ")}); their chunks would look unreferenced`,
        {
          hint: "run `backdrill verify` and find out why; a manifest that is beyond repair must be deleted by hand (its snapshot is lost either way) before prune can run"
        }
      );
    }
    const manifestSizes = new Map(
      (await listAll(repo.backend, layout.snapshotsPrefix)).map((o) => [
        o.key.slice(layout.snapshotsPrefix.length),
        o.size
      ])
    );
    let plan;
    if (options.policy) {
      checkSelection(snapshots, options.policy, options.store);
      const drills = await readDrillRecords(repo);
      if (drills.damaged.length > 0) {
        throw new BackdrillError(
          "integrity",
          `refusing to forget: drill record(s) cannot be read (${drills.damaged.map((d) => `${d.key}: ${d.message}`).join("; ")}); the newest snapshots that passed a drill could not be told apart`,
          { hint: "delete the damaged drill record by hand if it is garbage, or run the drill again" }
        );
      }
      plan = planRetention({
        snapshots,
        policy: options.policy,
        ...options.store === void 0 ? {} : { store: options.store },
        drills: passedDrills(drills.records),
        now: now()
      });
    }
    const forget = plan?.forget ?? [];
    const forgetIds = new Set(forget.map((s) => s.id));
    const kept = snapshots.filter((s) => !forgetIds.has(s.id));
    const estimate = {
      manifests: none(),
      chunks: none(),
      unreferenced: none(),
      young: none(),
      bytesFreed: 0
    };
    for (const s of forget) add(estimate.manifests, manifestSizes.get(s.id) ?? 0);
    let candidates = [];
    if (options.collect) {
      const listedAt = now();
      const chunks = /* @__PURE__ */ new Map();
      let stray = 0;
      for await (const o of repo.backend.list(layout.dataPrefix)) {
        const id = chunkIdFromKey(o.key);
        if (id) chunks.set(id, o);
        else stray++;
      }
      if (stray > 0) warnings.push(`${stray} object(s) under data/ are not chunks (invalid names): left alone`);
      const referencedBefore = referencedChunks(snapshots);
      const referencedAfter = referencedChunks(kept);
      const old = (o) => o.modified.getTime() <= listedAt - options.graceMs;
      for (const [id, o] of chunks) {
        if (referencedAfter.has(id)) continue;
        if (!old(o)) {
          add(estimate.young, o.size);
          continue;
        }
        candidates.push(o);
        const ref = referencedBefore.get(id);
        if (ref === void 0) add(estimate.unreferenced, o.size);
        else add(estimate.chunks, ref);
      }
    }
    estimate.bytesFreed = estimate.manifests.bytes + estimate.chunks.bytes + estimate.unreferenced.bytes;
    options.onEvent?.({ phase: "planned", forget: forget.length, keep: kept.length, bytes: estimate.bytesFreed });
    const deleted = { snapshots: 0, chunks: 0, bytesFreed: 0 };
    if (!lock) return { plan, estimate, deleted, warnings, dryRun: true };
    const ordered = forget;
    for (let i = 0; i < ordered.length; i++) {
      if (i % batch === 0) await lock.verifyHeld();
      const s = ordered[i];
      await repo.backend.delete(layout.snapshot(s.id));
      deleted.snapshots++;
      deleted.bytesFreed += manifestSizes.get(s.id) ?? 0;
      options.onEvent?.({ phase: "forget", done: i + 1, total: ordered.length, id: s.id });
    }
    if (options.collect && candidates.length > 0) {
      const appeared = await newManifests(repo, new Set(snapshots.map((s) => s.id)));
      if (appeared.length > 0) {
        const protect = referencedChunks(appeared);
        candidates = candidates.filter((o) => !protect.has(chunkIdFromKey(o.key)));
        warnings.push(
          `snapshot(s) ${appeared.map((s) => s.id.slice(0, 8)).join(", ")} appeared while prune held the exclusive lock: a backup is writing without a valid lock (clock skew, or an expired lock); their chunks were kept`
        );
      }
      let done = 0;
      for (let i = 0; i < candidates.length; i += batch) {
        await lock.verifyHeld();
        const slice = candidates.slice(i, i + batch);
        await mapLimit(slice, Math.max(1, repo.backend.capabilities.maxConnections), async (o) => {
          await repo.backend.delete(o.key);
          deleted.chunks++;
          deleted.bytesFreed += o.size;
        });
        done += slice.length;
        options.onEvent?.({ phase: "collect", done, total: candidates.length });
      }
    }
    return { plan, estimate, deleted, warnings, dryRun: false };
  } finally {
    await lock?.release();
  }
}
function add(a, bytes) {
  a.count++;
  a.bytes += bytes;
}
function referencedChunks(snapshots) {
  const out = /* @__PURE__ */ new Map();
  for (const s of snapshots) {
    for (const a of s.artifacts) for (const [id, , stored] of a.chunks) if (!out.has(id)) out.set(id, stored);
  }
  return out;
}
async function newManifests(repo, known) {
  const out = [];
  for (const o of await listAll(repo.backend, layout.snapshotsPrefix)) {
    const id = o.key.slice(layout.snapshotsPrefix.length);
    if (known.has(id)) continue;
    if (!HEX64.test(id)) {
      throw new BackdrillError("integrity", `${o.key} appeared during prune and is not a snapshot: stopping`, {
        hint: "nothing more was deleted; find out what writes there, then run prune again"
      });
    }
    try {
      out.push({ id, ...await repo.getJson("snapshot", id, o.key, SnapshotManifest) });
    } catch (err) {
      if (isStorageError(err, "not-found")) continue;
      if (err instanceof BackdrillError) {
        throw new BackdrillError("integrity", `${o.key} appeared during prune and cannot be read: stopping`, {
          cause: err,
          hint: "nothing more was deleted; run `backdrill verify`, then prune again"
        });
      }
      throw err;
    }
  }
  return out;
}
async function lockWarnings(repo, ownId) {
  const out = [];
  for (const l of await listLocks(repo)) {
    if (l.id !== ownId && l.stale) out.push(`stale ${describeLock(l)}: remove it with \`backdrill unlock\``);
  }
  const probes = (await listAll(repo.backend, layout.locksPrefix)).filter(
    (o) => o.key.slice(layout.locksPrefix.length).startsWith("probe-")
  );
  for (const p of probes) out.push(`${p.key} is left over from an interrupted init: it can be deleted by hand`);
  return out;
}
function checkSelection(snapshots, policy, store) {
  if (store !== void 0 && !snapshots.some((s) => s.store.name === store)) {
    const stores = [...new Set(snapshots.map((s) => s.store.name))].sort();
    throw new UsageError(
      `--store ${store}: no snapshot of this store in the repository`,
      stores.length > 0 ? `stores with snapshots: ${stores.join(", ")}` : "the repository has no snapshots"
    );
  }
  const pool = snapshots.filter((s) => store === void 0 || s.store.name === store);
  const known = new Set(pool.flatMap((s) => s.tags));
  const unknown = policy.tags.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new UsageError(
      `keep-tag ${unknown.join(", ")}: no snapshot${store ? ` of store ${store}` : ""} has ${unknown.length > 1 ? "these tags" : "this tag"}, so the rule would keep nothing`,
      `${known.size > 0 ? `tags in use: ${[...known].sort().join(", ")}. ` : "no snapshot has any tag. "}Check the spelling; if no snapshot carries the tag yet, leave it out of the policy until one does`
    );
  }
}

export {
  runRetention
};
