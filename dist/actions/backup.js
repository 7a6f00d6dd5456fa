import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-OYU3SBED.js";
import "../chunks/chunk-FZQRFWP5.js";
import "../chunks/chunk-FYM3WHKA.js";
import "../chunks/chunk-QLW5RLIF.js";
import "../chunks/chunk-H3FWMOX3.js";
import "../chunks/chunk-MXRH4OYI.js";
import "../chunks/chunk-UJ4HRMPL.js";
import "../chunks/chunk-HI5IRQ64.js";
import "../chunks/chunk-GDLVYUA7.js";
import "../chunks/chunk-KTEVNYR4.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await run();
