// Calendar buckets for retention rules: the local hour, day, ISO week, month and year of an instant in an IANA time
// zone, from Intl.DateTimeFormat (no tz library). DST is handled by Intl: a repeated hour is one bucket, a skipped
// hour is none.

export type Period = 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';

export const PERIODS: readonly Period[] = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'];

export interface Bucket {
  /** Orders buckets in time: a later instant never has a smaller key (local time only repeats within an hour). */
  key: number;
  /** How the plan names it, e.g. 2024-03-31, 2024-W13, 2024-03-31 02h. */
  label: string;
}

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone Intl knows (IANA names such as Europe/Berlin, and UTC). */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export function localFields(ms: number, timeZone: string): LocalFields {
  const out: LocalFields = { year: 0, month: 0, day: 0, hour: 0 };
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour') out[p.type] = Number(p.value);
  }
  return out;
}

/** ISO 8601 week of a calendar date: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = new Date(date + (3 - weekday) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000;
  return { year: isoYear, week: Math.floor(dayOfYear / 7) + 1 };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function bucketOf(period: Period, f: LocalFields): Bucket {
  switch (period) {
    case 'hourly':
      return {
        key: ((f.year * 100 + f.month) * 100 + f.day) * 100 + f.hour,
        label: `${f.year}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}h`,
      };
    case 'daily':
      return { key: (f.year * 100 + f.month) * 100 + f.day, label: `${f.year}-${pad(f.month)}-${pad(f.day)}` };
    case 'weekly': {
      const w = isoWeek(f.year, f.month, f.day);
      return { key: w.year * 100 + w.week, label: `${w.year}-W${pad(w.week)}` };
    }
    case 'monthly':
      return { key: f.year * 100 + f.month, label: `${f.year}-${pad(f.month)}` };
    case 'yearly':
      return { key: f.year, label: String(f.year) };
  }
}

/** "2024-03-31 02:30" in the time zone, for plan tables. */
export function formatLocal(ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(ms);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
