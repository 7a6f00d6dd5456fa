// A throwaway PostgreSQL server for the benchmarks, started the way test/services/postgres.ts starts the test
// server: Debian's server binaries (installed with apt-get when missing and running as root), a fresh cluster in
// a temp dir, password authentication over TCP on a free loopback port, fsync off. initdb and postgres run as
// the `postgres` system user when this process is root (initdb refuses root).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The newest /usr/lib/postgresql/N/bin holding a server and pg_dump (or BACKDRILL_TEST_PG_BIN). */
export function findPgBinDir() {
  if (process.env.BACKDRILL_TEST_PG_BIN) return process.env.BACKDRILL_TEST_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const majors = readdirSync(base)
    .filter((d) => existsSync(join(base, d, 'bin', 'postgres')) && existsSync(join(base, d, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(base, majors[0], 'bin') : null;
}

/** Returns the bin dir, installing Debian's postgresql when none is found and we are root; null otherwise. */
export function installPg(log = (m) => process.stderr.write(`${m}\n`)) {
  let bin = findPgBinDir();
  if (bin || userInfo().uid !== 0) return bin;
  log('installing postgresql with apt (no server binaries found) ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: ['ignore', 'ignore', 'inherit'], env };
  if (spawnSync('apt-get', ['update', '-qq'], opts).status !== 0) return null;
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql', 'postgresql-contrib'], opts);
  bin = findPgBinDir();
  return bin;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const asServerUser = (cmd, args) =>
  userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

/**
 * Starts the server. `settings`: extra `-c name=value` pairs. Resolves with
 * { host, port, user, password, binDir, version, root, env(db), url(db), client(db), postmasterPid(), stop() }.
 */
export async function startPg({ binDir, settings = {}, parent = tmpdir() } = {}) {
  const root = mkdtempSync(join(parent, 'backdrill-bench-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, `${password}\n`);
  if (userInfo().uid === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root but there is no `postgres` system user');
    chownSync(root, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  chmodSync(root, 0o700);
  const [initCmd, initArgs] = asServerUser(join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--pwfile',
    pwFile,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}):\n${init.stderr}${init.stdout}`);
  rmSync(pwFile);

  const port = await freePort();
  const cs = Object.entries({
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    shared_buffers: '128MB',
    ...settings,
  }).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const [cmd, args] = asServerUser(join(binDir, 'postgres'), [
    '-D',
    dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    root,
    ...cs,
  ]);
  const { openSync } = await import('node:fs');
  const logFd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', logFd, logFd], detached: true });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const version =
    /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(
      spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout,
    )?.[1] ?? '?';
  const info = { host: '127.0.0.1', port, user: 'postgres', password, binDir, version, root, dataDir, logFile };
  const config = (database) => ({ host: info.host, port, user: info.user, password, database });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`postgres exited before it was ready:\n${tail(logFile)}`);
    const c = new pg.Client(config('postgres'));
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      break;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres not ready after 60 s:\n${tail(logFile)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    ...info,
    /** libpq environment for the client binaries (pg_dump, pg_restore, psql). */
    env: (database) => ({
      ...process.env,
      PGHOST: info.host,
      PGPORT: String(port),
      PGUSER: info.user,
      PGPASSWORD: password,
      PGDATABASE: database,
    }),
    url: (database) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    async client(database) {
      const c = new pg.Client(config(database));
      await c.connect();
      return c;
    },
    /** The postmaster's pid (the runuser child when root): its cutime/cstime add up the server's backends. */
    postmasterPid() {
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    },
    async stop() {
      if (!exited && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGINT'); // fast shutdown of the whole group (runuser + postgres)
        } catch {}
        const t = setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
        }, 15_000);
        if (!exited) await new Promise((r) => child.once('exit', r));
        clearTimeout(t);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
