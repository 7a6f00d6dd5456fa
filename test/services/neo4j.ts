// The real Neo4j 5.26 LTS Community test service: installs the server jars from Maven Central into the shared
// cache, starts throwaway instances (one NEO4J_HOME each), runs neo4j-admin against them and empties them between tests.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { cacheRoot, freePort, logTail, ManagedProcess, run, ServiceStartError, tcpOpen, waitReady } from './common.ts';
import type { Neo4jInfo } from './types.ts';

/** The one place the Neo4j version is pinned: the Maven artifact version of org.neo4j:neo4j. */
export const NEO4J_VERSION = '5.26.30';

const SERVICE = `Neo4j ${NEO4J_VERSION}`;
const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'neo4j');
// Pinned rather than Maven's built-in default so that the install does not change with the Maven on the machine.
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const INSTALL_MARKER = 'install-complete.json';
/** Written into every home so that neo4jAdmin can work from a home path alone (test workers only get Neo4jInfo). */
const HOME_MARKER = 'backdrill-neo4j.json';
const DEFAULT_PASSWORD = 'backdrill-test-password';
const READY_TIMEOUT_MS = 120_000;
// A clean shutdown checkpoints and releases the store lock; killing it early would leave neo4j-admin a store to recover.
const STOP_GRACE_MS = 60_000;

interface HomeMarker {
  libDir: string;
  version: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Install

/** Resolves the Neo4j server jars into `<cache>/neo4j-<version>/lib` once; later calls reuse them without Maven. */
export async function installNeo4j(): Promise<{ libDir: string; version: string }> {
  const root = cacheRoot();
  const installDir = join(root, `neo4j-${NEO4J_VERSION}`);
  const libDir = join(installDir, 'lib');
  if (existsSync(join(installDir, INSTALL_MARKER))) return { libDir, version: NEO4J_VERSION };

  const release = await acquireLock(`${installDir}.lock`);
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (existsSync(join(installDir, INSTALL_MARKER))) return { libDir, version: NEO4J_VERSION };
    await resolveJars(root, installDir);
    return { libDir, version: NEO4J_VERSION };
  } finally {
    release();
  }
}

