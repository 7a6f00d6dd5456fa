import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  runCommand
} from "./chunks/chunk-3UM53NOK.js";
import "./chunks/chunk-VBP2FRQE.js";
import "./chunks/chunk-B5MALTEK.js";

// src/cli/index.ts
await runCommand(
  new URL(import.meta.url),
  async (proc) => (await import("./chunks/main-GEEW5ON4.js")).main(process.argv.slice(2), {
    get stdin() {
      return proc.stdin;
    },
    stdinDisposable: true,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: proc.interactive
  })
);
