// Property tests of the retention plan against the reference model (test/retention/model.ts) over random snapshot
// histories: several stores, tags, backup sets, passed drills, snapshots in the future, and times crowded around
// DST changes and ISO-year boundaries in zones with 30- and 45-minute offsets and midnight transitions.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DrillPass } from '../../src/retention/drills.ts';
import { type PlanSnapshot, planRetention } from '../../src/retention/plan.ts';
import { normalizePolicy, type Policy, RetentionPolicy } from '../../src/retention/policy.ts';
import { modelKeep } from './model.ts';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Pacific/Chatham',
  'Asia/Kathmandu',
] as const;

/** Real offset changes (checked below): Berlin and New York both ways, and zones with odd offsets or times. */
const TRANSITIONS = [
  '2024-03-31T01:00:00Z',
  '2024-10-27T01:00:00Z',
  '2025-03-30T01:00:00Z',
  '2025-10-26T01:00:00Z',
  '2024-03-10T07:00:00Z',
  '2024-11-03T06:00:00Z',
  '2025-03-09T07:00:00Z',
  '2025-11-02T06:00:00Z',
  '2024-04-06T15:00:00Z',
  '2024-10-05T15:30:00Z',
  '2024-04-07T03:00:00Z',
  '2024-09-08T04:00:00Z',
  '2024-04-06T14:00:00Z',
  '2024-09-28T14:00:00Z',
].map(Date.parse);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const instant = fc.oneof(
  // anywhere in eight years
  fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2027, 0, 1) }),
  // within three hours of a DST change, to the second
  fc.constantFrom(...TRANSITIONS).chain((t) => fc.integer({ min: -3 * 3600, max: 3 * 3600 }).map((s) => t + s * 1000)),
  // around New Year, where ISO weeks and calendar years disagree
  fc
    .integer({ min: 2019, max: 2026 })
    .chain((y) => fc.integer({ min: Date.UTC(y, 11, 25), max: Date.UTC(y + 1, 0, 8) })),
);

/** A history: scattered instants plus runs of backups at a steady interval (hourly, daily, ...). */
const times = fc
  .tuple(
    fc.array(instant, { maxLength: 25 }),
    fc.array(
      fc.tuple(instant, fc.constantFrom(15 * 60_000, HOUR, 6 * HOUR, DAY, 7 * DAY), fc.integer({ min: 1, max: 30 })),
      { maxLength: 3 },
    ),
  )
  .map(([scattered, runs]) => [
    ...scattered,
    ...runs.flatMap(([start, step, n]) => Array.from({ length: n }, (_, i) => start + i * step)),
  ]);

const STORES = ['pg', 'graph', 'vectors'];
const TAGS = ['nightly', 'weekly', 'release'];

const history = fc
  .record({
    times,
    salt: fc.integer(),
    stores: fc.array(fc.constantFrom(...STORES), { minLength: 60, maxLength: 60 }),
    tags: fc.array(fc.subarray(TAGS), { minLength: 60, maxLength: 60 }),
    sets: fc.array(fc.option(fc.constantFrom('s1', 's2', 's3', 's4', 's5', 's6'), { freq: 2 }), {
      minLength: 60,
      maxLength: 60,
    }),
    // some snapshots share an instant exactly: ties are broken by ID
    duplicate: fc.boolean(),
  })
  .map(({ times, salt, stores, tags, sets, duplicate }) => {
    const all = duplicate && times.length > 1 ? [...times, times[0]!, times[1]!] : times;
    return all.map(
      (ms, i): PlanSnapshot => ({
        id: createHash('sha256').update(`${salt}:${i}`).digest('hex'),
        time: new Date(ms).toISOString(),
        store: { name: stores[i % 60]! },
        tags: tags[i % 60]!,
        backupSet: sets[i % 60]!,
      }),
    );
  });

const count = fc.option(
  fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 6 }) }, fc.constant('unlimited' as const)),
  {
    freq: 2,
  },
);

const withinText = fc
  .record({
    y: fc.integer({ min: 0, max: 1 }),
    m: fc.integer({ min: 0, max: 14 }),
    w: fc.integer({ min: 0, max: 3 }),
    d: fc.integer({ min: 0, max: 40 }),
    h: fc.integer({ min: 0, max: 50 }),
  })
  .filter((r) => r.y + r.m + r.w + r.d + r.h > 0)
  .map((r) =>
    [r.y && `${r.y}y`, r.m && `${r.m}m`, r.w && `${r.w}w`, r.d && `${r.d}d`, r.h && `${r.h}h`].filter(Boolean).join(''),
  );

/** Policies as a user writes them in backdrill.yml, through the real schema. */
const policy = fc
  .record({
    keepLast: count,
    keepHourly: count,
    keepDaily: count,
    keepWeekly: count,
    keepMonthly: count,
    keepYearly: count,
    keepWithin: fc.option(withinText, { freq: 3 }),
    keepTag: fc.option(fc.subarray(TAGS, { minLength: 1 }), { freq: 3 }),
    groupBy: fc.constantFrom('store', 'set'),
    timezone: fc.constantFrom(...ZONES),
  })
  .map((r) => {
    const input = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));
    return normalizePolicy(RetentionPolicy.parse(input));
  });

