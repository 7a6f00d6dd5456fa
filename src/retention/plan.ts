// The retention plan: which snapshots a policy keeps and which it forgets, with the reasons for each. A pure
// function of the snapshots, the policy, the passed drills and the clock; docs/retention.md is its specification
// (restic's forget semantics, grouped by store or by backup set, calendar buckets in a time zone).
import { BackdrillError } from '../errors.ts';
import { type Bucket, bucketOf, type LocalFields, localFields, PERIODS, type Period } from './calendar.ts';
import type { DrillPass } from './drills.ts';
import { type Policy, withinCutoff } from './policy.ts';

/** What the plan needs of a snapshot (a Snapshot has all of it). */
export interface PlanSnapshot {
  id: string;
  time: string;
  store: { name: string };
  tags: string[];
  backupSet: string | null;
}

export interface Decision<S extends PlanSnapshot = PlanSnapshot> {
  snapshot: S;
  /** The history the snapshot is judged in: "store <name>", or "backup sets". */
  group: string;
  /** The set ID under group-by set when the snapshot belongs to one; else the snapshot ID. */
  unit: string;
  keep: boolean;
  /** For a kept snapshot, every rule that keeps it; for a forgotten one, why no rule does. */
  reasons: string[];
}

export interface RetentionPlan<S extends PlanSnapshot = PlanSnapshot> {
  policy: Policy;
  /** The snapshots the policy judged, by group, newest first. */
  decisions: Array<Decision<S>>;
  /** Snapshots left out by --store: kept, not judged. */
  untouched: S[];
  keep: S[];
  /** The forgotten snapshots in the order to delete them (see planRetention). */
  forget: S[];
}

export interface PlanInput<S extends PlanSnapshot> {
  snapshots: readonly S[];
  policy: Policy;
  /** Judge only this store's snapshots. */
  store?: string;
  drills?: readonly DrillPass[];
  /** keep-within measures from the newest snapshot that is not in the future; default Date.now(). */
  now?: number;
}

interface Unit<S> {
  id: string;
  members: S[];
  /** The earliest member's time: when the backup (set) started. */
  ms: number;
  group: string;
  keep: string[];
  forget: string[];
  fields?: LocalFields;
}

const short = (id: string) => id.slice(0, 8);
/** Newest first: time, then ID, both descending. */
const newestFirst = (a: { ms: number; id: string }, b: { ms: number; id: string }) =>
  b.ms - a.ms || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function timeOf(s: PlanSnapshot): number {
  const ms = Date.parse(s.time);
  if (Number.isNaN(ms)) {
    throw new BackdrillError('integrity', `snapshot ${s.id}: its time ${JSON.stringify(s.time)} is not a date`, {
      hint: 'retention cannot place it in time; run `backdrill verify` and remove the snapshot by hand if it is bogus',
    });
  }
  return ms;
}

const ordinal = (n: number) => {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
};

