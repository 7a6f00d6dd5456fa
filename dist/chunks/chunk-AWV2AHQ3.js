import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  external_exports
} from "./chunk-HI5IRQ64.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/stores/types.ts
var CapturePoint = external_exports.object({
  /** ISO time the data is consistent as of (snapshot export time, transaction start, ...). */
  at: external_exports.string(),
  /** Server version string as reported by the server (drills provision the same version). */
  serverVersion: external_exports.string(),
  /** Store-specific detail: LSN, snapshot id, database list, edition, export counts before/after, ... */
  details: external_exports.record(external_exports.string(), external_exports.unknown())
});
var IncompleteRestoreError = class extends BackdrillError {
  constructor(summary, failures) {
    const shown = failures.slice(0, 20).map((f) => `
  - ${f}`).join("");
    const more = failures.length > 20 ? `
  ... and ${failures.length - 20} more` : "";
    super("integrity", `${summary}:${shown}${more}`, {
      hint: "the target holds a partial restore: do not use it; fix the cause (missing extension, role, version) and restore again"
    });
    this.failures = failures;
    this.name = "IncompleteRestoreError";
  }
  failures;
};

export {
  CapturePoint,
  IncompleteRestoreError
};
