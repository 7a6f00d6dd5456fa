import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import "./chunks/chunk-3HL227LM.js";
import "./chunks/chunk-RYF7I4WH.js";
