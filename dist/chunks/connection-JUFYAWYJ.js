import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  openDriver,
  parseNeo4jUrl
} from "./chunk-34KSGINN.js";
import "./chunk-HKU3GRIB.js";
import "./chunk-CP36Y5BJ.js";
import "./chunk-RYF7I4WH.js";
export {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  openDriver,
  parseNeo4jUrl
};
