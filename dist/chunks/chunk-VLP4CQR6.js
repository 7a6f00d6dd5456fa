import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  backupSet
} from "./chunk-XHNAJU57.js";
import {
  Input,
  Output,
  alertFromInputs,
  backupReport,
  dedupRatio,
  failureMessage,
  input,
  listInput,
  log,
  prepare,
  renderBackup,
  runAction,
  selectStores,
  setOutput,
  warning,
  withRepo,
  writeReport,
  writeSummary
} from "./chunk-6FX4M3XJ.js";
import {
  UsageError
} from "./chunk-KTEVNYR4.js";

// src/actions/backup.ts
var TAG = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;
var SET_ID = /^[A-Za-z0-9._-]{1,64}$/;
async function run() {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const stores = selectStores(ctx);
    const tags = listInput(Input.tags);
    for (const t of tags) {
      if (!TAG.test(t))
        throw new UsageError(`input ${Input.tags}: ${JSON.stringify(t)}: use letters, digits and . _ @ + = -`);
    }
    const set = input(Input.set).trim();
    if (set !== "" && !SET_ID.test(set)) {
      throw new UsageError(
        `input ${Input.set}: ${JSON.stringify(set)} is not a backup set ID`,
        "use up to 64 letters, digits and . _ -"
      );
    }
    let result;
    let failure;
    try {
      result = await withRepo(
        ctx,
        (repo) => backupSet(repo, ctx.loaded.config, stores, {
          tags,
          ...set ? { backupSet: set } : {},
          env: process.env,
          log: log(secrets)
        }),
        { pipeline: true }
      );
    } catch (err) {
      failure = err;
    }
    const report = backupReport(
      result?.backupSet ?? null,
      result?.snapshots ?? [],
      failure === void 0 ? null : failureMessage(failure, secrets)
    );
    for (const s of report.snapshots) for (const w of s.warnings) warning(secrets.redact(`${s.store}: ${w}`));
    const processed = report.snapshots.reduce((n, s) => n + s.bytes_processed, 0);
    const added = report.snapshots.reduce((n, s) => n + s.bytes_added, 0);
    setOutput(
      Output.snapshotIds,
      JSON.stringify(Object.fromEntries(report.snapshots.map((s) => [s.store, s.snapshot_id])))
    );
    setOutput(Output.setId, report.backup_set ?? "");
    setOutput(Output.bytesAdded, String(added));
    setOutput(Output.dedupRatio, dedupRatio(processed, added));
    setOutput(Output.passed, String(report.passed));
    writeReport(secrets, "backup", report);
    const markdown = renderBackup(report);
    await writeSummary(secrets, markdown);
    await alertFromInputs(
      secrets,
      { kind: "backup", stores: stores.map((s) => s.name).join(",") },
      {
        ok: report.passed,
        details: markdown
      }
    );
    if (failure !== void 0) throw failure;
  });
}

export {
  SET_ID,
  run
};
