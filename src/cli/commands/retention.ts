// Retention commands: forget (apply a policy, optionally --prune) and prune (collect unreferenced data).
import { existsSync } from 'node:fs';
import { formatPath, loadConfig } from '../../config/load.ts';
import { UsageError } from '../../errors.ts';
import type { Snapshot } from '../../repo/format.ts';
import type { Repository } from '../../repo/repository.ts';
import { formatLocal } from '../../retention/calendar.ts';
import {
  DEFAULT_GRACE_MS,
  describePolicy,
  hasKeepRule,
  normalizePolicy,
  type Policy,
  parseGrace,
  policyFromFlags,
  policyJson,
  RetentionPolicy,
} from '../../retention/policy.ts';
import { type RetentionEvent, type RetentionResult, runRetention } from '../../retention/prune.ts';
import type { CliIO, Command, OptionSpec, OptionValues } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes, formatDuration } from '../progress.ts';
import { openRepository, repoEnvHelp, repoOptions } from '../repo-options.ts';
import { parseRetryLock } from './backup.ts';
import { table } from './repo.ts';

async function withRepo<T>(values: OptionValues, io: CliIO, fn: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openRepository(values, io);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

const str = (values: OptionValues, name: string) => values[name] as string | undefined;

const commonOptions: Record<string, OptionSpec> = {
  'dry-run': { type: 'boolean', short: 'n', description: 'print the plan and what would be freed; change nothing' },
  'retry-lock': { type: 'string', value: 'DURATION', description: 'wait up to DURATION for a conflicting lock' },
  verbose: { type: 'boolean', short: 'v', description: 'report each step on stderr (lock, plan, deletions)' },
  json: { type: 'boolean', description: 'print the plan and the result as JSON' },
};

const graceOption: Record<string, OptionSpec> = {
  grace: {
    type: 'string',
    value: 'DURATION',
    description: 'delete unreferenced chunks only when older than this (default 1h; 0s, 30m, 2h, 1d)',
  },
};

/**
 * The `retention` section of backdrill.yml (--config, BACKDRILL_CONFIG, or ./backdrill.yml when it exists), or
 * undefined. Read only when the flags leave something to it: keep rules or the grace period.
 */
export function configuredRetention(values: OptionValues, env: NodeJS.ProcessEnv): RetentionPolicy | undefined {
  const keepFlag = Object.keys(values).some((k) => k.startsWith('keep-') && values[k] !== undefined);
  if (keepFlag && values.grace !== undefined) return undefined;
  const explicit = str(values, 'config') ?? env.BACKDRILL_CONFIG;
  if (!explicit && !existsSync('backdrill.yml')) return undefined;
  const path = explicit ?? 'backdrill.yml';
  const section: unknown = (loadConfig(path, env).config as Record<string, unknown>).retention;
  if (section === undefined) return undefined;
  // Validated again here so this works the same before and after the config schema carries the section.
  const r = RetentionPolicy.safeParse(section);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new UsageError(
    `${path}: ${formatPath(['retention', ...(issue.path as Array<string | number>)])}: ${issue.message}`,
    'see docs/retention.md',
  );
}

function graceMs(values: OptionValues, config: RetentionPolicy | undefined): number {
  const text = str(values, 'grace') ?? config?.grace;
  if (text === undefined) return DEFAULT_GRACE_MS;
  const r = parseGrace(text);
  if (!r.ok) throw new UsageError(`--grace ${JSON.stringify(text)}: ${r.message}`);
  return r.value;
}

/**
 * The policy from the keep flags, or else from backdrill.yml's `retention` section. Flags replace the configured
 * keep rules as a whole (they are not merged rule by rule); --group-by and --timezone override single fields.
 */
export function resolvePolicy(values: OptionValues, config: RetentionPolicy | undefined): Policy {
  const keepFlags = {
    keepLast: str(values, 'keep-last'),
    keepHourly: str(values, 'keep-hourly'),
    keepDaily: str(values, 'keep-daily'),
    keepWeekly: str(values, 'keep-weekly'),
    keepMonthly: str(values, 'keep-monthly'),
    keepYearly: str(values, 'keep-yearly'),
    keepWithin: str(values, 'keep-within'),
    keepTag: values['keep-tag'] as string[] | undefined,
  };
  const fromFlags = Object.values(keepFlags).some((v) => v !== undefined);
  const flags = policyFromFlags({
    ...keepFlags,
    groupBy: str(values, 'group-by'),
    timezone: str(values, 'timezone'),
  });
  const base: RetentionPolicy = fromFlags ? { ...flags } : { ...(config ?? {}) };
  const groupBy = flags.groupBy ?? config?.groupBy;
  const timezone = flags.timezone ?? config?.timezone;
  if (groupBy !== undefined) base.groupBy = groupBy;
  if (timezone !== undefined) base.timezone = timezone;
  const policy = normalizePolicy(base);
  if (!hasKeepRule(policy)) {
    throw new UsageError(
      'forget: no retention policy given: refusing to forget every snapshot',
      'give at least one keep rule, e.g. --keep-daily 7 --keep-weekly 5 --keep-monthly 12 (or a retention section ' +
        'in backdrill.yml); to delete only unreferenced data, run `backdrill prune`',
    );
  }
  if (policy.groupBy === 'set' && values.store !== undefined) {
    throw new UsageError(
      '--group-by set contradicts --store: a backup set spans stores and is kept or forgotten as a whole',
      'drop --store to judge whole sets, or use --group-by store to judge one store',
    );
  }
  return policy;
}

function eventPrinter(io: CliIO, values: OptionValues): (e: RetentionEvent) => void {
  let lastCollect = 0;
  return (e) => {
    if (!values.verbose && !io.interactive) return;
    const line = (s: string) => io.stderr.write(values.verbose ? `${s}\n` : `\r\x1b[K${s}`);
    switch (e.phase) {
      case 'locked':
        if (values.verbose) line('exclusive lock taken');
        break;
      case 'planned':
        if (values.verbose) line(`plan: forget ${e.forget}, keep ${e.keep}, free about ${formatBytes(e.bytes)}`);
        break;
      case 'forget':
        line(`forgot snapshot ${e.id.slice(0, 8)} (${e.done}/${e.total})`);
        break;
      case 'collect':
        if (values.verbose || Date.now() - lastCollect > 200) line(`deleted chunks ${e.done}/${e.total}`);
        lastCollect = Date.now();
        break;
    }
  };
}

function snapshotJson(s: Snapshot) {
  return { id: s.id, time: s.time, store: s.store.name, tags: s.tags, backup_set: s.backupSet };
}

function report(io: CliIO, values: OptionValues, r: RetentionResult, grace: number, collect: boolean): void {
  if (io.interactive && !values.verbose) io.stderr.write('\r\x1b[K');
  const e = r.estimate;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          dry_run: r.dryRun,
          policy: r.plan ? policyJson(r.plan.policy) : null,
          snapshots: (r.plan?.decisions ?? []).map((d) => ({
            ...snapshotJson(d.snapshot),
            group: d.group,
            action: d.keep ? 'keep' : 'forget',
            reasons: d.reasons,
          })),
          untouched: (r.plan?.untouched ?? []).map(snapshotJson),
          keep: r.plan ? r.plan.keep.length : null,
          forget: r.plan ? r.plan.forget.length : 0,
          grace_ms: collect ? grace : null,
          estimate: {
            bytes_freed: e.bytesFreed,
            manifests: e.manifests,
            chunks: e.chunks,
            unreferenced: e.unreferenced,
            young_unreferenced: e.young,
          },
          deleted: { snapshots: r.deleted.snapshots, chunks: r.deleted.chunks, bytes_freed: r.deleted.bytesFreed },
          warnings: r.warnings,
        },
        null,
        2,
      )}\n`,
    );
    for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
    return;
  }
  const out: string[] = [];
  if (r.plan) {
    const p = r.plan.policy;
    out.push(describePolicy(p));
    const groups = [...new Set(r.plan.decisions.map((d) => d.group))];
    for (const g of groups) {
      const ds = r.plan.decisions.filter((d) => d.group === g);
      const kept = ds.filter((d) => d.keep).length;
      out.push('', `${g}: keep ${kept}, forget ${ds.length - kept}`);
      const header = [
        'ID',
        `Time (${p.timezone})`,
        'Store',
        'Tags',
        ...(p.groupBy === 'set' ? ['Set'] : []),
        'Action',
        'Why',
      ];
      const rows = [header];
      for (const d of ds) {
        const s = d.snapshot;
        rows.push([
          s.id.slice(0, 8),
          formatLocal(Date.parse(s.time), p.timezone),
          s.store.name,
          s.tags.join(',') || '-',
          ...(p.groupBy === 'set' ? [s.backupSet?.slice(0, 8) ?? '-'] : []),
          d.keep ? 'keep' : 'forget',
          d.reasons.join('; '),
        ]);
      }
      out.push(table(rows));
    }
    if (r.plan.untouched.length > 0) out.push('', `${r.plan.untouched.length} snapshot(s) of other stores left alone`);
    out.push('');
  }
  const parts = [`${e.manifests.count} manifest(s)`];
  if (collect) parts.push(`${e.chunks.count + e.unreferenced.count} chunk(s)`);
  const young =
    collect && e.young.count > 0
      ? `; ${e.young.count} unreferenced chunk(s) (${formatBytes(e.young.bytes)}) are younger than the grace period ` +
        `${formatDuration(grace)} and stay for now`
      : '';
  if (r.dryRun) {
    out.push(
      `dry run: would forget ${r.plan?.forget.length ?? 0} snapshot(s) and free about ${formatBytes(e.bytesFreed)} ` +
        `(${parts.join(', ')})${young}`,
    );
  } else {
    out.push(
      `forgot ${r.deleted.snapshots} snapshot(s)` +
        (collect ? `, deleted ${r.deleted.chunks} unreferenced chunk(s)` : '') +
        `: freed ${formatBytes(r.deleted.bytesFreed)} (estimated ${formatBytes(e.bytesFreed)})${young}`,
    );
    if (!collect && r.deleted.snapshots > 0) {
      out.push('the data of forgotten snapshots stays until `backdrill prune` (or forget --prune) collects it');
    }
  }
  io.stdout.write(`${out.join('\n')}\n`);
  for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
}

export const forgetCommand: Command = {
  name: 'forget',
  summary: 'forget snapshots by a retention policy (--prune also frees their data)',
  usage: 'backdrill forget --keep-... [flags]',
  details: `Applies a retention policy (restic's forget rules; docs/retention.md) to each store's history, or with
--group-by set to backup sets as units. A snapshot is kept when any rule keeps it; the newest snapshot of
every store, and the newest snapshots a passed drill restored, are always kept. The keep rules come
from the flags, or else from the retention section of backdrill.yml (flags replace its keep rules as a
whole). Without any keep rule forget refuses to run. --dry-run prints the plan with the reason for every
decision and changes nothing.

Counts take a whole number or "unlimited". Durations of --keep-within: y years, m months, w weeks,
d days, h hours, in that order (1y6m, 30d), measured back from the group's newest snapshot. Calendar
buckets (hourly .. yearly, ISO weeks) are taken in --timezone (an IANA name; default UTC).

Forgetting deletes manifests only; --prune then deletes every chunk no remaining snapshot references
that is older than --grace. Both run under the exclusive lock.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    'keep-last': { type: 'string', short: 'l', value: 'N', description: 'keep the N newest snapshots' },
    'keep-hourly': {
      type: 'string',
      short: 'H',
      value: 'N',
      description: 'keep the newest snapshot of each of N hours',
    },
    'keep-daily': { type: 'string', short: 'd', value: 'N', description: 'keep the newest snapshot of each of N days' },
    'keep-weekly': { type: 'string', short: 'w', value: 'N', description: 'keep the newest of each of N ISO weeks' },
    'keep-monthly': { type: 'string', short: 'm', value: 'N', description: 'keep the newest of each of N months' },
    'keep-yearly': { type: 'string', short: 'y', value: 'N', description: 'keep the newest of each of N years' },
    'keep-within': {
      type: 'string',
      value: 'DURATION',
      description: 'keep all snapshots within DURATION of the newest (e.g. 30d, 1y6m)',
    },
    'keep-tag': { type: 'string', multiple: true, value: 'TAG', description: 'keep every snapshot with this tag' },
    'group-by': { type: 'string', value: 'store|set', description: 'judge each store (default), or backup sets' },
    timezone: { type: 'string', value: 'TZ', description: 'time zone of the calendar buckets (default UTC)' },
    store: { type: 'string', value: 'NAME', description: "judge only this store's snapshots" },
    prune: { type: 'boolean', description: 'also delete the data no remaining snapshot references' },
    ...graceOption,
    ...commonOptions,
  },
  positionals: [],
  async run({ values }, io) {
    const config = configuredRetention(values, io.env);
    const policy = resolvePolicy(values, config);
    const collect = Boolean(values.prune);
    if (!collect && values.grace !== undefined) {
      throw new UsageError('--grace applies only with --prune', 'add --prune, or drop --grace');
    }
    const grace = graceMs(values, config);
    const waitMs = parseRetryLock(str(values, 'retry-lock'));
    return withRepo(values, io, async (repo) => {
      const result = await runRetention(repo, {
        policy,
        ...(values.store === undefined ? {} : { store: values.store as string }),
        collect,
        graceMs: grace,
        dryRun: Boolean(values['dry-run']),
        lockWaitMs: waitMs,
        onEvent: eventPrinter(io, values),
      });
      report(io, values, result, grace, collect);
      return ExitCode.ok;
    });
  },
};

export const pruneCommand: Command = {
  name: 'prune',
  summary: 'delete data no snapshot references (left by forget or interrupted backups)',
  usage: 'backdrill prune [flags]',
  details: `Takes the exclusive lock, reads every manifest (refusing to run when one cannot be read: its data
would look unreferenced), and deletes each chunk that no snapshot references and that is older than
--grace (default 1h). The grace period protects chunks a backup has uploaded but not yet referenced.
prune needs no policy and never forgets a snapshot; use \`backdrill forget --keep-...\` for that.
An interrupted prune leaves a valid repository; run it again to finish.

${repoEnvHelp}`,
  options: { ...repoOptions, ...graceOption, ...commonOptions },
  positionals: [],
  async run({ values }, io) {
    const grace = graceMs(values, values.grace === undefined ? configuredRetention(values, io.env) : undefined);
    const waitMs = parseRetryLock(str(values, 'retry-lock'));
    return withRepo(values, io, async (repo) => {
      const result = await runRetention(repo, {
        collect: true,
        graceMs: grace,
        dryRun: Boolean(values['dry-run']),
        lockWaitMs: waitMs,
        onEvent: eventPrinter(io, values),
      });
      report(io, values, result, grace, true);
      return ExitCode.ok;
    });
  },
};
