import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  clientConfig,
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
} from "./chunk-XXXEW3IH.js";
import "./chunk-4UYHNTBN.js";
import "./chunk-CP36Y5BJ.js";
import "./chunk-RYF7I4WH.js";
export {
  clientConfig,
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
};
