import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  openDriver,
  parseNeo4jUrl
} from "./chunk-DDNDN5QO.js";
import "./chunk-FUUBDGB3.js";
import "./chunk-DRSBD567.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  openDriver,
  parseNeo4jUrl
};
