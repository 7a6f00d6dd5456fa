// A plain reference model of the retention rules in docs/retention.md, written apart from src/retention/plan.ts
// and on purpose in a different way: local time from the zone's UTC offset (not from formatted fields), ISO weeks
// counted from the Monday of week 1, and each bucket rule as "the N buckets with the newest snapshots, the newest
// snapshot of each" rather than a single newest-first sweep.

export interface ModelSnapshot {
  id: string;
  time: string;
  store: { name: string };
  tags: string[];
  backupSet: string | null;
}

export interface ModelPolicy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  within?: { years: number; months: number; weeks: number; days: number; hours: number };
  tags: string[];
  groupBy: 'store' | 'set';
  timezone: string;
}

export interface ModelDrill {
  id: string;
  time: string;
  snapshots: string[];
}

const DAY = 86_400_000;

/** Minutes east of UTC at an instant, from the zone's "GMT+05:45"-style name. */
function offsetMinutes(ms: number, timeZone: string): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(ms)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`unexpected offset name ${name}`);
  if (!m[1]) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function local(ms: number, timeZone: string) {
  const d = new Date(ms + offsetMinutes(ms, timeZone) * 60_000);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours() };
}

/** ISO week: week 1 starts on the Monday on or before January 4. */
function isoWeekOf(y: number, m: number, d: number): string {
  const date = Date.UTC(y, m - 1, d);
  const week1Monday = (year: number) => {
    const jan4 = Date.UTC(year, 0, 4);
    const sinceMonday = (new Date(jan4).getUTCDay() + 6) % 7;
    return jan4 - sinceMonday * DAY;
  };
  let isoYear = y + 1;
  while (week1Monday(isoYear) > date) isoYear--;
  const week = Math.floor((date - week1Monday(isoYear)) / (7 * DAY)) + 1;
  return `${isoYear}-W${week}`;
}

function bucketName(kind: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly', ms: number, tz: string): string {
  const l = local(ms, tz);
  switch (kind) {
    case 'hourly':
      return `${l.y}-${l.m}-${l.d} ${l.h}`;
    case 'daily':
      return `${l.y}-${l.m}-${l.d}`;
    case 'weekly':
      return isoWeekOf(l.y, l.m, l.d);
    case 'monthly':
      return `${l.y}-${l.m}`;
    case 'yearly':
      return `${l.y}`;
  }
}

interface ModelUnit {
  key: string;
  ms: number;
  group: string;
  members: ModelSnapshot[];
}

/** True when a is newer than b: later time, or the same time and the greater ID. */
function newer(a: { ms: number; key: string }, b: { ms: number; key: string }): boolean {
  return a.ms > b.ms || (a.ms === b.ms && a.key > b.key);
}

/** The IDs of the snapshots the policy keeps (snapshots of other stores under `store` are not returned). */
export function modelKeep(
  snapshots: ModelSnapshot[],
  p: ModelPolicy,
  drills: ModelDrill[],
  now: number,
  store?: string,
): Set<string> {
  const judged = snapshots.filter((s) => store === undefined || s.store.name === store);
  const units: ModelUnit[] = [];
  for (const s of judged) {
    const key = p.groupBy === 'set' && s.backupSet !== null ? `set:${s.backupSet}` : s.id;
    const ms = Date.parse(s.time);
    const existing = units.find((u) => u.key === key);
    if (existing) {
      existing.members.push(s);
      existing.ms = Math.min(existing.ms, ms);
    } else {
      units.push({ key, ms, group: p.groupBy === 'set' ? '*' : s.store.name, members: [s] });
    }
  }
  const keptUnits = new Set<string>();
  const groups = [...new Set(units.map((u) => u.group))];
  for (const g of groups) {
    const list = units.filter((u) => u.group === g);
    // newest first
    list.sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));

    if (p.last !== undefined) for (const u of list.slice(0, p.last)) keptUnits.add(u.key);

    for (const kind of ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const) {
      const n = p[kind];
      if (n === undefined) continue;
      const newestIn = new Map<string, ModelUnit>();
      for (const u of list) {
        const b = bucketName(kind, u.ms, p.timezone);
        const cur = newestIn.get(b);
        if (!cur || newer(u, cur)) newestIn.set(b, u);
      }
      const buckets = [...newestIn.values()].sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
      for (const u of buckets.slice(0, n)) keptUnits.add(u.key);
    }

    if (p.within) {
      const past = list.filter((u) => u.ms <= now);
      const latest = Math.max(...(past.length > 0 ? past : list).map((u) => u.ms));
      const t = new Date(latest);
      const cutoff = Date.UTC(
        t.getUTCFullYear() - p.within.years,
        t.getUTCMonth() - p.within.months,
        t.getUTCDate() - 7 * p.within.weeks - p.within.days,
        t.getUTCHours() - p.within.hours,
        t.getUTCMinutes(),
        t.getUTCSeconds(),
        t.getUTCMilliseconds(),
      );
      for (const u of list) if (u.ms > cutoff) keptUnits.add(u.key);
    }

    for (const u of list) if (u.members.some((m) => m.tags.some((t) => p.tags.includes(t)))) keptUnits.add(u.key);
  }

  const unitKeyOf = (s: ModelSnapshot) => units.find((u) => u.members.includes(s))!.key;
  const snapNewer = (a: ModelSnapshot, b: ModelSnapshot) =>
    newer({ ms: Date.parse(a.time), key: a.id }, { ms: Date.parse(b.time), key: b.id });
  for (const name of new Set(judged.map((s) => s.store.name))) {
    const ofStore = judged.filter((s) => s.store.name === name);
    let newest = ofStore[0]!;
    for (const s of ofStore) if (snapNewer(s, newest)) newest = s;
    keptUnits.add(unitKeyOf(newest));

    // The newest snapshot of the store that a passed drill restored, and everything that drill restored.
    let drilled: ModelSnapshot | undefined;
    for (const s of ofStore) {
      if (drills.some((d) => d.snapshots.includes(s.id)) && (!drilled || snapNewer(s, drilled))) drilled = s;
    }
    if (drilled) {
      const naming = drills.filter((d) => d.snapshots.includes(drilled!.id));
      let drill = naming[0]!;
      for (const d of naming) {
        if (newer({ ms: Date.parse(d.time), key: d.id }, { ms: Date.parse(drill.time), key: drill.id })) drill = d;
      }
      for (const id of drill.snapshots) {
        const s = judged.find((x) => x.id === id);
        if (s) keptUnits.add(unitKeyOf(s));
      }
    }
  }
  return new Set(judged.filter((s) => keptUnits.has(unitKeyOf(s))).map((s) => s.id));
}
