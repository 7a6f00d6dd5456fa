// The restore action (manual restores from workflow_dispatch): one snapshot of one store into its own server or
// a target URL; a non-empty target only with force, after saving it as a safety snapshot.
import * as core from '@actions/core';
import { UsageError } from '../errors.ts';
import { redactLocation } from '../storage/index.ts';
import { restoreStore } from '../stores/run.ts';
import { boolInput, input, prepare, runAction, selectStores, withRepo, writeReport, writeSummary } from './common.ts';
import { Input, Output } from './names.ts';
import { type RestoreReport, renderRestore } from './summary.ts';

export const SNAPSHOT_REF = /^(latest|[0-9a-f]{4,64})$/;

export async function run(): Promise<void> {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    if (input(Input.store).trim() === '') {
      throw new UsageError(
        `input ${Input.store} is required`,
        `stores: ${ctx.loaded.config.stores.map((s) => s.name).join(', ')}`,
      );
    }
    const [store] = selectStores(ctx, Input.store);
    const ref = input(Input.snapshot).trim() || 'latest';
    if (!SNAPSHOT_REF.test(ref)) {
      throw new UsageError(
        `input ${Input.snapshot}: ${JSON.stringify(ref)} is not a snapshot ID`,
        'give "latest", or an ID or unique prefix of at least 4 hex digits',
      );
    }
    const target = input(Input.target).trim();
    secrets.addUrlCredentials(target);
    const force = boolInput(Input.force, false);
    const report = await withRepo(
      ctx,
      async (repo) => {
        const snap = await repo.loadSnapshot(ref, { store: store!.name });
        if (snap.store.name !== store!.name) {
          throw new UsageError(
            `input ${Input.snapshot}: snapshot ${snap.id.slice(0, 8)} belongs to store "${snap.store.name}", not "${store!.name}"`,
          );
        }
        const r = await restoreStore(repo, store!, snap, { ...(target ? { target } : {}), force });
        const out: RestoreReport = {
          kind: 'restore',
          store: store!.name,
          snapshot_id: snap.id,
          target: target ? redactLocation(target) : `the store's own url`,
          duration_ms: r.durationMs,
          phases_s: r.phases ?? {},
          safety_snapshot_id: r.safety?.id ?? null,
          warnings: r.warnings,
        };
        return out;
      },
      { pipeline: true },
    );
    for (const w of report.warnings) core.warning(secrets.redact(w));
    core.setOutput(
      Output.snapshotIds,
      JSON.stringify({
        [report.store]: report.snapshot_id,
        ...(report.safety_snapshot_id ? { safety: report.safety_snapshot_id } : {}),
      }),
    );
    core.setOutput(Output.rtoMs, String(report.duration_ms));
    writeReport(secrets, 'restore', report);
    await writeSummary(secrets, renderRestore(report));
  });
}
