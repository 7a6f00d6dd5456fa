import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  SET_ID,
  run
} from "./chunk-BGTLTYVZ.js";
import "./chunk-T4JYJ77N.js";
import "./chunk-YWHSHFRQ.js";
import "./chunk-WZUADBBX.js";
import "./chunk-M6DXLVJN.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-PLXOO25G.js";
import "./chunk-YSMOHUVA.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  SET_ID,
  run
};
