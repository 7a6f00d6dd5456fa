// The real PostgreSQL test service: Debian's server binaries (installed with apt-get when missing),
// a throwaway cluster in a temp dir, on a free loopback port, with password authentication over TCP.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, ManagedProcess, run, ServiceStartError, waitReady } from './common.ts';
import type { PostgresInfo } from './types.ts';

const SERVICE = 'PostgreSQL';
const FIX_INSTALL =
  'install the server (as root: apt-get update && apt-get install -y postgresql), or set BACKDRILL_TEST_PG_BIN ' +
  'to a directory holding initdb, postgres, pg_dump and pg_restore';

/** Finds a server bin dir: BACKDRILL_TEST_PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
function findBinDir(): string | undefined {
  const explicit = process.env.BACKDRILL_TEST_PG_BIN;
  if (explicit) return explicit;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((d) => existsSync(join(base, d, 'bin', 'postgres')) && existsSync(join(base, d, 'bin', 'pg_dump')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(base, majors[0], 'bin') : undefined;
}

/** Returns the bin dir, installing Debian's postgresql package when nothing is found and we are root. */
export async function installPostgres(): Promise<string> {
  let bin = findBinDir();
  if (bin) return bin;
  if (userInfo().uid !== 0) {
    throw new ServiceStartError(
      SERVICE,
      'no PostgreSQL server binaries found and not root to install them',
      FIX_INSTALL,
    );
  }
  const log = join(tmpdir(), 'backdrill-apt-postgresql.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update'], { env, logFile: log });
  const install =
    update.code === 0
      ? await run('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql', 'postgresql-contrib'], {
          env,
          logFile: log,
        })
      : update;
  bin = findBinDir();
  if (install.code !== 0 || !bin) {
    throw new ServiceStartError(SERVICE, 'apt-get could not install postgresql', FIX_INSTALL, log);
  }
  return bin;
}

export interface PostgresServer {
  info: PostgresInfo;
  stop(): Promise<void>;
}

/** initdb refuses to run as root; Debian's package creates the `postgres` system user for exactly this. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [cmd, args];
  return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = await installPostgres();
  const root = mkdtempSync(join(tmpdir(), 'backdrill-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(root, 'pwfile');
  writeFileSync(pwFile, `${password}\n`);
  if (userInfo().uid === 0) {
    const { uid, gid } = await serverUserIds();
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
  const init = await run(initCmd, initArgs, { logFile });
  if (init.code !== 0) {
    throw new ServiceStartError(SERVICE, `initdb failed (exit ${init.code})`, FIX_INSTALL, logFile);
  }
  rmSync(pwFile);

  const port = await freePort();
  const [cmd, args] = asServerUser(join(binDir, 'postgres'), [
    '-D',
    dataDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-k',
    root,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=128MB',
  ]);
  const proc = ManagedProcess.start(cmd, args, logFile);
  const versionOut = (await run(join(binDir, 'postgres'), ['--version'])).stdout;
  const version = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(versionOut)?.[1] ?? versionOut.trim();
  const info: PostgresInfo = { host: '127.0.0.1', port, user: 'postgres', password, binDir, version };
  await waitReady({
    service: SERVICE,
    proc,
    logFile,
    timeoutMs: 60_000,
    fix: 'see the server log below; a port clash or a full disk are the usual causes',
    ready: async () => {
      const client = new pg.Client(clientConfig(info, 'postgres'));
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
  });
  return {
    info,
    async stop() {
      // SIGINT is PostgreSQL's "fast shutdown"; the group kill in ManagedProcess.stop sends SIGTERM (smart).
      if (proc.child.pid !== undefined) {
        try {
          process.kill(-proc.child.pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      await proc.stop(10_000);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function serverUserIds(): Promise<{ uid: number; gid: number }> {
  const id = await run('id', ['-u', 'postgres']);
  const gid = await run('id', ['-g', 'postgres']);
  if (id.code !== 0 || gid.code !== 0) {
    throw new ServiceStartError(
      SERVICE,
      'running as root but there is no `postgres` system user to run the server as',
      "install Debian's postgresql package (it creates the user) or run the tests as a non-root user",
    );
  }
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function clientConfig(info: PostgresInfo, database: string): pg.ClientConfig {
  return { host: info.host, port: info.port, user: info.user, password: info.password, database };
}

export function connectionUrl(info: PostgresInfo, database: string): string {
  return `postgresql://${info.user}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${encodeURIComponent(database)}`;
}
