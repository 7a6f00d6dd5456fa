import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  require_dist_cjs
} from "./chunk-2KIMIVXV.js";
import "./chunk-5WQ3MCJ2.js";
import "./chunk-RYF7I4WH.js";
export default require_dist_cjs();
