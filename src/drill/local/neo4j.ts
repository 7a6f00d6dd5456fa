// A throwaway Neo4j 5 server from a local installation (its lib/ of server jars): a fresh NEO4J_HOME in a temp
// dir, Bolt on a free loopback port, auth on with a random password, small memory, and a stop that waits for
// the server JVM and removes the home. Java 17 or 21 must be on PATH (or JAVA_HOME).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';
import { freePort, logTail, ManagedProcess, pollUntil, run } from '../process.ts';

export interface LocalNeo4j {
  /** bolt://neo4j:PASSWORD@127.0.0.1:PORT */
  url: string;
  version: string;
  home: string;
  stop(): Promise<void>;
}

// The JVM flags the official 5.26 distribution ships in conf/neo4j.conf (server.jvm.additional).
const JVM_FLAGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.tls.ephemeralDHKeySize=2048',
  '-Djdk.tls.rejectClientInitiatedRenegotiation=true',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dlog4j2.disable.jmx=true',
  '-XX:+ExitOnOutOfMemoryError',
];
// The launcher JVMs only parse config and spawn the server JVM: small and quick.
const LAUNCHER = ['-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** A Neo4j installation: a NEO4J_HOME with lib/, or the folder of server jars itself. */
export function neo4jLibDir(installation: string): string {
  const lib = existsSync(join(installation, 'lib')) ? join(installation, 'lib') : installation;
  if (!existsSync(lib) || !readdirSync(lib).some((f) => /^neo4j-\d.*\.jar$/.test(f))) {
    throw new BackdrillError(
      'usage',
      `${installation} is not a Neo4j installation (no neo4j-<version>.jar in it or in lib/)`,
      {
        hint: 'set drill.local.neo4jHome to a Neo4j 5 home (with lib/) or to the folder of its server jars',
      },
    );
  }
  return lib;
}

function versionOf(libDir: string): string {
  const jar = readdirSync(libDir).find((f) => /^neo4j-\d+\.\d+\.\d+\.jar$/.test(f));
  return jar ? jar.slice('neo4j-'.length, -'.jar'.length) : 'unknown';
}

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function env(home: string): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  // JAVA_OPTS / HEAP_SIZE / NEO4J_* of the caller would override this sandbox's settings.
  for (const [k, v] of Object.entries(process.env)) {
    if (k !== 'JAVA_OPTS' && k !== 'HEAP_SIZE' && !k.startsWith('NEO4J_')) out[k] = v;
  }
  return { ...out, NEO4J_HOME: home, NEO4J_CONF: join(home, 'conf') };
}

function conf(home: string, libDir: string, port: number): string {
  return [
    `server.directories.lib=${libDir}`,
    ...['data', 'logs', 'run', 'plugins', 'import'].map((d) => `server.directories.${d}=${join(home, d)}`),
    'dbms.security.auth_enabled=true',
    'server.default_listen_address=127.0.0.1',
    'server.default_advertised_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${port}`,
    `server.bolt.advertised_address=127.0.0.1:${port}`,
    'server.bolt.tls_level=DISABLED',
    'server.http.enabled=false',
    'server.https.enabled=false',
    'internal.dbms.bolt.netty_server_shutdown_quiet_period=0',
    'internal.dbms.bolt.netty_server_shutdown_timeout=5s',
    'server.memory.heap.initial_size=512m',
    'server.memory.heap.max_size=1g',
    'server.memory.pagecache.size=256m',
    'db.tx_log.rotation.retention_policy=1 files',
    'db.tx_log.preallocate=false',
    'dbms.usage_report.enabled=false',
    ...JVM_FLAGS.map((f) => `server.jvm.additional=${f}`),
    '',
  ].join('\n');
}

export async function startLocalNeo4j(options: { installation: string; readyTimeoutMs?: number }): Promise<LocalNeo4j> {
  const libDir = neo4jLibDir(options.installation);
  const home = mkdtempSync(join(tmpdir(), 'backdrill-neo4j-'));
  for (const d of ['conf', 'data', 'logs', 'run', 'plugins', 'import']) mkdirSync(join(home, d));
  const port = await freePort();
  writeFileSync(join(home, 'conf', 'neo4j.conf'), conf(home, libDir, port));
  const password = randomBytes(12).toString('hex');
  const fail = (problem: string): never => {
    const tail = logTail(join(home, 'logs', 'console.log'), 5);
    rmSync(home, { recursive: true, force: true });
    throw new BackdrillError('fatal', `local Neo4j from ${libDir}: ${problem}${tail ? `: ${tail}` : ''}`, {
      hint: 'check that Java 17 or 21 is installed (or JAVA_HOME is set) and the installation is Neo4j 5',
    });
  };
  const cp = ['-cp', join(libDir, '*')];
  const pw = await run(
    javaCommand(),
    [...LAUNCHER, ...cp, 'org.neo4j.server.startup.Neo4jAdminCommand', 'dbms', 'set-initial-password', password],
    {
      cwd: home,
      env: env(home),
    },
  ).catch((err: Error) => ({ code: 1, stdout: '', stderr: err.message }));
  if (pw.code !== 0)
    fail(`set-initial-password failed: ${(pw.stderr || pw.stdout).trim().split('\n').slice(-2).join(' ')}`);
  // `neo4j console` is a launcher JVM that runs the server JVM as its child in one process group.
  const proc = ManagedProcess.start(
    javaCommand(),
    [...LAUNCHER, ...cp, 'org.neo4j.server.startup.Neo4jCommand', 'console'],
    join(home, 'logs', 'console.log'),
    {
      cwd: home,
      env: env(home),
      orphanCleanup: home,
    },
  );
  const stop = async () => {
    await proc.stop(60_000);
    rmSync(home, { recursive: true, force: true });
  };
  const driver = neo4j.driver(`bolt://127.0.0.1:${port}`, neo4j.auth.basic('neo4j', password), {
    connectionTimeout: 5_000,
  });
  const ready = await pollUntil(
    async () => {
      const session = driver.session({ database: 'neo4j' });
      try {
        await session.run('RETURN 1');
        return true;
      } finally {
        await session.close();
      }
    },
    options.readyTimeoutMs ?? 180_000,
    proc,
  ).finally(() => driver.close());
  if (!ready) {
    await proc.stop(5_000);
    fail(proc.exited ? `the server exited with code ${proc.exitCode}` : 'the server did not become ready in time');
  }
  return { url: `bolt://neo4j:${password}@127.0.0.1:${port}`, version: versionOf(libDir), home, stop };
}
