// The real PostgreSQL test service: Debian's server binaries (installed with apt-get when missing), started
// through the same code as the drills' local sandboxes (src/drill/local/postgres.ts).
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { startLocalPostgres } from '../../src/drill/local/postgres.ts';
import { run, ServiceStartError } from './common.ts';
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

export async function startPostgres(): Promise<PostgresServer> {
  const binDir = await installPostgres();
  let server: Awaited<ReturnType<typeof startLocalPostgres>>;
  try {
    server = await startLocalPostgres({ binDir });
  } catch (err) {
    throw new ServiceStartError(
      SERVICE,
      (err as Error).message,
      'see the message; a full disk or a port clash are the usual causes',
    );
  }
  const { host, port, user, password, version } = server;
  return { info: { host, port, user, password, binDir, version }, stop: () => server.stop() };
}

export function clientConfig(info: PostgresInfo, database: string): pg.ClientConfig {
  return { host: info.host, port: info.port, user: info.user, password: info.password, database };
}

export function connectionUrl(info: PostgresInfo, database: string): string {
  return `postgresql://${info.user}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${encodeURIComponent(database)}`;
}
