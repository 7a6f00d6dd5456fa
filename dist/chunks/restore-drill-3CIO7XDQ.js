import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  loadChecks,
  runDrill
} from "./chunk-4NRGZD7G.js";
import "./chunk-VOKAOIH6.js";
import {
  SET_ID
} from "./chunk-VLP4CQR6.js";
import "./chunk-XHNAJU57.js";
import "./chunk-CSRU5HLI.js";
import "./chunk-GFUANP3F.js";
import {
  Input,
  Output,
  alertFromInputs,
  failureMessage,
  input,
  log,
  prepare,
  runAction,
  selectStores,
  setOutput,
  withRepo,
  writeReport,
  writeSummary
} from "./chunk-6FX4M3XJ.js";
import {
  ProviderName,
  renderMarkdown
} from "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-AWV2AHQ3.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import {
  BackdrillError,
  UsageError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/actions/restore-drill.ts
import { dirname } from "node:path";
async function run() {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const stores = selectStores(ctx);
    const set = input(Input.set).trim();
    if (set !== "" && !SET_ID.test(set)) {
      throw new UsageError(
        `input ${Input.set}: ${JSON.stringify(set)} is not a backup set ID or prefix`,
        "see the set-id output of the backup action"
      );
    }
    const drill = { ...ctx.loaded.config.drill };
    const provider = input(Input.provider).trim();
    if (provider !== "") {
      const p = ProviderName.safeParse(provider);
      if (!p.success)
        throw new UsageError(
          `input ${Input.provider}: ${JSON.stringify(provider)}: use local, external or testcontainers`
        );
      drill.provider = p.data;
    }
    const checks = loadChecks(drill.checks, dirname(ctx.loaded.path));
    const alertKey = { kind: "restore-drill", stores: stores.map((s) => s.name).join(",") };
    let report;
    try {
      report = await withRepo(
        ctx,
        (repo) => runDrill(repo, {
          config: { ...ctx.loaded.config, stores },
          drill,
          checks,
          ...set ? { set } : {},
          log: log(secrets)
        }),
        { pipeline: true }
      );
    } catch (err) {
      setOutput(Output.passed, "false");
      const details = `## \u274C Restore drill failed

**Error:** ${failureMessage(err, secrets)}
`;
      await writeSummary(secrets, details);
      const alert2 = await alertFromInputs(secrets, alertKey, { ok: false, details });
      if (alert2.action !== "none") setOutput(Output.issueUrl, alert2.url);
      throw err;
    }
    setOutput(Output.passed, String(report.passed));
    setOutput(Output.setId, report.set.id ?? "");
    setOutput(Output.rtoMs, String(report.rto.ms));
    setOutput(Output.rpoMs, String(report.rpo.ms));
    writeReport(secrets, "restore-drill", report);
    const markdown = renderMarkdown(report);
    await writeSummary(secrets, markdown);
    const alert = await alertFromInputs(secrets, alertKey, {
      ok: report.passed,
      details: markdown
    });
    if (alert.action !== "none") setOutput(Output.issueUrl, alert.url);
    if (!report.passed) {
      throw new BackdrillError(
        "integrity",
        `restore drill failed: ${report.failures.length} failure(s)
${report.failures.slice(0, 10).join("\n")}`
      );
    }
  });
}
export {
  run
};
