import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-YKN2Q7M3.js";
import "../chunks/chunk-G53VE5GH.js";
import "../chunks/chunk-NL6LVGTK.js";
import "../chunks/chunk-Q43U3EN7.js";
import "../chunks/chunk-ZJKHPXKN.js";
import {
  runOnCommandThread
} from "../chunks/chunk-SWXFE2HN.js";
import "../chunks/chunk-UJ4HRMPL.js";
import "../chunks/chunk-HI5IRQ64.js";
import "../chunks/chunk-DRSBD567.js";
import "../chunks/chunk-JWLGMJSM.js";
import "../chunks/chunk-KTEVNYR4.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await runOnCommandThread(new URL(import.meta.url), run);
