import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  ManagedProcess,
  freePort,
  logTail,
  pollUntil
} from "./chunk-VOKAOIH6.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/drill/local/qdrant.ts
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
async function startLocalQdrant(options) {
  if (!existsSync(options.binary)) {
    throw new BackdrillError("usage", `drill.local.qdrantBinary ${options.binary} does not exist`, {
      hint: "point it at the qdrant server binary (from the Qdrant release archive), or give the store a URL under drill.targets"
    });
  }
  const home = mkdtempSync(join(tmpdir(), "backdrill-qdrant-"));
  for (const d of ["storage", "snapshots", "tmp"]) mkdirSync(join(home, d));
  const [http, grpc] = [await freePort(), await freePort()];
  const apiKey = randomBytes(16).toString("hex");
  const logFile = join(home, "qdrant.log");
  const proc = ManagedProcess.start(options.binary, [], logFile, {
    cwd: home,
    orphanCleanup: home,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      QDRANT__SERVICE__HOST: "127.0.0.1",
      QDRANT__SERVICE__HTTP_PORT: String(http),
      QDRANT__SERVICE__GRPC_PORT: String(grpc),
      QDRANT__SERVICE__API_KEY: apiKey,
      QDRANT__STORAGE__STORAGE_PATH: join(home, "storage"),
      QDRANT__STORAGE__SNAPSHOTS_PATH: join(home, "snapshots"),
      QDRANT__STORAGE__TEMP_PATH: join(home, "tmp"),
      QDRANT__TELEMETRY_DISABLED: "true",
      QDRANT__CLUSTER__ENABLED: "false"
    }
  });
  const stop = async () => {
    await proc.stop(15e3);
    rmSync(home, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${http}`;
  let version = "";
  const ready = await pollUntil(
    async () => {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2e3) });
      if (!res.ok) return false;
      const root = await fetch(`${url}/`, { headers: { "api-key": apiKey }, signal: AbortSignal.timeout(2e3) });
      version = (await root.json()).version ?? "unknown";
      return true;
    },
    options.readyTimeoutMs ?? 6e4,
    proc
  );
  if (!ready) {
    const tail = logTail(logFile, 5);
    const why = proc.exited ? `exited with code ${proc.exitCode}` : "did not become ready in time";
    await stop();
    throw new BackdrillError("fatal", `local Qdrant ${options.binary} ${why}${tail ? `: ${tail}` : ""}`, {
      hint: "check that the binary runs on this machine (`qdrant --version`) and is Qdrant 1.x"
    });
  }
  return { url, apiKey, version, stop };
}
export {
  startLocalQdrant
};
