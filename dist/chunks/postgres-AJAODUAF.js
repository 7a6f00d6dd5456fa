import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  ManagedProcess,
  freePort,
  pollUntil,
  run
} from "./chunk-VOKAOIH6.js";
import {
  esm_default
} from "./chunk-VJUWFMCE.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

// src/drill/local/postgres.ts
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
function localPostgresBinDirs() {
  const out = [];
  for (const base of ["/usr/lib/postgresql"]) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base)) {
      const dir = join(base, v, "bin");
      if (existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"))) out.push({ major: Number(v), dir });
    }
  }
  for (const v of existsSync("/usr") ? readdirSync("/usr").filter((d) => /^pgsql-\d+$/.test(d)) : []) {
    const dir = join("/usr", v, "bin");
    if (existsSync(join(dir, "postgres"))) out.push({ major: Number(v.slice("pgsql-".length)), dir });
  }
  return out.sort((a, b) => b.major - a.major);
}
function asServerUser(cmd, args) {
  if (userInfo().uid !== 0) return [cmd, args];
  return ["runuser", ["-u", "postgres", "--", cmd, ...args]];
}
async function serverUserIds() {
  const id = await run("id", ["-u", "postgres"]);
  const gid = await run("id", ["-g", "postgres"]);
  if (id.code !== 0 || gid.code !== 0) {
    throw new BackdrillError("fatal", "running as root, but there is no `postgres` system user to run PostgreSQL as", {
      hint: "install the distribution's postgresql package (it creates the user), or run as a non-root user"
    });
  }
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
async function startLocalPostgres(options) {
  const { binDir } = options;
  const root = mkdtempSync(join(tmpdir(), "backdrill-pg-"));
  const dataDir = join(root, "data");
  const logFile = join(root, "postgres.log");
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(root, "pwfile");
  writeFileSync(pwFile, `${password}
`);
  if (userInfo().uid === 0) {
    const { uid, gid } = await serverUserIds();
    chownSync(root, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  chmodSync(root, 448);
  const fail = (problem) => {
    rmSync(root, { recursive: true, force: true });
    throw new BackdrillError("fatal", `local PostgreSQL from ${binDir}: ${problem}`);
  };
  const [initCmd, initArgs] = asServerUser(join(binDir, "initdb"), [
    ...["-D", dataDir, "-U", "postgres", "--pwfile", pwFile],
    ...["--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
  ]);
  const init = await run(initCmd, initArgs, { logFile });
  rmSync(pwFile, { force: true });
  if (init.code !== 0) fail(`initdb failed (exit ${init.code}): ${init.stderr.trim().split("\n").slice(-3).join(" ")}`);
  const settings = {
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "200",
    shared_buffers: "128MB",
    ...options.settings
  };
  const port = await freePort();
  const [cmd, args] = asServerUser(join(binDir, "postgres"), [
    ...["-D", dataDir, "-h", "127.0.0.1", "-p", String(port), "-k", root],
    ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])
  ]);
  const proc = ManagedProcess.start(cmd, args, logFile, { orphanCleanup: root });
  const versionOut = (await run(join(binDir, "postgres"), ["--version"])).stdout;
  const version = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(versionOut)?.[1] ?? versionOut.trim();
  const config = { host: "127.0.0.1", port, user: "postgres", password, database: "postgres" };
  const stop = async () => {
    if (proc.child.pid !== void 0) {
      try {
        process.kill(-proc.child.pid, "SIGINT");
      } catch {
      }
    }
    await proc.stop(1e4);
    rmSync(root, { recursive: true, force: true });
  };
  const ready = await pollUntil(
    async () => {
      const client = new esm_default.Client(config);
      client.on("error", () => {
      });
      try {
        await client.connect();
        await client.query("SELECT 1");
        return true;
      } finally {
        await client.end().catch(() => {
        });
      }
    },
    options.readyTimeoutMs ?? 6e4,
    proc
  );
  if (!ready) {
    const tail = (await run("tail", ["-n", "5", logFile])).stdout.trim();
    await proc.stop(2e3);
    fail(`the server did not become ready (${proc.exited ? `exited with ${proc.exitCode}` : "timeout"}): ${tail}`);
  }
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    binDir,
    version,
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    logFile,
    stop
  };
}
export {
  localPostgresBinDirs,
  startLocalPostgres
};
