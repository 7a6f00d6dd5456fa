import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-2HFBJZJW.js";
import "../chunks/chunk-6FWUTHGK.js";
import "../chunks/chunk-ZSVOUGP2.js";
import "../chunks/chunk-VFODORNR.js";
import "../chunks/chunk-IV4HYMZU.js";
import "../chunks/chunk-VIOPUFMF.js";
import "../chunks/chunk-UJ4HRMPL.js";
import "../chunks/chunk-VE5GNPSS.js";
import "../chunks/chunk-MQRRPXXI.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await run();
