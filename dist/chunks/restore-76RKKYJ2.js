import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  restoreStore
} from "./chunk-CSRU5HLI.js";
import {
  Input,
  Output,
  boolInput,
  input,
  prepare,
  renderRestore,
  runAction,
  selectStores,
  setOutput,
  warning,
  withRepo,
  writeReport,
  writeSummary
} from "./chunk-6FX4M3XJ.js";
import {
  redactLocation
} from "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import {
  UsageError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/actions/restore.ts
var SNAPSHOT_REF = /^(latest|[0-9a-f]{4,64})$/;
async function run() {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    if (input(Input.store).trim() === "") {
      throw new UsageError(
        `input ${Input.store} is required`,
        `stores: ${ctx.loaded.config.stores.map((s) => s.name).join(", ")}`
      );
    }
    const [store] = selectStores(ctx, Input.store);
    const ref = input(Input.snapshot).trim() || "latest";
    if (!SNAPSHOT_REF.test(ref)) {
      throw new UsageError(
        `input ${Input.snapshot}: ${JSON.stringify(ref)} is not a snapshot ID`,
        'give "latest", or an ID or unique prefix of at least 4 hex digits'
      );
    }
    const target = input(Input.target).trim();
    secrets.addUrlCredentials(target);
    const force = boolInput(Input.force, false);
    const report = await withRepo(
      ctx,
      async (repo) => {
        const snap = await repo.loadSnapshot(ref, { store: store.name });
        if (snap.store.name !== store.name) {
          throw new UsageError(
            `input ${Input.snapshot}: snapshot ${snap.id.slice(0, 8)} belongs to store "${snap.store.name}", not "${store.name}"`
          );
        }
        const r = await restoreStore(repo, store, snap, { ...target ? { target } : {}, force });
        const out = {
          kind: "restore",
          store: store.name,
          snapshot_id: snap.id,
          target: target ? redactLocation(target) : `the store's own url`,
          duration_ms: r.durationMs,
          phases_s: r.phases ?? {},
          safety_snapshot_id: r.safety?.id ?? null,
          warnings: r.warnings
        };
        return out;
      },
      { pipeline: true }
    );
    for (const w of report.warnings) warning(secrets.redact(w));
    setOutput(
      Output.snapshotIds,
      JSON.stringify({
        [report.store]: report.snapshot_id,
        ...report.safety_snapshot_id ? { safety: report.safety_snapshot_id } : {}
      })
    );
    setOutput(Output.rtoMs, String(report.duration_ms));
    writeReport(secrets, "restore", report);
    await writeSummary(secrets, renderRestore(report));
  });
}
export {
  SNAPSHOT_REF,
  run
};
