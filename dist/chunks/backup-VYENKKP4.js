import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  SET_ID,
  run
} from "./chunk-F65IF7D7.js";
import "./chunk-LPFZ2O6S.js";
import "./chunk-XG3RMV6I.js";
import "./chunk-Y4L4JNYV.js";
import "./chunk-UXCLP24O.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-KAY47ALR.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  SET_ID,
  run
};
