// The drill runner: pick a backup set, provision a sandbox per store in parallel, restore each store, compare
// fingerprints, run the checks and cross-store rules, measure RTO and RPO against their targets, record the
// result in the repository, and always dispose the sandboxes (also on SIGINT/SIGTERM).
import { randomBytes } from 'node:crypto';
import type { BackdrillConfig, StoreConfig } from '../config/schema.ts';
import { BackdrillError } from '../errors.ts';
import type { Snapshot } from '../repo/format.ts';
import type { Repository } from '../repo/repository.ts';
import { type CheckResult, type DrillReport, REPORT_VERSION, type StoreResult } from '../report/report.ts';
import { readDrillRecords, writeDrillRecord } from '../retention/drills.ts';
import type { FingerprintDifference } from '../stores/fingerprint.ts';
import { compareStore, restoreStore } from '../stores/run.ts';
import { CapturePoint, IncompleteRestoreError } from '../stores/types.ts';
import { type Check, judge, type KeyRule } from './checks.ts';
import { type DrillConfig, parseDuration } from './config.ts';
import { compareKeySets } from './keysets.ts';
import { ExternalProvider, LocalProvider } from './providers.ts';
import { type QueryTarget, queryAll, queryKeys } from './queries.ts';
import { disposeAll, type Sandbox, type SandboxProvider } from './sandbox.ts';
import { dockerAvailable, TestcontainersProvider } from './testcontainers.ts';

export interface BackupSet {
  id: string;
  time: string;
  snapshots: Snapshot[];
}

