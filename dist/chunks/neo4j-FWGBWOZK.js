import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  ManagedProcess,
  freePort,
  logTail,
  pollUntil,
  run
} from "./chunk-VOKAOIH6.js";
import {
  require_lib
} from "./chunk-FUUBDGB3.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";
import {
  __toESM
} from "./chunk-B5MALTEK.js";

// src/drill/local/neo4j.ts
var import_neo4j_driver = __toESM(require_lib(), 1);
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
var JVM_FLAGS = [
  "-XX:+UseG1GC",
  "-XX:-OmitStackTraceInFastThrow",
  "-XX:+UnlockExperimentalVMOptions",
  "-XX:+TrustFinalNonStaticFields",
  "-XX:+DisableExplicitGC",
  "-Djdk.nio.maxCachedBufferSize=1024",
  "-Dio.netty.tryReflectionSetAccessible=true",
  "-Djdk.tls.ephemeralDHKeySize=2048",
  "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
  "--add-opens=java.base/java.nio=ALL-UNNAMED",
  "--add-opens=java.base/java.io=ALL-UNNAMED",
  "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
  "--enable-native-access=ALL-UNNAMED",
  "-Dlog4j2.disable.jmx=true",
  "-XX:+ExitOnOutOfMemoryError"
];
var LAUNCHER = ["-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];
function neo4jLibDir(installation) {
  const lib = existsSync(join(installation, "lib")) ? join(installation, "lib") : installation;
  if (!existsSync(lib) || !readdirSync(lib).some((f) => /^neo4j-\d.*\.jar$/.test(f))) {
    throw new BackdrillError(
      "usage",
      `${installation} is not a Neo4j installation (no neo4j-<version>.jar in it or in lib/)`,
      {
        hint: "set drill.local.neo4jHome to a Neo4j 5 home (with lib/) or to the folder of its server jars"
      }
    );
  }
  return lib;
}
function versionOf(libDir) {
  const jar = readdirSync(libDir).find((f) => /^neo4j-\d+\.\d+\.\d+\.jar$/.test(f));
  return jar ? jar.slice("neo4j-".length, -".jar".length) : "unknown";
}
function javaCommand() {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}
function env(home) {
  const out = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k !== "JAVA_OPTS" && k !== "HEAP_SIZE" && !k.startsWith("NEO4J_")) out[k] = v;
  }
  return { ...out, NEO4J_HOME: home, NEO4J_CONF: join(home, "conf") };
}
function conf(home, libDir, port) {
  return [
    `server.directories.lib=${libDir}`,
    ...["data", "logs", "run", "plugins", "import"].map((d) => `server.directories.${d}=${join(home, d)}`),
    "dbms.security.auth_enabled=true",
    "server.default_listen_address=127.0.0.1",
    "server.default_advertised_address=127.0.0.1",
    `server.bolt.listen_address=127.0.0.1:${port}`,
    `server.bolt.advertised_address=127.0.0.1:${port}`,
    "server.bolt.tls_level=DISABLED",
    "server.http.enabled=false",
    "server.https.enabled=false",
    "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
    "internal.dbms.bolt.netty_server_shutdown_timeout=5s",
    "server.memory.heap.initial_size=512m",
    "server.memory.heap.max_size=1g",
    "server.memory.pagecache.size=256m",
    "db.tx_log.rotation.retention_policy=1 files",
    "db.tx_log.preallocate=false",
    "dbms.usage_report.enabled=false",
    ...JVM_FLAGS.map((f) => `server.jvm.additional=${f}`),
    ""
  ].join("\n");
}
async function startLocalNeo4j(options) {
  const libDir = neo4jLibDir(options.installation);
  const home = mkdtempSync(join(tmpdir(), "backdrill-neo4j-"));
  for (const d of ["conf", "data", "logs", "run", "plugins", "import"]) mkdirSync(join(home, d));
  const port = await freePort();
  writeFileSync(join(home, "conf", "neo4j.conf"), conf(home, libDir, port));
  const password = randomBytes(12).toString("hex");
  const fail = (problem) => {
    const tail = logTail(join(home, "logs", "console.log"), 5);
    rmSync(home, { recursive: true, force: true });
    throw new BackdrillError("fatal", `local Neo4j from ${libDir}: ${problem}${tail ? `: ${tail}` : ""}`, {
      hint: "check that Java 17 or 21 is installed (or JAVA_HOME is set) and the installation is Neo4j 5"
    });
  };
  const cp = ["-cp", join(libDir, "*")];
  const pw = await run(
    javaCommand(),
    [...LAUNCHER, ...cp, "org.neo4j.server.startup.Neo4jAdminCommand", "dbms", "set-initial-password", password],
    {
      cwd: home,
      env: env(home)
    }
  ).catch((err) => ({ code: 1, stdout: "", stderr: err.message }));
  if (pw.code !== 0)
    fail(`set-initial-password failed: ${(pw.stderr || pw.stdout).trim().split("\n").slice(-2).join(" ")}`);
  const proc = ManagedProcess.start(
    javaCommand(),
    [...LAUNCHER, ...cp, "org.neo4j.server.startup.Neo4jCommand", "console"],
    join(home, "logs", "console.log"),
    {
      cwd: home,
      env: env(home),
      orphanCleanup: home
    }
  );
  const stop = async () => {
    await proc.stop(6e4);
    rmSync(home, { recursive: true, force: true });
  };
  const driver = import_neo4j_driver.default.driver(`bolt://127.0.0.1:${port}`, import_neo4j_driver.default.auth.basic("neo4j", password), {
    connectionTimeout: 5e3
  });
  const ready = await pollUntil(
    async () => {
      const session = driver.session({ database: "neo4j" });
      try {
        await session.run("RETURN 1");
        return true;
      } finally {
        await session.close();
      }
    },
    options.readyTimeoutMs ?? 18e4,
    proc
  ).finally(() => driver.close());
  if (!ready) {
    await proc.stop(5e3);
    fail(proc.exited ? `the server exited with code ${proc.exitCode}` : "the server did not become ready in time");
  }
  return { url: `bolt://neo4j:${password}@127.0.0.1:${port}`, version: versionOf(libDir), home, stop };
}
export {
  neo4jLibDir,
  startLocalNeo4j
};
