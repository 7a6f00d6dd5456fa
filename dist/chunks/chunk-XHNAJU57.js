import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  backupStore
} from "./chunk-CSRU5HLI.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/stores/set.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
async function runHook(command, phase, log, env) {
  const child = spawn("/bin/sh", ["-c", command], { env, stdio: ["ignore", "pipe", "pipe"] });
  const forward = (d) => {
    for (const l of d.toString().split("\n")) if (l) log(`${phase} hook: ${l}`);
  };
  child.stdout.on("data", forward);
  child.stderr.on("data", forward);
  const code = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) {
    throw new BackdrillError("fatal", `${phase} hook failed with exit code ${code}: ${command}`, {
      hint: phase === "pre" ? "nothing was backed up" : "the snapshots were saved; check that writers resumed"
    });
  }
}
async function backupSet(repo, config, stores, options = {}) {
  const log = options.log ?? (() => {
  });
  const env = { ...options.env ?? process.env };
  const id = options.backupSet ?? randomBytes(16).toString("hex");
  const result = { backupSet: id, snapshots: [] };
  for (const hook of config.hooks.pre) await runHook(hook, "pre", log, env);
  let failure;
  try {
    for (const store of stores) {
      result.snapshots.push(
        await backupStore(repo, store, {
          tags: options.tags ?? [],
          backupSet: id,
          waitMs: options.waitMs ?? 0,
          onProgress: (p) => options.onProgress?.(store.name, p)
        })
      );
    }
  } catch (err) {
    failure = err;
  }
  for (const hook of config.hooks.post) {
    try {
      await runHook(hook, "post", log, env);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== void 0) throw failure;
  return result;
}

export {
  backupSet
};
