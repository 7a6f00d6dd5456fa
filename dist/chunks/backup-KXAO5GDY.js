import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  SET_ID,
  run
} from "./chunk-FLY6DC2L.js";
import "./chunk-4C7KSGSC.js";
import "./chunk-5TR53FL3.js";
import "./chunk-5SMEGHCH.js";
import "./chunk-PRCNDLYT.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-FGNW4DYF.js";
import "./chunk-V4PBMTIV.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  SET_ID,
  run
};
