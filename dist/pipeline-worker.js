import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import "./chunks/chunk-Z5ZYMFWM.js";
import "./chunks/chunk-VBP2FRQE.js";
import "./chunks/chunk-B5MALTEK.js";
