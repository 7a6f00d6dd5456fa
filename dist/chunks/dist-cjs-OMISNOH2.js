import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  require_dist_cjs
} from "./chunk-U4NIQOUT.js";
import "./chunk-MQRRPXXI.js";
import "./chunk-B5MALTEK.js";
export default require_dist_cjs();
