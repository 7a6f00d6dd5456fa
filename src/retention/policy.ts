// Retention policies: the `retention` section of backdrill.yml (the zod schema RetentionPolicy) and the `forget`
// flags, validated by the same schema into one normalized Policy. docs/retention.md says what each rule means;
// plan.ts applies them.
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { isTimeZone, PERIODS, type Period } from './calendar.ts';

const COUNT_MESSAGE =
  'expected a whole number of at least 1, or "unlimited" (a count of 0 or less keeps nothing: leave the rule out)';

const Count = z.union(
  [
    z.number({ error: COUNT_MESSAGE }).int({ error: COUNT_MESSAGE }).min(1, { error: COUNT_MESSAGE }),
    z.literal('unlimited', { error: COUNT_MESSAGE }),
  ],
  { error: COUNT_MESSAGE },
);

/** restic's keep-within syntax: years, months, weeks, days, hours, in this order (1y6m, 30d, 2w3d12h). */
const WITHIN_RE = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?$/;
const GRACE_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export interface Within {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  text: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseWithin(text: string): Parsed<Within> {
  const m = WITHIN_RE.exec(text);
  if (!m || text === '') {
    return {
      ok: false,
      message:
        'expected a duration such as 30d, 2w, 6m or 1y6m (y years, m months, w weeks, d days, h hours, in that order)',
    };
  }
  const [years, months, weeks, days, hours] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (years + months + weeks + days + hours === 0) {
    return { ok: false, message: 'a duration of zero keeps nothing: leave keep-within out, or give a longer one' };
  }
  return { ok: true, value: { years, months, weeks, days, hours, text } };
}

/** The grace period: d, h, m (minutes), s, in that order (1h, 90m, 1d12h, 0s). */
export function parseGrace(text: string): Parsed<number> {
  const m = GRACE_RE.exec(text);
  if (!m || text === '') {
    return {
      ok: false,
      message: 'expected a duration such as 1h, 30m, 2d or 0s (d days, h hours, m minutes, s seconds)',
    };
  }
  const [d, h, min, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number];
  return { ok: true, value: ((d * 24 + h) * 60 + min) * 60_000 + s * 1000 };
}

/** The instant keep-within measures from: `latestMs` minus the duration, in UTC calendar arithmetic. */
export function withinCutoff(latestMs: number, w: Within): number {
  const t = new Date(latestMs);
  return Date.UTC(
    t.getUTCFullYear() - w.years,
    t.getUTCMonth() - w.months,
    t.getUTCDate() - w.weeks * 7 - w.days,
    t.getUTCHours() - w.hours,
    t.getUTCMinutes(),
    t.getUTCSeconds(),
    t.getUTCMilliseconds(),
  );
}

function durationField(parse: (s: string) => Parsed<unknown>) {
  return z.string().superRefine((s, ctx) => {
    const r = parse(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  });
}

/**
 * The `retention` section of backdrill.yml. Every field is optional; `forget` refuses to run when no keep rule is
 * set (from here or from flags), so an empty section never means "forget everything".
 */
export const RetentionPolicy = z
  .object({
    keepLast: Count.optional(),
    keepHourly: Count.optional(),
    keepDaily: Count.optional(),
    keepWeekly: Count.optional(),
    keepMonthly: Count.optional(),
    keepYearly: Count.optional(),
    /** Keep every snapshot newer than this, measured back from the group's newest snapshot (restic). */
    keepWithin: durationField(parseWithin).optional(),
    /** Keep every snapshot that has one of these tags. A tag no snapshot has is an error (a typo would keep nothing). */
    keepTag: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (typeof v === 'string' ? [v] : v))
      .pipe(z.array(z.string().min(1, 'a tag cannot be empty')))
      .optional(),
    /** store: each store's history is judged on its own; set: a backup set is kept or forgotten as a unit. */
    groupBy: z.enum(['store', 'set'], { error: 'expected "store" or "set"' }).optional(),
    /** IANA time zone of the calendar buckets (hourly .. yearly). Default UTC. */
    timezone: z
      .string()
      .refine(isTimeZone, { error: 'unknown time zone: use an IANA name such as Europe/Berlin, or UTC' })
      .optional(),
    /** prune deletes unreferenced chunks only when they are older than this. Default 1h. */
    grace: durationField(parseGrace).optional(),
  })
  .strict();
export type RetentionPolicy = z.output<typeof RetentionPolicy>;
/** The section as written in backdrill.yml (keepTag may be one string). */
export type RetentionPolicyInput = z.input<typeof RetentionPolicy>;

export const DEFAULT_GRACE_MS = 60 * 60_000;

/** A validated policy; counts are Infinity for "unlimited". */
export interface Policy {
  last?: number;
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
  within?: Within;
  tags: string[];
  groupBy: 'store' | 'set';
  timezone: string;
}

const COUNT_FIELDS = {
  last: 'keepLast',
  hourly: 'keepHourly',
  daily: 'keepDaily',
  weekly: 'keepWeekly',
  monthly: 'keepMonthly',
  yearly: 'keepYearly',
} as const satisfies Record<'last' | Period, keyof RetentionPolicy>;

const COUNT_FIELDS_BY_NAME: Record<string, true> = Object.fromEntries(
  Object.values(COUNT_FIELDS).map((f) => [f, true]),
);

export function normalizePolicy(r: RetentionPolicy): Policy {
  const p: Policy = { tags: r.keepTag ?? [], groupBy: r.groupBy ?? 'store', timezone: r.timezone ?? 'UTC' };
  for (const [rule, field] of Object.entries(COUNT_FIELDS) as Array<
    [keyof typeof COUNT_FIELDS, keyof RetentionPolicy]
  >) {
    const v = r[field] as number | 'unlimited' | undefined;
    if (v !== undefined) p[rule] = v === 'unlimited' ? Number.POSITIVE_INFINITY : v;
  }
  if (r.keepWithin !== undefined) {
    const w = parseWithin(r.keepWithin);
    if (w.ok) p.within = w.value;
  }
  return p;
}

export function hasKeepRule(p: Policy): boolean {
  return (['last', ...PERIODS] as const).some((k) => p[k] !== undefined) || p.within !== undefined || p.tags.length > 0;
}

/** One line, e.g. "keep 7 daily, 4 weekly, within 30d of the newest, tags release; group by store; time zone UTC". */
export function describePolicy(p: Policy): string {
  const n = (v: number) => (v === Number.POSITIVE_INFINITY ? 'all' : String(v));
  const parts: string[] = [];
  if (p.last !== undefined) parts.push(`${n(p.last)} last`);
  for (const period of PERIODS) if (p[period] !== undefined) parts.push(`${n(p[period]!)} ${period}`);
  if (p.within) parts.push(`all within ${p.within.text} of the newest`);
  if (p.tags.length > 0) parts.push(`all tagged ${p.tags.join(' or ')}`);
  return `keep ${parts.join(', ') || 'nothing'}; group by ${p.groupBy}; time zone ${p.timezone}`;
}

/** The policy as plain JSON (what --json prints). */
export function policyJson(p: Policy): Record<string, unknown> {
  const n = (v: number | undefined) => (v === Number.POSITIVE_INFINITY ? 'unlimited' : v);
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
    timezone: p.timezone,
  };
}

