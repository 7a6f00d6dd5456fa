import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  runCommand
} from "../chunks/chunk-3UM53NOK.js";
import "../chunks/chunk-VBP2FRQE.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/restore-drill.ts
await runCommand(new URL(import.meta.url), async () => (await import("../chunks/restore-drill-3CIO7XDQ.js")).run());