/** Backup sets from the snapshot manifests (every snapshot names its set), newest last. */
export async function listBackupSets(repo: Repository): Promise<BackupSet[]> {
  const { snapshots } = await repo.listSnapshots();
  const sets = new Map<string, Snapshot[]>();
  for (const s of snapshots) {
    if (!s.backupSet || s.tags.includes('safety')) continue;
    const list = sets.get(s.backupSet) ?? [];
    list.push(s);
    sets.set(s.backupSet, list);
  }
  return [...sets.entries()]
    .map(([id, snaps]) => ({ id, snapshots: snaps, time: snaps.map((s) => s.time).sort()[0]! }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

export interface DrillOptions {
  config: BackdrillConfig;
  drill: DrillConfig;
  checks: { checks: Check[]; rules: KeyRule[] };
  /** A set ID (or unique prefix); default: the newest complete set. */
  set?: string;
  /** Only sets taken before this time. */
  before?: Date;
  /** Provider for stores without an external target (overrides drill.provider). */
  provider?: SandboxProvider;
  log?: (line: string) => void;
  /** Do not write the drill record (dry runs of the runner itself). */
  record?: boolean;
  /** Fault injection for tests: runs after a store is restored, before it is compared and checked. */
  afterRestore?: (store: StoreConfig, sandbox: Sandbox) => Promise<void>;
}

export function chooseSet(sets: BackupSet[], stores: string[], options: { set?: string; before?: Date }): BackupSet {
  const complete = sets.filter((s) => stores.every((name) => s.snapshots.some((x) => x.store.name === name)));
  let pick: BackupSet | undefined;
  if (options.set) {
    const matches = sets.filter((s) => s.id.startsWith(options.set!));
    if (matches.length !== 1) {
      throw new BackdrillError(
        'usage',
        `backup set ${options.set}: ${matches.length === 0 ? 'no such set' : 'ambiguous prefix'}`,
      );
    }
    pick = matches[0];
    const missing = stores.filter((n) => !pick!.snapshots.some((x) => x.store.name === n));
    if (missing.length > 0) {
      throw new BackdrillError(
        'integrity',
        `backup set ${pick!.id.slice(0, 12)} has no snapshot of ${missing.join(', ')}`,
      );
    }
  } else {
    const before = options.before;
    pick = complete.filter((s) => !before || Date.parse(s.time) < before.getTime()).at(-1);
  }
  if (!pick) {
    throw new BackdrillError(
      'integrity',
      `no complete backup set${options.before ? ` before ${options.before.toISOString()}` : ''} with stores ${stores.join(', ')}`,
      { hint: 'run `backdrill backup` for all stores first; a drill restores whole backup sets' },
    );
  }
  return pick;
}

function readyTimeoutOf(drill: DrillConfig): number | undefined {
  return drill.readyTimeout === undefined ? undefined : parseDuration(drill.readyTimeout);
}

/** drill.provider, with auto meaning testcontainers when a Docker host answers and local binaries otherwise. */
async function providerFor(drill: DrillConfig): Promise<SandboxProvider> {
  const ready = readyTimeoutOf(drill);
  if (drill.provider === 'external') return new ExternalProvider(drill.targets, ready);
  if (drill.provider === 'testcontainers' || (drill.provider === 'auto' && (await dockerAvailable()))) {
    return new TestcontainersProvider(ready);
  }
  return new LocalProvider(drill.local, ready);
}

function captureOf(s: Snapshot): CapturePoint | undefined {
  const r = CapturePoint.safeParse(s.capture);
  return r.success ? r.data : undefined;
}

/** Runs fn but gives up after ms, with a message naming what took too long. */
async function withTimeout<T>(fn: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BackdrillError('integrity', `${what} exceeded its timeout of ${ms} ms`)), ms);
  });
  fn.catch(() => {});
  try {
    return await Promise.race([fn, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runDrill(repo: Repository, options: DrillOptions): Promise<DrillReport> {
  const log = options.log ?? (() => {});
  const started = new Date();
  const storeConfigs = options.config.stores;
  const set = chooseSet(
    await listBackupSets(repo),
    storeConfigs.map((s) => s.name),
    options,
  );
  const drillStores = storeConfigs.map((store) => ({
    store,
    snapshot: set.snapshots
      .filter((s) => s.store.name === store.name)
      .sort((a, b) => a.time.localeCompare(b.time))
      .at(-1)!,
  }));
  log(
    `drill: backup set ${set.id.slice(0, 12)} from ${set.time}, stores ${drillStores.map((d) => d.store.name).join(', ')}`,
  );

  const failures: string[] = [];
  const warnings: string[] = [];
  const main = options.provider ?? (await providerFor(options.drill));
  const external = new ExternalProvider(options.drill.targets, readyTimeoutOf(options.drill));
  const sandboxes = new Map<string, Sandbox>();
  const results = new Map<string, StoreResult>();
  const timeoutMs = parseDuration(options.drill.restoreTimeout);

  // An interrupted drill must not leave servers or temp dirs behind, including sandboxes still starting: the
  // servers are stopped at once (so running restores fail fast), the drill unwinds through its finally block,
  // which disposes whatever is left, and the signal is raised again at the end.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
    log(`drill: ${signal}: disposing sandboxes`);
    void disposeAll(sandboxes.values());
    // If unwinding hangs, do not keep the user waiting forever.
    setTimeout(() => process.exit(130), 60_000).unref();
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const h = () => {
      process.removeListener(sig, h);
      onSignal(sig);
    };
    process.once(sig, h);
    return [sig, h] as const;
  });

  try {
    await Promise.all(
      drillStores.map(async ({ store, snapshot }) => {
        const capture = captureOf(snapshot);
        const result: StoreResult = {
          store: store.name,
          kind: store.kind,
          snapshot: snapshot.id,
          capturedAt: capture?.at ?? snapshot.time,
          serverVersion: capture?.serverVersion ?? null,
          sandbox: null,
          provisionMs: null,
          restore: { ok: false, ms: null, error: null, failures: [] },
          fingerprint: { ok: false, compared: false, differences: [] },
          size: snapshot.artifacts.reduce((n, a) => n + a.size, 0),
        };
        results.set(store.name, result);
        const provider = options.drill.targets[store.name] ? external : main;
        const t0 = Date.now();
        let sandbox: Sandbox;
        try {
          sandbox = await provider.provision({ store, capture });
        } catch (err) {
          result.restore.error = `no sandbox: ${(err as Error).message}`;
          failures.push(`${store.name}: no sandbox (${provider.name} provider): ${(err as Error).message}`);
          return;
        }
        sandboxes.set(store.name, sandbox);
        if (interrupted) {
          await sandbox.dispose();
          throw new BackdrillError('fatal', `drill interrupted (${interrupted})`);
        }
        result.provisionMs = Date.now() - t0;
        result.sandbox = { provider: sandbox.provider, version: sandbox.version };
        log(
          `drill: ${store.name}: ${sandbox.provider} sandbox ${sandbox.version} up in ${result.provisionMs} ms, restoring`,
        );
        const effective = { ...store, ...sandbox.config } as StoreConfig;
        const t1 = Date.now();
        try {
          await withTimeout(
            restoreStore(repo, effective, snapshot, { target: sandbox.target, force: false }),
            timeoutMs,
            `restore of ${store.name}`,
          );
          result.restore.ok = true;
          result.restore.ms = Date.now() - t1;
          log(`drill: ${store.name}: restored in ${result.restore.ms} ms`);
          await options.afterRestore?.(store, sandbox);
        } catch (err) {
          result.restore.ms = Date.now() - t1;
          result.restore.error = (err as Error).message.split('\n')[0]!;
          if (err instanceof IncompleteRestoreError) result.restore.failures = err.failures;
          failures.push(`${store.name}: restore failed: ${result.restore.error}`);
        }
      }),
    );
    const rtoMs = Date.now() - started.getTime();

    // Fingerprints: the restored data must be exactly what was backed up.
    for (const { store, snapshot } of drillStores) {
      const result = results.get(store.name)!;
      const sandbox = sandboxes.get(store.name);
      if (!result.restore.ok || !sandbox) continue;
      if (!snapshot.fingerprint) {
        warnings.push(`${store.name}: the snapshot has no fingerprint; the restore was not compared`);
        continue;
      }
      let diffs: FingerprintDifference[];
      try {
        diffs = await compareStore(repo, { ...store, ...sandbox.config } as StoreConfig, snapshot, sandbox.target);
      } catch (err) {
        failures.push(`${store.name}: could not fingerprint the restored copy: ${(err as Error).message}`);
        continue;
      }
      result.fingerprint = { ok: diffs.length === 0, compared: true, differences: diffs };
      for (const d of diffs.slice(0, 10)) failures.push(`${store.name}: ${d.message}`);
      if (diffs.length > 10) failures.push(`${store.name}: ... and ${diffs.length - 10} more differences`);
    }

    const targetOf = (name: string): QueryTarget | undefined => {
      const d = drillStores.find((x) => x.store.name === name);
      const sandbox = sandboxes.get(name);
      if (!d || !sandbox || !results.get(name)?.restore.ok) return undefined;
      const databases = d.snapshot.artifacts
        .map((a) => /^databases\/([^/]+?)(?:\.dump|\/.*)$/.exec(a.name)?.[1])
        .filter((x): x is string => x !== undefined)
        .map(decodeURIComponent);
      return {
        store: { ...d.store, ...sandbox.config } as StoreConfig,
        url: sandbox.target,
        databases: [...new Set(databases)],
      };
    };
    const checks: CheckResult[] = [];
    for (const c of options.checks.checks) {
      const t = targetOf(c.store);
      const res: CheckResult = { name: c.name, kind: 'query', stores: [c.store], ok: false, message: '', samples: [] };
      if (!t) res.message = `store ${c.store} is not in the drill or did not restore`;
      else {
        try {
          const rows = await queryAll(c, t);
          const why = judge(c.expect, rows);
          res.ok = why === undefined;
          res.message = why ?? `ok (${JSON.stringify(rows[0]?.[0] ?? null)})`;
        } catch (err) {
          res.message = `query failed: ${(err as Error).message}`;
        }
      }
      checks.push(res);
      if (!res.ok) failures.push(`check "${c.name}": ${res.message}`);
    }
    for (const r of options.checks.rules) {
      const [lt, rt] = [targetOf(r.left.store), targetOf(r.right.store)];
      const res: CheckResult = {
        name: r.name,
        kind: 'rule',
        stores: [...new Set([r.left.store, r.right.store])],
        ok: false,
        message: '',
        samples: [],
      };
      if (!lt || !rt)
        res.message = `store ${!lt ? r.left.store : r.right.store} is not in the drill or did not restore`;
      else {
        try {
          const cmp = await compareKeySets(queryKeys(r.left, lt), queryKeys(r.right, rt));
          res.counts = {
            left: cmp.left,
            right: cmp.right,
            common: cmp.common,
            onlyLeft: cmp.onlyLeft.count,
            onlyRight: cmp.onlyRight.count,
          };
          const L = `${r.left.store}`;
          const R = `${r.right.store}`;
          if (r.kind === 'disjoint') {
            res.ok = cmp.common === 0;
            res.samples = cmp.both.samples;
            res.message = res.ok
              ? `ok: no key in both (${cmp.left} / ${cmp.right})`
              : `${cmp.common} key(s) in both ${L} and ${R}`;
          } else {
            const missingRight = cmp.onlyLeft.count;
            const missingLeft = r.kind === 'equal' ? cmp.onlyRight.count : 0;
            res.ok = missingRight === 0 && missingLeft === 0;
            res.samples = [...cmp.onlyLeft.samples, ...(r.kind === 'equal' ? cmp.onlyRight.samples : [])].slice(0, 10);
            res.message = res.ok
              ? `ok: ${cmp.left} key(s) in ${L}, ${cmp.right} in ${R}`
              : [
                  missingRight > 0 ? `${missingRight} key(s) in ${L} missing from ${R}` : '',
                  missingLeft > 0 ? `${missingLeft} key(s) in ${R} missing from ${L}` : '',
                ]
                  .filter(Boolean)
                  .join('; ');
          }
        } catch (err) {
          res.message = `query failed: ${(err as Error).message}`;
        }
      }
      checks.push(res);
      if (!res.ok) {
        failures.push(
          `rule "${r.name}": ${res.message}${res.samples.length ? ` (e.g. ${res.samples.join(', ')})` : ''}`,
        );
      }
    }

    const rtoTarget = options.drill.rto ? parseDuration(options.drill.rto) : null;
    const rpoTarget = options.drill.rpo ? parseDuration(options.drill.rpo) : null;
    const captures = [...results.values()].map((r) => Date.parse(r.capturedAt ?? set.time)).filter(Number.isFinite);
    const oldest = Math.min(...captures);
    const rpoMs = Math.max(0, started.getTime() - oldest);
    const skewMs = captures.length > 0 ? Math.max(...captures) - oldest : 0;
    if (rtoTarget !== null && rtoMs > rtoTarget)
      failures.push(`RTO ${rtoMs} ms exceeds the target ${options.drill.rto}`);
    if (rpoTarget !== null && rpoMs > rpoTarget) {
      failures.push(
        `RPO: the backup set is ${Math.round(rpoMs / 60_000)} min old, older than the target ${options.drill.rpo}`,
      );
    }

    const { records } = await readDrillRecords(repo);
    const history = records
      .slice(-19)
      .map((r) => ({ time: r.time, rtoMs: r.rtoMs ?? null, passed: r.result === 'passed' }));
    const finished = new Date();
    const passed = failures.length === 0;
    const report: DrillReport = {
      version: REPORT_VERSION,
      id: randomBytes(16).toString('hex'),
      repository: repo.location,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      passed,
      set: { id: set.id, time: set.time, skewMs },
      stores: drillStores.map(({ store }) => results.get(store.name)!),
      checks,
      rto: { ms: rtoMs, targetMs: rtoTarget, ok: rtoTarget === null || rtoMs <= rtoTarget },
      rpo: { ms: rpoMs, targetMs: rpoTarget, ok: rpoTarget === null || rpoMs <= rpoTarget },
      failures,
      warnings,
      history: [...history, { time: finished.toISOString(), rtoMs, passed }],
    };
    if (options.record !== false) {
      await writeDrillRecord(repo, {
        version: 1,
        time: finished.toISOString(),
        backupSet: set.id,
        snapshots: drillStores.map((d) => d.snapshot.id),
        result: passed ? 'passed' : 'failed',
        rtoMs,
        report,
      });
    }
    return report;
  } finally {
    const problems = await disposeAll(sandboxes.values());
    for (const p of problems) log(`drill: cleanup problem: ${p}`);
    for (const [sig, h] of handlers) process.removeListener(sig, h);
    if (interrupted) process.kill(process.pid, interrupted);
  }
}
