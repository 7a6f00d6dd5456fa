// The backup action: back up the selected stores of backdrill.yml into one backup set, then outputs, the job
// summary, the report JSON and the issue alert.
import * as core from '@actions/core';
import { UsageError } from '../errors.ts';
import { backupSet } from '../stores/set.ts';
import {
  alertFromInputs,
  failureMessage,
  input,
  listInput,
  log,
  prepare,
  runAction,
  selectStores,
  withRepo,
  writeReport,
  writeSummary,
} from './common.ts';
import { Input, Output } from './names.ts';
import { backupReport, dedupRatio, renderBackup } from './summary.ts';

const TAG = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;
export const SET_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function run(): Promise<void> {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const stores = selectStores(ctx);
    const tags = listInput(Input.tags);
    for (const t of tags) {
      if (!TAG.test(t))
        throw new UsageError(`input ${Input.tags}: ${JSON.stringify(t)}: use letters, digits and . _ @ + = -`);
    }
    const set = input(Input.set).trim();
    if (set !== '' && !SET_ID.test(set)) {
      throw new UsageError(
        `input ${Input.set}: ${JSON.stringify(set)} is not a backup set ID`,
        'use up to 64 letters, digits and . _ -',
      );
    }
    let result: Awaited<ReturnType<typeof backupSet>> | undefined;
    let failure: unknown;
    try {
      result = await withRepo(
        ctx,
        (repo) =>
          backupSet(repo, ctx.loaded.config, stores, {
            tags,
            ...(set ? { backupSet: set } : {}),
            env: process.env,
            log: log(secrets),
          }),
        { pipeline: true },
      );
    } catch (err) {
      failure = err;
    }
    const report = backupReport(
      result?.backupSet ?? null,
      result?.snapshots ?? [],
      failure === undefined ? null : failureMessage(failure, secrets),
    );
    for (const s of report.snapshots) for (const w of s.warnings) core.warning(secrets.redact(`${s.store}: ${w}`));
    const processed = report.snapshots.reduce((n, s) => n + s.bytes_processed, 0);
    const added = report.snapshots.reduce((n, s) => n + s.bytes_added, 0);
    core.setOutput(
      Output.snapshotIds,
      JSON.stringify(Object.fromEntries(report.snapshots.map((s) => [s.store, s.snapshot_id]))),
    );
    core.setOutput(Output.setId, report.backup_set ?? '');
    core.setOutput(Output.bytesAdded, String(added));
    core.setOutput(Output.dedupRatio, dedupRatio(processed, added));
    core.setOutput(Output.passed, String(report.passed));
    writeReport(secrets, 'backup', report);
    const markdown = renderBackup(report);
    await writeSummary(secrets, markdown);
    await alertFromInputs(
      secrets,
      { kind: 'backup', stores: stores.map((s) => s.name).join(',') },
      {
        ok: report.passed,
        details: markdown,
      },
    );
    if (failure !== undefined) throw failure;
  });
}
