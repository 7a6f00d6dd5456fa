import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);
import {
  run
} from "../chunks/chunk-B6NJO5KF.js";
import "../chunks/chunk-K2Y67KZF.js";
import "../chunks/chunk-SEDZ4RLS.js";
import "../chunks/chunk-BM4BGG64.js";
import "../chunks/chunk-YYWBD42M.js";
import "../chunks/chunk-3HL227LM.js";
import "../chunks/chunk-5WQ3MCJ2.js";
import "../chunks/chunk-RYF7I4WH.js";

// src/actions/entry/backup.ts
await run();
