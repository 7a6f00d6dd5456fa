import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import "./chunks/chunk-O6F2GSRM.js";
import "./chunks/chunk-RYF7I4WH.js";
