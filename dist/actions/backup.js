import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  run
} from "../chunks/chunk-BDL6F3ZR.js";
import "../chunks/chunk-G64DWBHQ.js";
import "../chunks/chunk-VUMQ6CYS.js";
import "../chunks/chunk-Q43U3EN7.js";
import "../chunks/chunk-M3Q7FU5O.js";
import "../chunks/chunk-I627VL3F.js";
import "../chunks/chunk-UJ4HRMPL.js";
import "../chunks/chunk-HI5IRQ64.js";
import "../chunks/chunk-DRSBD567.js";
import "../chunks/chunk-GDLVYUA7.js";
import "../chunks/chunk-KTEVNYR4.js";
import "../chunks/chunk-B5MALTEK.js";

// src/actions/entry/backup.ts
await run();