/** CLI flag of each RetentionPolicy field, so flag errors name the flag the user typed. */
export const POLICY_FLAGS: Record<keyof RetentionPolicy, string> = {
  keepLast: 'keep-last',
  keepHourly: 'keep-hourly',
  keepDaily: 'keep-daily',
  keepWeekly: 'keep-weekly',
  keepMonthly: 'keep-monthly',
  keepYearly: 'keep-yearly',
  keepWithin: 'keep-within',
  keepTag: 'keep-tag',
  groupBy: 'group-by',
  timezone: 'timezone',
  grace: 'grace',
};

/** Validates flag values (strings as typed) with the same schema as the config section. */
export function policyFromFlags(flags: Partial<Record<keyof RetentionPolicy, string | string[]>>): RetentionPolicy {
  const raw: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(flags)) {
    if (value === undefined) continue;
    const isCount = field in COUNT_FIELDS_BY_NAME;
    // Counts arrive as text: numbers become numbers so "-1" and "0" get the count message, not a type error.
    raw[field] = isCount && typeof value === 'string' && /^[-+]?\d+$/.test(value) ? Number(value) : value;
  }
  const r = RetentionPolicy.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path[0] as keyof RetentionPolicy;
  const flag = POLICY_FLAGS[field] ?? String(field);
  const given = flags[field];
  const shown = Array.isArray(given) ? given.map((g) => JSON.stringify(g)).join(' ') : JSON.stringify(given ?? '');
  throw new UsageError(`--${flag} ${shown}: ${issue.message}`, `run \`backdrill forget --help\` for the rules`);
}
