import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  SET_ID,
  run
} from "./chunk-VLP4CQR6.js";
import "./chunk-XHNAJU57.js";
import "./chunk-CSRU5HLI.js";
import "./chunk-6FX4M3XJ.js";
import "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  SET_ID,
  run
};
