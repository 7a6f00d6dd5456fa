import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  clientConfig,
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
} from "./chunk-HUFRQN54.js";
import "./chunk-FS2CS4WN.js";
import "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";
export {
  clientConfig,
  connect,
  describeConn,
  libpqEnv,
  parsePgUrl,
  withDatabase
};
