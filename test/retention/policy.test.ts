// The retention policy by example: what backdrill.yml and the flags accept (and the errors for what they do not),
// and the examples of docs/retention.md: DST in a time zone, ISO weeks, backup sets, drills, keep-within.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/cli/commands/retention.ts';
import { type PlanSnapshot, planRetention } from '../../src/retention/plan.ts';
import {
  describePolicy,
  normalizePolicy,
  type Policy,
  parseGrace,
  policyFromFlags,
  RetentionPolicy,
  type RetentionPolicyInput,
} from '../../src/retention/policy.ts';

let n = 0;
function snap(time: string, extra: Partial<PlanSnapshot> = {}): PlanSnapshot {
  n++;
  return { id: n.toString(16).padStart(64, '0'), time, store: { name: 'db' }, tags: [], backupSet: null, ...extra };
}

function policy(p: RetentionPolicyInput): Policy {
  return normalizePolicy(RetentionPolicy.parse(p));
}

function kept(snapshots: PlanSnapshot[], p: RetentionPolicyInput, now = Date.parse('2030-01-01T00:00:00Z')): string[] {
  return planRetention({ snapshots, policy: policy(p), now })
    .keep.map((s) => s.time)
    .sort();
}

describe('retention policy: backdrill.yml section', () => {
  it('accepts counts, "unlimited", durations, tags, grouping and a time zone', () => {
    const p = policy({
      keepLast: 3,
      keepDaily: 'unlimited',
      keepWithin: '1y6m',
      keepTag: 'release',
      groupBy: 'set',
      timezone: 'Europe/Berlin',
      grace: '2h',
    });
    expect(p).toMatchObject({ last: 3, daily: Number.POSITIVE_INFINITY, tags: ['release'], groupBy: 'set' });
    expect(p.within).toMatchObject({ years: 1, months: 6 });
    expect(describePolicy(p)).toBe(
      'keep 3 last, all daily, all within 1y6m of the newest, all tagged release; group by set; time zone Europe/Berlin',
    );
  });

  it.each<[Record<string, unknown>, string, RegExp]>([
    [{ keepDaily: -1 }, 'keepDaily', /whole number of at least 1, or "unlimited"/],
    [{ keepLast: 0 }, 'keepLast', /0 or less keeps nothing/],
    [{ keepWeekly: 2.5 }, 'keepWeekly', /whole number/],
    [{ keepMonthly: 'all' }, 'keepMonthly', /whole number/],
    [{ keepWithin: '0d' }, 'keepWithin', /zero keeps nothing/],
    [{ keepWithin: '30 days' }, 'keepWithin', /y years, m months, w weeks, d days, h hours/],
    [{ keepTag: [''] }, 'keepTag.0', /tag cannot be empty/],
    [{ groupBy: 'host' }, 'groupBy', /"store" or "set"/],
    [{ timezone: 'Mars/Olympus' }, 'timezone', /unknown time zone/],
    [{ grace: '-1h' }, 'grace', /expected a duration/],
    [{ keepDayly: 7 }, '', /keepDayly/],
  ])('refuses %j, naming the field', (input, field, message) => {
    const r = RetentionPolicy.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(field);
    expect(`${issue.message} ${JSON.stringify(issue)}`).toMatch(message);
  });

  it('flag errors name the flag and the value given', () => {
    expect(() => policyFromFlags({ keepDaily: '-3' })).toThrow(/^--keep-daily "-3": expected a whole number/);
    expect(() => policyFromFlags({ keepWithin: '2 weeks' })).toThrow(/^--keep-within "2 weeks": expected a duration/);
    expect(() => policyFromFlags({ timezone: 'CEST+2' })).toThrow(/^--timezone "CEST\+2": unknown time zone/);
    expect(() => policyFromFlags({ keepTag: ['ok', ''] })).toThrow(/^--keep-tag "ok" "": a tag cannot be empty/);
    expect(policyFromFlags({ keepLast: '5', keepYearly: 'unlimited' })).toEqual({
      keepLast: 5,
      keepYearly: 'unlimited',
    });
  });

  it('flags replace the configured keep rules as a whole; --group-by and --timezone override one field', () => {
    const config = RetentionPolicy.parse({ keepDaily: 7, keepTag: 'release', timezone: 'Europe/Berlin' });
    expect(resolvePolicy({}, config)).toMatchObject({ daily: 7, tags: ['release'], timezone: 'Europe/Berlin' });
    const flags = resolvePolicy({ 'keep-last': '2' }, config);
    expect(flags).toMatchObject({ last: 2, tags: [], timezone: 'Europe/Berlin' });
    expect(flags.daily).toBeUndefined();
    expect(resolvePolicy({ timezone: 'UTC', 'group-by': 'set' }, config)).toMatchObject({
      daily: 7,
      timezone: 'UTC',
      groupBy: 'set',
    });
    // A section with only a grace period, or none at all, is no policy: forget refuses.
    expect(() => resolvePolicy({}, RetentionPolicy.parse({ grace: '2h' }))).toThrow(/no retention policy given/);
    expect(() => resolvePolicy({ timezone: 'UTC' }, undefined)).toThrow(/refusing to forget every snapshot/);
  });

  it('grace periods: d, h, m (minutes), s', () => {
    expect(parseGrace('0s')).toEqual({ ok: true, value: 0 });
    expect(parseGrace('1d12h')).toEqual({ ok: true, value: 36 * 3_600_000 });
    expect(parseGrace('90m')).toEqual({ ok: true, value: 90 * 60_000 });
    expect(parseGrace('1 hour').ok).toBe(false);
  });
});

