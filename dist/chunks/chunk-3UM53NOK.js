import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  MAPPED_FROM
} from "./chunk-VBP2FRQE.js";

// src/command-process.ts
import { createReadStream } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
var ROLE = "backdrill-command";
var YOUNG_GENERATION_MIB = 32;
var SEMI_SPACE_MIB = YOUNG_GENERATION_MIB / 2;
var SEMI_SPACE_FLAGS = [`--max-semi-space-size=${SEMI_SPACE_MIB}`, `--min-semi-space-size=${SEMI_SPACE_MIB}`];
var HEAP_GROWING_PERCENT = 50;
var MARKING_SOFT_PERCENT = 85;
var MARKING_HARD_PERCENT = 95;
var MALLOC_TUNABLES = `glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=${MAPPED_FROM}:glibc.malloc.hugetlb=1`;
var TUNED = "BACKDRILL_TUNED";
var SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"];
async function runCommand(entry, command) {
  const data = workerData;
  if (isMainThread) {
    const capped = tuneProcess();
    if (!nodeFlags().some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) {
      setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    }
    if (!nodeFlags().some((a) => /^--incremental[-_]marking[-_](soft|hard)[-_]trigger\b/.test(a))) {
      setFlagsFromString(`--incremental-marking-soft-trigger=${MARKING_SOFT_PERCENT}`);
      setFlagsFromString(`--incremental-marking-hard-trigger=${MARKING_HARD_PERCENT}`);
    }
    if (!capped || process.env.BACKDRILL_COMMAND_THREAD === "1") {
      process.exitCode = await relay(entry);
      return;
    }
  } else if (data?.role !== ROLE) {
    return;
  } else {
    listenForSignals();
  }
  let stdin;
  const proc = {
    get stdin() {
      stdin ??= isMainThread ? process.stdin : createReadStream("", { fd: 0, autoClose: false });
      return stdin;
    },
    interactive: isMainThread ? process.stderr.isTTY === true : data?.interactive === true
  };
  const code = await command(proc);
  if (typeof code === "number") process.exitCode = code;
}
function nodeFlags() {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
}
function tuneProcess() {
  const env = process.env;
  const original = env[TUNED];
  if (original !== void 0) {
    delete env[TUNED];
    if (original === "") delete env.GLIBC_TUNABLES;
    else env.GLIBC_TUNABLES = original;
    return true;
  }
  const semiGiven = nodeFlags().some((a) => /^--max[-_]semi[-_]space[-_]size\b/.test(a));
  const userMalloc = /glibc\.malloc\./.test(env.GLIBC_TUNABLES ?? "") || Object.keys(env).some((k) => k.startsWith("MALLOC_"));
  const malloc = process.platform === "linux" && env.BACKDRILL_MALLOC_TUNABLES !== "0" && !userMalloc;
  const execve = process.execve;
  if (semiGiven && !malloc || typeof execve !== "function") return semiGiven;
  const flags = semiGiven ? [] : SEMI_SPACE_FLAGS;
  const tunables = malloc ? [env.GLIBC_TUNABLES, MALLOC_TUNABLES].filter(Boolean).join(":") : env.GLIBC_TUNABLES;
  try {
    execve.call(
      process,
      process.execPath,
      [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)],
      {
        ...env,
        ...tunables === void 0 ? {} : { GLIBC_TUNABLES: tunables },
        [TUNED]: env.GLIBC_TUNABLES ?? ""
      }
    );
  } catch {
  }
  return semiGiven;
}
function relay(entry) {
  const data = { role: ROLE, interactive: process.stderr.isTTY === true };
  const worker = new Worker(entry, {
    argv: process.argv.slice(2),
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB }
  });
  const forward = (signal) => worker.postMessage({ signal });
  const stopRelaying = () => {
    for (const s of SIGNALS) process.removeListener(s, forward);
  };
  for (const s of SIGNALS) process.on(s, forward);
  worker.on("message", (m) => {
    if (!m.unhandledSignal) return;
    stopRelaying();
    process.kill(process.pid, m.unhandledSignal);
  });
  return new Promise((resolve) => {
    worker.once("error", (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}
`);
    });
    worker.once("exit", (code) => {
      stopRelaying();
      resolve(code);
    });
  });
}
function listenForSignals() {
  const port = parentPort;
  port.on("message", (m) => {
    if (!m.signal) return;
    if (process.listenerCount(m.signal) > 0) process.emit(m.signal, m.signal);
    else port.postMessage({ unhandledSignal: m.signal });
  });
  port.unref();
}

export {
  runCommand
};