async function resolveJars(root: string, installDir: string): Promise<void> {
  // Built in a private directory and renamed into place, so a half-finished install is never mistaken for a whole one.
  const staging = `${installDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const pom = join(staging, 'pom.xml');
  writeFileSync(pom, readFileSync(join(ASSETS, 'pom.xml')));
  const mvnLog = join(staging, 'mvn.log');
  const fix =
    'install Java 17 and Maven 3.8+ (Debian: apt-get install openjdk-17-jdk-headless maven) and make sure ' +
    `Maven Central is reachable; the Maven output is kept in ${mvnLog}`;
  const args = [
    '-q',
    '-B',
    '-f',
    pom,
    `-Dneo4j.version=${NEO4J_VERSION}`,
    `-Dmaven.repo.local=${join(root, 'm2')}`,
    `${DEPENDENCY_PLUGIN}:copy-dependencies`,
    `-DoutputDirectory=${join(staging, 'lib')}`,
    '-DincludeScope=runtime',
  ];
  let result: { code: number; stdout: string; stderr: string };
  try {
    result = await run('mvn', args, { cwd: staging, logFile: mvnLog });
  } catch (err) {
    throw new ServiceStartError(SERVICE, `could not run mvn: ${(err as Error).message}`, fix);
  }
  const mainJar = join(staging, 'lib', `neo4j-${NEO4J_VERSION}.jar`);
  if (result.code !== 0 || !existsSync(mainJar)) {
    throw new ServiceStartError(
      SERVICE,
      result.code !== 0
        ? `mvn dependency:copy-dependencies exited with code ${result.code}`
        : `mvn succeeded but ${mainJar} is missing`,
      fix,
      mvnLog,
    );
  }
  writeFileSync(
    join(staging, INSTALL_MARKER),
    `${JSON.stringify({ version: NEO4J_VERSION, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  // Whatever sits at installDir without a marker is a leftover of an interrupted install from before the lock.
  rmSync(installDir, { recursive: true, force: true });
  renameSync(staging, installDir);
}

/** A mkdir lock shared by every process on the machine; a lock whose owner died is taken over. */
async function acquireLock(lockDir: string): Promise<() => void> {
  const deadline = Date.now() + 20 * 60_000;
  const ownerFile = join(lockDir, 'owner');
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, String(process.pid));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(readFileOr(ownerFile, ''), 10);
    // The owner file is written just after mkdir, so a missing one is only stale once the lock is old.
    if ((Number.isFinite(owner) && !processAlive(owner)) || (!Number.isFinite(owner) && lockAgeMs(lockDir) > 30_000)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new ServiceStartError(
        SERVICE,
        `timed out waiting for another process (pid ${owner}) to finish installing Neo4j`,
        `if no install is running, delete ${lockDir}`,
      );
    }
    await sleep(1000);
  }
}

function lockAgeMs(dir: string): number {
  try {
    return Date.now() - statSync(dir).mtimeMs;
  } catch {
    return 0;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readFileOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Java

function javaCommand(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

let javaChecked: Promise<void> | undefined;

/** spawn of a missing binary would surface as an unhandled 'error' event in ManagedProcess; fail with a clear message first. */
function checkJava(): Promise<void> {
  javaChecked ??= (async () => {
    const fix = 'install Java 17 (Debian: apt-get install openjdk-17-jdk-headless) or point JAVA_HOME at one';
    let out: { code: number; stdout: string; stderr: string };
    try {
      out = await run(javaCommand(), ['-version']);
    } catch (err) {
      throw new ServiceStartError(SERVICE, `cannot run ${javaCommand()}: ${(err as Error).message}`, fix);
    }
    const m = /version "(\d+)/.exec(out.stderr);
    const major = m?.[1] ? Number(m[1]) : 0;
    if (out.code !== 0 || (major !== 17 && major !== 21)) {
      throw new ServiceStartError(
        SERVICE,
        `Neo4j 5.26 needs Java 17 or 21, ${javaCommand()} -version says: ${out.stderr.trim().split('\n')[0] ?? ''}`,
        fix,
      );
    }
  })();
  return javaChecked;
}

/**
 * Environment for the Neo4j launchers. JAVA_OPTS and HEAP_SIZE would silently replace the conf's JVM flags and
 * heap, and NEO4J_* from the developer's own install must not leak in.
 */
function neo4jEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'JAVA_OPTS' || k === 'HEAP_SIZE' || k.startsWith('NEO4J_')) continue;
    env[k] = v;
  }
  env.NEO4J_HOME = home;
  env.NEO4J_CONF = join(home, 'conf');
  return env;
}

// The launcher JVMs (neo4j console, neo4j-admin) only parse config and spawn the real JVM: keep them small and quick.
const LAUNCHER_JVM_FLAGS = ['-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

// ---------------------------------------------------------------------------------------------------------------
// Admin

/** Runs neo4j-admin of the given home (e.g. ['database','dump','neo4j','--to-path=/x'], ['database','load', ...,'--overwrite-destination=true']) */
export async function neo4jAdmin(
  home: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { libDir } = readHomeMarker(home) ?? (await installNeo4j());
  await checkJava();
  mkdirSync(join(home, 'logs'), { recursive: true });
  return run(
    javaCommand(),
    [...LAUNCHER_JVM_FLAGS, '-cp', join(libDir, '*'), 'org.neo4j.server.startup.Neo4jAdminCommand', ...args],
    { cwd: home, env: neo4jEnv(home), logFile: join(home, 'logs', 'admin.log') },
  );
}

function readHomeMarker(home: string): HomeMarker | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(home, HOME_MARKER), 'utf8')) as Partial<HomeMarker>;
    if (typeof parsed.libDir === 'string' && typeof parsed.version === 'string' && existsSync(parsed.libDir)) {
      return { libDir: parsed.libDir, version: parsed.version };
    }
  } catch {
    // no marker: not a home made by startNeo4j
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Server

export interface Neo4jServer {
  info: Neo4jInfo;
  /**
   * Stops the DBMS cleanly (store lock released, so neo4j-admin can dump/load the home). The home is deleted now
   * with removeHome, else when this process exits unless start() was called again.
   */
  stop(opts?: { removeHome?: boolean }): Promise<void>;
  /** Starts the same home again after stop(), on the same Bolt port. */
  start(): Promise<void>;
}

/** Starts a fresh Neo4j in a new temporary NEO4J_HOME on a free loopback port, with auth on. */
export async function startNeo4j(opts: { password?: string } = {}): Promise<Neo4jServer> {
  const password = opts.password ?? DEFAULT_PASSWORD;
  if (password.length < 8) {
    // Neo4j's dbms.security.auth_minimum_password_length: set-initial-password would reject it with a vaguer error.
    throw new ServiceStartError(SERVICE, 'the password is shorter than 8 characters', 'use a longer password');
  }
  const { libDir } = await installNeo4j();
  await checkJava();

  const home = await mkdtemp(join(tmpdir(), 'backdrill-neo4j-'));
  for (const d of ['conf', 'data', 'logs', 'run', 'plugins', 'import']) mkdirSync(join(home, d));
  const port = await freePort();
  const conf = readFileSync(join(ASSETS, 'neo4j.conf.template'), 'utf8')
    .replaceAll('{{LIB_DIR}}', libDir)
    .replaceAll('{{HOME}}', home)
    .replaceAll('{{BOLT_PORT}}', String(port));
  writeFileSync(join(home, 'conf', 'neo4j.conf'), conf);
  for (const f of ['server-logs.xml', 'user-logs.xml']) {
    writeFileSync(join(home, 'conf', f), readFileSync(join(ASSETS, f)));
  }
  const marker: HomeMarker = { libDir, version: NEO4J_VERSION };
  writeFileSync(join(home, HOME_MARKER), `${JSON.stringify(marker, null, 2)}\n`);

  const pw = await neo4jAdmin(home, ['dbms', 'set-initial-password', password]);
  if (pw.code !== 0) {
    throw new ServiceStartError(
      SERVICE,
      `neo4j-admin dbms set-initial-password exited with code ${pw.code}: ${(pw.stderr || pw.stdout).trim()}`,
      `check ${join(home, 'conf', 'neo4j.conf')} (made from test/services/neo4j/neo4j.conf.template), Java 17, ` +
        `and the install in ${dirname(libDir)} (delete it to reinstall)`,
      join(home, 'logs', 'admin.log'),
    );
  }

  const server = new Neo4jInstance(
    { boltUrl: `bolt://127.0.0.1:${port}`, user: 'neo4j', password, home, version: NEO4J_VERSION },
    libDir,
    port,
  );
  await server.start();
  return server;
}

class Neo4jInstance implements Neo4jServer {
  private proc: ManagedProcess | undefined;

  constructor(
    readonly info: Neo4jInfo,
    private readonly libDir: string,
    private readonly port: number,
  ) {}

  async start(): Promise<void> {
    if (this.proc && !this.proc.exited) return;
    const { home } = this.info;
    stoppedHomes.delete(home);
    const consoleLog = join(home, 'logs', 'console.log');
    const fix =
      `read ${join(home, 'logs')} (console.log, debug.log, neo4j.log); check that Java 17 is installed and ` +
      `127.0.0.1:${this.port} is free; delete ${dirname(this.libDir)} to force a fresh install`;
    if (await tcpOpen(this.port)) {
      throw new ServiceStartError(SERVICE, `port ${this.port} is already taken by another process`, fix);
    }
    // `neo4j console` runs a launcher JVM that spawns the server JVM as its child in the same process group, and
    // on SIGTERM stops that child and waits for it: stopping the group stops both, in order.
    this.proc = ManagedProcess.start(
      javaCommand(),
      [...LAUNCHER_JVM_FLAGS, '-cp', join(this.libDir, '*'), 'org.neo4j.server.startup.Neo4jCommand', 'console'],
      consoleLog,
      { cwd: home, env: neo4jEnv(home) },
    );

    const driver = neo4j.driver(this.info.boltUrl, neo4j.auth.basic(this.info.user, this.info.password), {
      connectionTimeout: 5_000,
      connectionAcquisitionTimeout: 10_000,
    });
    let lastError = '';
    try {
      await waitReady({
        service: SERVICE,
        proc: this.proc,
        timeoutMs: READY_TIMEOUT_MS,
        logFile: consoleLog,
        fix,
        ready: async () => {
          if (!(await tcpOpen(this.port))) return false;
          // Bolt opens before the default database is online; a query on it proves login and the database.
          const session = driver.session({ database: 'neo4j' });
          try {
            await session.run('RETURN 1');
            return true;
          } catch (err) {
            lastError = (err as Error).message;
            return false;
          } finally {
            await session.close();
          }
        },
      });
    } catch (err) {
      await this.proc.stop(5_000);
      if (!(err instanceof ServiceStartError)) throw err;
      const problem = /could not start: (.*)/.exec(err.message)?.[1] ?? 'not ready';
      // The console log (shown below) has the launcher's verdict and any stack trace; debug.log adds the
      // server's own errors and warnings, which are the lines worth reading there.
      const debugLog = join(home, 'logs', 'debug.log');
      const debugProblems = logTail(debugLog, 100_000)
        .split('\n')
        .filter((l) => / (ERROR|WARN) /.test(l))
        .slice(-8)
        .map((l) => `    | ${l}`)
        .join('\n');
      throw new ServiceStartError(
        SERVICE,
        problem +
          (lastError ? `; last Bolt error: ${lastError}` : '') +
          (debugProblems ? `\n  errors and warnings in ${debugLog}:\n${debugProblems}` : ''),
        fix,
        consoleLog,
      );
    } finally {
      await driver.close();
    }
  }

  async stop(opts: { removeHome?: boolean } = {}): Promise<void> {
    const proc = this.proc;
    if (proc) {
      await proc.stop(STOP_GRACE_MS);
      const pgid = proc.child.pid;
      // The launcher waits for the server JVM before it exits, but a SIGKILL after the grace period does not:
      // wait until the whole process group is gone so the store lock is really free.
      if (pgid !== undefined) await waitGroupGone(pgid, 30_000);
      this.proc = undefined;
    }
    if (opts.removeHome) {
      rmSync(this.info.home, { recursive: true, force: true });
      stoppedHomes.delete(this.info.home);
    } else {
      stoppedHomes.add(this.info.home);
    }
  }
}

// Homes stay on disk while this process lives (neo4j-admin works on a stopped home, start() reuses it), but a
// test run must not leave one per run in the temp dir. Homes that failed to start are kept for their logs.
const stoppedHomes = new Set<string>();
process.once('exit', () => {
  for (const home of stoppedHomes) rmSync(home, { recursive: true, force: true });
});

async function waitGroupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Between tests

/** Empties the database between tests on Community (one user db): drops all constraints and indexes (except the built-in token lookup indexes), deletes all nodes/relationships in batches. */
export async function clearNeo4j(info: Neo4jInfo): Promise<void> {
  const driver: Driver = neo4j.driver(info.boltUrl, neo4j.auth.basic(info.user, info.password));
  try {
    const session = driver.session({ database: 'neo4j' });
    try {
      // Constraints first: dropping one also drops the index that backs it.
      const constraints = await session.run('SHOW CONSTRAINTS YIELD name RETURN name');
      for (const rec of constraints.records) {
        await session.run(`DROP CONSTRAINT ${quoteName(rec.get('name') as string)} IF EXISTS`);
      }
      const indexes = await session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name");
      for (const rec of indexes.records) {
        await session.run(`DROP INDEX ${quoteName(rec.get('name') as string)} IF EXISTS`);
      }
      // CALL ... IN TRANSACTIONS needs an auto-commit transaction (session.run), and batches keep the heap small.
      await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}

function quoteName(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