describe('retention plan: examples of docs/retention.md', () => {
  it('hourly buckets follow the wall clock: the repeated hour of a DST change is one bucket in Europe/Berlin', () => {
    // 2024-10-27: 02:30 CEST (00:30Z), 02:30 CET (01:30Z), 03:30 CET (02:30Z)
    const s = [snap('2024-10-27T00:30:00Z'), snap('2024-10-27T01:30:00Z'), snap('2024-10-27T02:30:00Z')];
    expect(kept(s, { keepHourly: 3, timezone: 'Europe/Berlin' })).toEqual([
      '2024-10-27T01:30:00Z',
      '2024-10-27T02:30:00Z',
    ]);
    expect(kept(s, { keepHourly: 3 })).toHaveLength(3);
  });

  it('daily buckets are local days: 22:00 and 01:00 in New York are two days, one day in UTC', () => {
    const s = [snap('2024-03-10T03:00:00Z'), snap('2024-03-10T06:00:00Z')];
    expect(kept(s, { keepDaily: 5, timezone: 'America/New_York' })).toHaveLength(2);
    expect(kept(s, { keepDaily: 5 })).toEqual(['2024-03-10T06:00:00Z']);
  });

  it('weeks are ISO weeks: Monday 2024-12-30 is in 2025-W01, Sunday 2024-12-29 in 2024-W52', () => {
    const s = [snap('2024-12-29T12:00:00Z'), snap('2024-12-30T12:00:00Z'), snap('2025-01-05T12:00:00Z')];
    const plan = planRetention({ snapshots: s, policy: policy({ keepWeekly: 1 }) });
    expect(plan.keep.map((x) => x.time)).toEqual(['2025-01-05T12:00:00Z']);
    const reasons = Object.fromEntries(plan.decisions.map((d) => [d.snapshot.time, d.reasons.join('; ')]));
    expect(reasons['2025-01-05T12:00:00Z']).toContain('keep-weekly: newest of 2025-W01 (1st of 1)');
    expect(reasons['2024-12-30T12:00:00Z']).toMatch(/keep-weekly: 2025-W01 is kept by newer [0-9a-f]{8}/);
    expect(reasons['2024-12-29T12:00:00Z']).toContain('keep-weekly: 2024-W52 is beyond the 1 newest weeks');
  });

  it('keep-within counts back from the newest snapshot that is not in the future', () => {
    const s = [
      snap('2024-01-01T00:00:00Z'),
      snap('2024-01-20T00:00:00Z'),
      snap('2024-02-01T00:00:00Z'),
      snap('2031-01-01T00:00:00Z'), // a writer with a wrong clock
    ];
    expect(kept(s, { keepWithin: '14d' }, Date.parse('2024-02-02T00:00:00Z'))).toEqual([
      '2024-01-20T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2031-01-01T00:00:00Z',
    ]);
  });

  it('each store is judged on its own; the newest snapshot of every store is always kept', () => {
    const s = [
      snap('2024-01-01T00:00:00Z', { store: { name: 'graph' } }),
      snap('2024-01-02T00:00:00Z'),
      snap('2024-01-03T00:00:00Z'),
    ];
    const plan = planRetention({ snapshots: s, policy: policy({ keepLast: 1 }) });
    expect(plan.keep.map((x) => x.time).sort()).toEqual(['2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z']);
    expect(plan.decisions.map((d) => d.group)).toEqual(['store db', 'store db', 'store graph']);
  });

  it('group-by set keeps or forgets a backup set as a unit, timed by its earliest member', () => {
    const s = [
      snap('2024-01-01T00:00:00Z', { backupSet: 'a' }),
      snap('2024-01-01T00:05:00Z', { backupSet: 'a', store: { name: 'graph' } }),
      snap('2024-01-02T00:00:00Z', { backupSet: 'b' }),
      snap('2024-01-02T00:07:00Z', { backupSet: 'b', store: { name: 'graph' } }),
      snap('2024-01-03T00:00:00Z', { backupSet: 'c' }),
      snap('2024-01-03T00:09:00Z', { backupSet: 'c', store: { name: 'graph' } }),
    ];
    const plan = planRetention({ snapshots: s, policy: policy({ keepLast: 2, groupBy: 'set' }) });
    expect(plan.keep.map((x) => x.backupSet).sort()).toEqual(['b', 'b', 'c', 'c']);
    // Deleted set by set, the earliest member of a set last.
    expect(plan.forget.map((x) => x.time)).toEqual(['2024-01-01T00:05:00Z', '2024-01-01T00:00:00Z']);
  });

  it('the newest snapshots a passed drill restored are kept, with everything that drill restored', () => {
    const old = [snap('2024-01-01T00:00:00Z'), snap('2024-01-01T00:01:00Z', { store: { name: 'graph' } })];
    const newer = [snap('2024-01-05T00:00:00Z'), snap('2024-01-06T00:00:00Z')];
    const graphNew = snap('2024-01-06T00:00:00Z', { store: { name: 'graph' } });
    const drill = { id: 'd'.repeat(64), time: '2024-01-02T00:00:00Z', snapshots: old.map((s) => s.id) };
    const plan = planRetention({
      snapshots: [...old, ...newer, graphNew],
      policy: policy({ keepLast: 1 }),
      drills: [drill],
    });
    expect(plan.forget.map((x) => x.time)).toEqual(['2024-01-05T00:00:00Z']);
    const why = (id: string) => plan.decisions.find((d) => d.snapshot.id === id)!.reasons;
    expect(why(old[0]!.id)).toEqual(['newest snapshot of store db that passed a drill (drill dddddddd)']);
    expect(why(old[1]!.id)).toEqual(['newest snapshot of store graph that passed a drill (drill dddddddd)']);
    // A later drill restored only a newer db snapshot: that one is now db's protected snapshot, but the graph's
    // newest drilled snapshot is still the old one, and its drill's set comes with it (the old db snapshot).
    const dbOnly = { id: 'e'.repeat(64), time: '2024-01-07T00:00:00Z', snapshots: [newer[0]!.id] };
    const plan2 = planRetention({
      snapshots: [...old, ...newer, graphNew],
      policy: policy({ keepLast: 1 }),
      drills: [drill, dbOnly],
    });
    expect(plan2.forget).toEqual([]);
    const why2 = (id: string) => plan2.decisions.find((d) => d.snapshot.id === id)!.reasons;
    expect(why2(newer[0]!.id)).toEqual(['newest snapshot of store db that passed a drill (drill eeeeeeee)']);
    expect(why2(old[0]!.id)).toEqual([`restored with ${old[1]!.id.slice(0, 8)} by drill dddddddd, which passed`]);
  });
});
