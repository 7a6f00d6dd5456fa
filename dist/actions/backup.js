import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-WLWF5OZT.js";
import "../chunks/chunk-5WVPHB5B.js";
import "../chunks/chunk-C6MTPPI3.js";
import "../chunks/chunk-JCMCF365.js";
import "../chunks/chunk-EM6YDZZJ.js";
import "../chunks/chunk-3HL227LM.js";
import "../chunks/chunk-5WQ3MCJ2.js";
import "../chunks/chunk-RYF7I4WH.js";

// src/actions/entry/backup.ts
await run();
