import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  parseSubset,
  verifyRepository
} from "./chunk-J5TL6YBE.js";
import {
  Input,
  Output,
  alertFromInputs,
  failureMessage,
  input,
  prepare,
  renderVerify,
  runAction,
  setOutput,
  verifyReport,
  withRepo,
  writeReport,
  writeSummary
} from "./chunk-6FX4M3XJ.js";
import {
  withLock
} from "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import {
  BackdrillError,
  UsageError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/actions/verify.ts
function subsetInput() {
  const text = input(Input.readDataSubset).trim();
  if (text === "") return void 0;
  if (text === "all") return { kind: "all" };
  try {
    return parseSubset(text);
  } catch {
    throw new UsageError(
      `input ${Input.readDataSubset}: ${JSON.stringify(text)} is not a subset`,
      "use all, n/t (e.g. 1/7) or N% (e.g. 10%)"
    );
  }
}
async function run() {
  await runAction(async (secrets) => {
    const ctx = prepare(secrets);
    const subset = subsetInput();
    let result = null;
    let failure;
    try {
      result = await withRepo(
        ctx,
        (repo) => withLock(
          repo,
          "shared",
          { operation: "verify" },
          () => verifyRepository(repo, { readData: subset !== void 0, ...subset ? { subset } : {} })
        ),
        { pipeline: subset !== void 0 }
      );
    } catch (err) {
      failure = err;
    }
    const report = verifyReport(
      result,
      input(Input.readDataSubset).trim() || null,
      failure === void 0 ? null : failureMessage(failure, secrets)
    );
    setOutput(Output.passed, String(report.passed));
    writeReport(secrets, "verify", report);
    const markdown = renderVerify(report);
    await writeSummary(secrets, markdown);
    await alertFromInputs(secrets, { kind: "verify", stores: "repository" }, { ok: report.passed, details: markdown });
    if (failure !== void 0) throw failure;
    if (!report.passed) {
      throw new BackdrillError(
        "integrity",
        `the repository is damaged: ${report.errors.length} error(s), see the job summary`
      );
    }
  });
}
export {
  run
};
