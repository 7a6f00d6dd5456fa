import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  SET_ID,
  run
} from "./chunk-XC6TDWVR.js";
import "./chunk-TNO72XGN.js";
import "./chunk-DISZ7KPF.js";
import "./chunk-DSUULOP4.js";
import "./chunk-D2P2U6N5.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-YW7WQE7Z.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  SET_ID,
  run
};
