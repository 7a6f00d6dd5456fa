// The restore-drill action: runDrill over the selected stores, then outputs, the job summary (the same report
// `backdrill drill --json` prints, rendered by src/report/markdown.ts), the report JSON and the issue alert.
import { dirname } from 'node:path';
import * as core from '@actions/core';
import { loadChecks } from '../drill/checks.ts';
import { runDrill } from '../drill/runner.ts';
import { ProviderName } from '../drill/sandbox.ts';
import { BackdrillError, UsageError } from '../errors.ts';
import { renderMarkdown } from '../report/markdown.ts';
import type { DrillReport } from '../report/report.ts';
import { SET_ID } from './backup.ts';
import {
  alertFromInputs,
  failureMessage,
  input,
  log,
  prepare,
  runAction,
  selectStores,
  withRepo,
  writeReport,
  writeSummary,
} from './common.ts';
import { Input, Output } from './names.ts';

export async function run(): Promise<void> {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const stores = selectStores(ctx);
    const set = input(Input.set).trim();
    if (set !== '' && !SET_ID.test(set)) {
      throw new UsageError(
        `input ${Input.set}: ${JSON.stringify(set)} is not a backup set ID or prefix`,
        'see the set-id output of the backup action',
      );
    }
    const drill = { ...ctx.loaded.config.drill };
    const provider = input(Input.provider).trim();
    if (provider !== '') {
      const p = ProviderName.safeParse(provider);
      if (!p.success)
        throw new UsageError(
          `input ${Input.provider}: ${JSON.stringify(provider)}: use local, external or testcontainers`,
        );
      drill.provider = p.data;
    }
    const checks = loadChecks(drill.checks, dirname(ctx.loaded.path));
    const alertKey = { kind: 'restore-drill', stores: stores.map((s) => s.name).join(',') } as const;
    let report: DrillReport;
    try {
      report = await withRepo(
        ctx,
        (repo) =>
          runDrill(repo, {
            config: { ...ctx.loaded.config, stores },
            drill,
            checks,
            ...(set ? { set } : {}),
            log: log(secrets),
          }),
        { pipeline: true },
      );
    } catch (err) {
      // No report: the drill could not even start (no complete set, no sandbox provider, repository unreadable).
      core.setOutput(Output.passed, 'false');
      const details = `## ❌ Restore drill failed\n\n**Error:** ${failureMessage(err, secrets)}\n`;
      await writeSummary(secrets, details);
      const alert = await alertFromInputs(secrets, alertKey, { ok: false, details });
      if (alert.action !== 'none') core.setOutput(Output.issueUrl, alert.url);
      throw err;
    }
    core.setOutput(Output.passed, String(report.passed));
    core.setOutput(Output.setId, report.set.id ?? '');
    core.setOutput(Output.rtoMs, String(report.rto.ms));
    core.setOutput(Output.rpoMs, String(report.rpo.ms));
    writeReport(secrets, 'restore-drill', report);
    const markdown = renderMarkdown(report);
    await writeSummary(secrets, markdown);
    const alert = await alertFromInputs(secrets, alertKey, {
      ok: report.passed,
      details: markdown,
    });
    if (alert.action !== 'none') core.setOutput(Output.issueUrl, alert.url);
    if (!report.passed) {
      throw new BackdrillError(
        'integrity',
        `restore drill failed: ${report.failures.length} failure(s)\n${report.failures.slice(0, 10).join('\n')}`,
      );
    }
  });
}
