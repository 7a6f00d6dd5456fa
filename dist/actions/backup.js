import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-BQX2EI5L.js";
import "../chunks/chunk-NGSPKULI.js";
import "../chunks/chunk-4AFI7HOT.js";
import "../chunks/chunk-XZBAV3YV.js";
import "../chunks/chunk-MQ72XIWK.js";
import {
  runOnCommandThread
} from "../chunks/chunk-XB6YRL7X.js";
import "../chunks/chunk-6TID4OO3.js";
import "../chunks/chunk-HVWSNP3H.js";
import "../chunks/chunk-DRSBD567.js";
import "../chunks/chunk-JWLGMJSM.js";
import "../chunks/chunk-KTEVNYR4.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await runOnCommandThread(new URL(import.meta.url), run);
