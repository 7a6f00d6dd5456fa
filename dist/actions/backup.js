import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-DUXSD5NB.js";
import "../chunks/chunk-IYB2H37R.js";
import "../chunks/chunk-CI74ODQA.js";
import "../chunks/chunk-TRDV4VPJ.js";
import "../chunks/chunk-NWGLZTTN.js";
import "../chunks/chunk-EPKRC6XN.js";
import "../chunks/chunk-ZEG3SLPU.js";
import "../chunks/chunk-O6F2GSRM.js";
import "../chunks/chunk-CP36Y5BJ.js";
import "../chunks/chunk-RYF7I4WH.js";

// src/actions/entry/backup.ts
await run();
