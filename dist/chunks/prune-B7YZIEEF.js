import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  runRetention
} from "./chunk-HAJ43HKX.js";
import "./chunk-GFUANP3F.js";
import {
  Input,
  Output,
  boolInput,
  info,
  input,
  log,
  prepare,
  renderPrune,
  runAction,
  setOutput,
  warning,
  withRepo,
  writeReport,
  writeSummary
} from "./chunk-6FX4M3XJ.js";
import {
  RetentionPolicy,
  formatPath,
  hasKeepRule,
  normalizePolicy,
  parseGrace
} from "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import {
  UsageError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/actions/prune.ts
async function run() {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const forget = boolInput(Input.forget, true);
    const dryRun = boolInput(Input.dryRun, false);
    const graceText = input(Input.grace).trim() || "1h";
    const grace = parseGrace(graceText);
    if (!grace.ok) throw new UsageError(`input ${Input.grace}: ${JSON.stringify(graceText)}: ${grace.message}`);
    let policy;
    const section = ctx.loaded.config.retention;
    if (forget && section !== void 0) {
      const r = RetentionPolicy.safeParse(section);
      if (!r.success) {
        const issue = r.error.issues[0];
        throw new UsageError(
          `${ctx.loaded.path}: ${formatPath(["retention", ...issue.path])}: ${issue.message}`
        );
      }
      policy = normalizePolicy(r.data);
      if (!hasKeepRule(policy)) policy = void 0;
    }
    if (forget && policy === void 0) {
      info(`${ctx.loaded.path} has no retention keep rules: only collecting unreferenced data`);
    }
    const say = log(secrets);
    const result = await withRepo(
      ctx,
      (repo) => runRetention(repo, {
        ...policy ? { policy } : {},
        collect: true,
        graceMs: grace.value,
        dryRun,
        onEvent: (e) => {
          if (e.phase === "planned") say(`plan: forget ${e.forget}, keep ${e.keep}, free about ${e.bytes} bytes`);
        }
      })
    );
    const report = {
      kind: "prune",
      dry_run: result.dryRun,
      forgotten: (result.plan?.decisions ?? []).filter((d) => !d.keep).map((d) => ({ id: d.snapshot.id, store: d.snapshot.store.name, time: d.snapshot.time, reasons: d.reasons })),
      kept: result.plan?.keep.length ?? 0,
      deleted: {
        snapshots: result.deleted.snapshots,
        chunks: result.deleted.chunks,
        bytes_freed: result.deleted.bytesFreed
      },
      estimate_bytes_freed: result.estimate.bytesFreed,
      warnings: result.warnings
    };
    for (const w of result.warnings) warning(secrets.redact(w));
    setOutput(Output.snapshotsForgotten, String(result.deleted.snapshots));
    setOutput(Output.bytesFreed, String(result.deleted.bytesFreed));
    writeReport(secrets, "prune", report);
    await writeSummary(secrets, renderPrune(report));
  });
}
export {
  run
};