export function planRetention<S extends PlanSnapshot>(input: PlanInput<S>): RetentionPlan<S> {
  const { policy } = input;
  const now = input.now ?? Date.now();
  const considered = input.snapshots.filter((s) => input.store === undefined || s.store.name === input.store);
  const untouched = input.snapshots.filter((s) => input.store !== undefined && s.store.name !== input.store);

  // Units: a snapshot each, or under group-by set the snapshots of one backup set together.
  const units = new Map<string, Unit<S>>();
  const unitOf = new Map<string, Unit<S>>();
  for (const s of considered) {
    const id = policy.groupBy === 'set' && s.backupSet !== null ? `set:${s.backupSet}` : s.id;
    let u = units.get(id);
    if (!u) {
      const group = policy.groupBy === 'set' ? 'backup sets' : `store ${s.store.name}`;
      u = { id, members: [], ms: Number.POSITIVE_INFINITY, group, keep: [], forget: [] };
      units.set(id, u);
    }
    u.members.push(s);
    u.ms = Math.min(u.ms, timeOf(s));
    unitOf.set(s.id, u);
  }
  const groups = new Map<string, Array<Unit<S>>>();
  for (const u of units.values()) {
    const list = groups.get(u.group) ?? [];
    list.push(u);
    groups.set(u.group, list);
  }
  for (const list of groups.values()) applyRules(list.sort(newestFirst), policy, now);

  // Safety rules, whatever the policy says: the newest snapshot of every store, and the newest snapshots a passed
  // drill restored (with everything that drill restored alongside them).
  const byStore = new Map<string, S[]>();
  for (const s of considered) byStore.set(s.store.name, [...(byStore.get(s.store.name) ?? []), s]);
  const passed = [...(input.drills ?? [])].sort((a, b) =>
    newestFirst({ ms: Date.parse(a.time), id: a.id }, { ms: Date.parse(b.time), id: b.id }),
  );
  const drilled: Array<{ snapshot: S; drill: DrillPass }> = [];
  for (const [store, list] of byStore) {
    const ordered = list.map((s) => ({ s, ms: timeOf(s), id: s.id })).sort(newestFirst);
    const newest = ordered[0]!.s;
    unitOf.get(newest.id)!.keep.push(`newest snapshot of store ${store}${memberNote(unitOf.get(newest.id)!, newest)}`);
    for (const { s } of ordered) {
      const drill = passed.find((d) => d.snapshots.includes(s.id));
      if (!drill) continue;
      const reason = `newest snapshot of store ${store} that passed a drill (drill ${short(drill.id)})`;
      unitOf.get(s.id)!.keep.push(`${reason}${memberNote(unitOf.get(s.id)!, s)}`);
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

  const decisions: Array<Decision<S>> = [];
  for (const name of [...groups.keys()].sort()) {
    for (const u of groups.get(name)!) {
      const keep = u.keep.length > 0;
      const members = u.members
        .map((s) => ({ s, ms: timeOf(s), id: s.id }))
        .sort(newestFirst)
        .map((m) => m.s);
      for (const s of members) {
        decisions.push({
          snapshot: s,
          group: u.group,
          unit: u.id.startsWith('set:') ? u.id.slice(4) : u.id,
          keep,
          reasons: dedupe(keep ? u.keep : u.forget.length > 0 ? u.forget : ['no rule keeps it']),
        });
      }
    }
  }
  // The order forget deletes in: oldest unit first, and within a set its earliest member last, so the set keeps
  // its time while it is partly deleted and a plan made after an interruption is the same plan.
  const forget = [...units.values()]
    .filter((u) => u.keep.length === 0)
    .sort((a, b) => -newestFirst(a, b))
    .flatMap((u) =>
      u.members
        .map((s) => ({ s, ms: timeOf(s), id: s.id }))
        .sort(newestFirst)
        .map((m) => m.s),
    );
  return {
    policy,
    decisions,
    untouched,
    keep: [...untouched, ...decisions.filter((d) => d.keep).map((d) => d.snapshot)],
    forget,
  };
}

function memberNote(u: Unit<PlanSnapshot>, s: PlanSnapshot): string {
  return u.members.length > 1 ? ` (${short(s.id)})` : '';
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

/** The policy's rules over one group's units, newest first. */
function applyRules<S extends PlanSnapshot>(units: Array<Unit<S>>, policy: Policy, now: number): void {
  if (units.length === 0) return;
  const tz = policy.timezone;
  const fields = (u: Unit<S>) => {
    u.fields ??= localFields(u.ms, tz);
    return u.fields;
  };
  const label = (u: Unit<S>) => (u.id.startsWith('set:') ? `set ${short(u.id.slice(4))}` : short(u.id));

  if (policy.within) {
    const past = units.filter((u) => u.ms <= now);
    const latest = (past[0] ?? units[0]!).ms;
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
      else u.forget.push(`keep-tag: has none of ${policy.tags.join(', ')}`);
    }
  }

  if (policy.last !== undefined) {
    const n = policy.last;
    units.forEach((u, i) => {
      if (i < n) u.keep.push(`keep-last: ${ordinal(i + 1)} newest`);
      else u.forget.push(`keep-last: beyond the ${n} newest`);
    });
  }

  for (const period of PERIODS) {
    const n = policy[period];
    if (n === undefined) continue;
    const keptBy = new Map<number, Unit<S>>();
    for (const u of units) {
      const b: Bucket = bucketOf(period, fields(u));
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

const countText = (n: number) => (n === Number.POSITIVE_INFINITY ? 'unlimited' : String(n));

const UNIT_NAMES: Record<Period, string> = {
  hourly: 'hours',
  daily: 'days',
  weekly: 'weeks',
  monthly: 'months',
  yearly: 'years',
};
