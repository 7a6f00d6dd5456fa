import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-QXYWQXSL.js";
import "../chunks/chunk-EJ7IKDFZ.js";
import "../chunks/chunk-VCHPEWPM.js";
import "../chunks/chunk-XZBAV3YV.js";
import "../chunks/chunk-3VO2ZCRP.js";
import "../chunks/chunk-ESOGPMRP.js";
import "../chunks/chunk-6TID4OO3.js";
import "../chunks/chunk-HVWSNP3H.js";
import "../chunks/chunk-DRSBD567.js";
import "../chunks/chunk-GDLVYUA7.js";
import "../chunks/chunk-KTEVNYR4.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await run();