const scenario = fc
  .record({ snapshots: history, policy, nowShift: fc.integer({ min: -10 * DAY, max: 10 * DAY }) })
  .chain(({ snapshots, policy, nowShift }) =>
    (snapshots.length === 0
      ? fc.constant<Array<{ pick: string[]; at: number; salt: number }>>([])
      : fc.array(
          fc.record({
            pick: fc.subarray(
              snapshots.map((s) => s.id),
              { minLength: 1 },
            ),
            at: fc.integer({ min: 0, max: 1000 }),
            salt: fc.integer(),
          }),
          { maxLength: 3 },
        )
    ).map((ds: Array<{ pick: string[]; at: number; salt: number }>) => {
      const latest = Math.max(0, ...snapshots.map((s) => Date.parse(s.time)));
      const drills: DrillPass[] = ds.map((d) => ({
        id: createHash('sha256').update(`drill:${d.salt}`).digest('hex'),
        time: new Date(latest + d.at * 60_000).toISOString(),
        snapshots: d.pick,
      }));
      return { snapshots, policy, drills, now: latest + nowShift };
    }),
  );

function plan(s: { snapshots: PlanSnapshot[]; policy: Policy; drills: DrillPass[]; now: number }, store?: string) {
  return planRetention({
    snapshots: s.snapshots,
    policy: s.policy,
    drills: s.drills,
    now: s.now,
    ...(store === undefined ? {} : { store }),
  });
}

const ids = (list: Array<{ id: string }>) => new Set(list.map((s) => s.id));

describe('retention plan (property tests against the reference model)', () => {
  it('the listed DST transitions are real offset changes in one of the zones', () => {
    for (const t of TRANSITIONS) {
      const changes = ZONES.some((tz) => {
        const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
        return f.format(t - 1000) !== f.format(t + 1000);
      });
      expect(changes, new Date(t).toISOString()).toBe(true);
    }
  });

  it('keeps exactly what the model keeps, and every decision has a reason', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan(s);
        const want = modelKeep(s.snapshots, s.policy, s.drills, s.now);
        expect(ids(p.keep)).toEqual(want);
        expect(p.keep.length + p.forget.length).toBe(s.snapshots.length);
        for (const d of p.decisions) expect(d.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 600 },
    );
  });

  it('with --store, judges only that store and leaves the others alone', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(...STORES), (s, store) => {
        const policy: Policy = { ...s.policy, groupBy: 'store' };
        const p = plan({ ...s, policy }, store);
        const others = s.snapshots.filter((x) => x.store.name !== store);
        expect(ids(p.untouched)).toEqual(ids(others));
        const judgedKept = p.keep.filter((x) => x.store.name === store);
        expect(ids(judgedKept)).toEqual(modelKeep(s.snapshots, policy, s.drills, s.now, store));
      }),
      { numRuns: 200 },
    );
  });

  it('always keeps the newest snapshot of every store, and backup sets whole', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan(s);
        const kept = ids(p.keep);
        for (const store of new Set(s.snapshots.map((x) => x.store.name))) {
          const newest = s.snapshots
            .filter((x) => x.store.name === store)
            .sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || (a.id < b.id ? 1 : -1))[0]!;
          expect(kept.has(newest.id)).toBe(true);
        }
        if (s.policy.groupBy === 'set') {
          for (const set of new Set(s.snapshots.map((x) => x.backupSet).filter((x) => x !== null))) {
            const members = s.snapshots.filter((x) => x.backupSet === set);
            expect(new Set(members.map((m) => kept.has(m.id))).size).toBe(1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is stable: forgetting any part of the plan and planning again keeps the same snapshots', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const first = plan(s);
        // An interrupted forget deleted the first manifests of its deletion order. Grouped by store, where every
        // snapshot is judged alone, any subset may go.
        const n = Math.abs(seed) % (first.forget.length + 1);
        const gone = new Set(
          (s.policy.groupBy === 'set'
            ? first.forget.slice(0, n)
            : first.forget.filter((_, i) => (i * 7919 + seed) % 3)
          ).map((x) => x.id),
        );
        const again = plan({ ...s, snapshots: s.snapshots.filter((x) => !gone.has(x.id)) });
        expect(ids(again.keep)).toEqual(ids(first.keep));
        // Running the plan to its end and planning again forgets nothing more.
        const done = plan({ ...s, snapshots: first.keep });
        expect(done.forget).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('is monotonic: a larger count never forgets a snapshot a smaller one kept', () => {
    const rule = fc.constantFrom('last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly' as const);
    fc.assert(
      fc.property(scenario, rule, fc.integer({ min: 1, max: 5 }), (s, r, more) => {
        const base = plan(s);
        const bigger: Policy = { ...s.policy, [r]: (s.policy[r] ?? 0) + more };
        const wider = plan({ ...s, policy: bigger });
        for (const id of ids(base.keep)) expect(ids(wider.keep).has(id)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
