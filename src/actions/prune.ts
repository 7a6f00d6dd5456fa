// The prune action: forget snapshots by the retention section of backdrill.yml (when asked and present), then
// delete the data no snapshot references, under the exclusive lock. The same runRetention as `backdrill forget`.
import * as core from '@actions/core';
import { formatPath } from '../config/load.ts';
import { UsageError } from '../errors.ts';
import { hasKeepRule, normalizePolicy, parseGrace, RetentionPolicy } from '../retention/policy.ts';
import { runRetention } from '../retention/prune.ts';
import { boolInput, input, log, prepare, runAction, withRepo, writeReport, writeSummary } from './common.ts';
import { Input, Output } from './names.ts';
import { type PruneReport, renderPrune } from './summary.ts';

export async function run(): Promise<void> {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const forget = boolInput(Input.forget, true);
    const dryRun = boolInput(Input.dryRun, false);
    const graceText = input(Input.grace).trim() || '1h';
    const grace = parseGrace(graceText);
    if (!grace.ok) throw new UsageError(`input ${Input.grace}: ${JSON.stringify(graceText)}: ${grace.message}`);
    let policy: ReturnType<typeof normalizePolicy> | undefined;
    const section = ctx.loaded.config.retention;
    if (forget && section !== undefined) {
      const r = RetentionPolicy.safeParse(section);
      if (!r.success) {
        const issue = r.error.issues[0]!;
        throw new UsageError(
          `${ctx.loaded.path}: ${formatPath(['retention', ...(issue.path as Array<string | number>)])}: ${issue.message}`,
        );
      }
      policy = normalizePolicy(r.data);
      if (!hasKeepRule(policy)) policy = undefined;
    }
    if (forget && policy === undefined) {
      core.info(`${ctx.loaded.path} has no retention keep rules: only collecting unreferenced data`);
    }
    const say = log(secrets);
    const result = await withRepo(ctx, (repo) =>
      runRetention(repo, {
        ...(policy ? { policy } : {}),
        collect: true,
        graceMs: grace.value,
        dryRun,
        onEvent: (e) => {
          if (e.phase === 'planned') say(`plan: forget ${e.forget}, keep ${e.keep}, free about ${e.bytes} bytes`);
        },
      }),
    );
    const report: PruneReport = {
      kind: 'prune',
      dry_run: result.dryRun,
      forgotten: (result.plan?.decisions ?? [])
        .filter((d) => !d.keep)
        .map((d) => ({ id: d.snapshot.id, store: d.snapshot.store.name, time: d.snapshot.time, reasons: d.reasons })),
      kept: result.plan?.keep.length ?? 0,
      deleted: {
        snapshots: result.deleted.snapshots,
        chunks: result.deleted.chunks,
        bytes_freed: result.deleted.bytesFreed,
      },
      estimate_bytes_freed: result.estimate.bytesFreed,
      warnings: result.warnings,
    };
    for (const w of result.warnings) core.warning(secrets.redact(w));
    core.setOutput(Output.snapshotsForgotten, String(result.deleted.snapshots));
    core.setOutput(Output.bytesFreed, String(result.deleted.bytesFreed));
    writeReport(secrets, 'prune', report);
    await writeSummary(secrets, renderPrune(report));
  });
}
