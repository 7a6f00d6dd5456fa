import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);

// src/drill/process.ts
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer, Socket } from "node:net";
function logTail(file, lines = 30) {
  if (!existsSync(file)) return "";
  const all = readFileSync(file, "utf8").trimEnd().split("\n");
  return all.slice(-lines).join("\n");
}
var handedOut = /* @__PURE__ */ new Set();
async function freePort() {
  for (let attempt = 1; ; attempt++) {
    const port = await kernelPort();
    if (!handedOut.has(port) || attempt >= 50) {
      handedOut.add(port);
      return port;
    }
  }
}
function kernelPort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      if (addr === null || typeof addr === "string") {
        reject(new Error("no port assigned"));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}
async function tcpOpen(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1e3);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(false));
    s.connect(port, host);
  });
}
async function pollUntil(ready, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc?.exited) return false;
    try {
      if (await ready()) return true;
    } catch {
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
var ManagedProcess = class _ManagedProcess {
  constructor(child, logFile) {
    this.child = child;
    this.logFile = logFile;
    this.done = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.exited = true;
        this.exitCode = code ?? (signal ? 128 : null);
        resolve();
      });
    });
  }
  child;
  logFile;
  exited = false;
  exitCode = null;
  done;
  /**
   * Starts `cmd` in a process group of its own. `orphanCleanup`: a directory to remove if this process dies
   * without stopping it (see watchOrphan).
   */
  static start(cmd, args, logFile, options = {}) {
    const { orphanCleanup, ...spawnOptions } = options;
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn(cmd, args, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const watchdog = child.pid !== void 0 ? watchOrphan(child.pid, orphanCleanup) : void 0;
    child.once("exit", () => watchdog?.kill());
    const managed = new _ManagedProcess(child, logFile);
    liveProcesses.add(managed);
    child.once("exit", () => liveProcesses.delete(managed));
    return managed;
  }
  /** SIGTERM the process group, then SIGKILL after graceMs. */
  async stop(graceMs = 15e3) {
    if (this.exited || this.child.pid === void 0) return;
    const pid = this.child.pid;
    signalGroup(pid, "SIGTERM");
    const killer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
    await this.done;
    clearTimeout(killer);
  }
  async exit() {
    await this.done;
    return this.exitCode;
  }
};
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
    }
  }
}
var WATCHDOG = `p=$1 g=$2 d=$3
while kill -s 0 "$p" 2>/dev/null; do
  kill -s 0 -- "-$g" 2>/dev/null || exit 0
  sleep 2
done
kill -s TERM -- "-$g" 2>/dev/null
i=0
while [ $i -lt 15 ] && kill -s 0 -- "-$g" 2>/dev/null; do sleep 1; i=$((i + 1)); done
kill -s KILL -- "-$g" 2>/dev/null
[ -n "$d" ] && rm -rf -- "$d"
exit 0`;
function watchOrphan(pgid, cleanupDir) {
  try {
    const watchdog = spawn(
      "/bin/sh",
      ["-c", WATCHDOG, "backdrill-watchdog", String(process.pid), String(pgid), cleanupDir ?? ""],
      { detached: true, stdio: "ignore" }
    );
    watchdog.on("error", () => {
    });
    watchdog.unref();
    return watchdog;
  } catch {
    return void 0;
  }
}
var liveProcesses = /* @__PURE__ */ new Set();
process.once("exit", () => {
  for (const p of liveProcesses) if (p.child.pid !== void 0) signalGroup(p.child.pid, "SIGKILL");
});
async function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : void 0;
    child.stdout?.on("data", (d) => {
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr?.on("data", (d) => {
      stderr += d.toString();
      log?.write(d);
    });
    child.once("error", reject);
    child.once("close", (code) => {
      log?.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
    if (options.input !== void 0) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export {
  logTail,
  freePort,
  tcpOpen,
  pollUntil,
  ManagedProcess,
  run
};
