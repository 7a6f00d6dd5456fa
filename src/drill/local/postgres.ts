// A throwaway PostgreSQL server from local binaries: initdb into a temp dir, a free loopback port, password
// authentication over TCP, durability off (a sandbox is thrown away), and a stop that removes everything.
// The test suite's PostgreSQL service runs on this same code.
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BackdrillError } from '../../errors.ts';
import { freePort, ManagedProcess, pollUntil, run } from '../process.ts';

export interface LocalPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  binDir: string;
  /** e.g. "15.18" */
  version: string;
  /** postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres */
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Server bin dirs on this machine, newest major first (Debian/Ubuntu layout, then RHEL's). */
export function localPostgresBinDirs(): Array<{ major: number; dir: string }> {
  const out: Array<{ major: number; dir: string }> = [];
  for (const base of ['/usr/lib/postgresql']) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base)) {
      const dir = join(base, v, 'bin');
      if (existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb'))) out.push({ major: Number(v), dir });
    }
  }
  for (const v of existsSync('/usr') ? readdirSync('/usr').filter((d) => /^pgsql-\d+$/.test(d)) : []) {
    const dir = join('/usr', v, 'bin');
    if (existsSync(join(dir, 'postgres'))) out.push({ major: Number(v.slice('pgsql-'.length)), dir });
  }
  return out.sort((a, b) => b.major - a.major);
}

/** initdb refuses to run as root; Debian's server package creates the `postgres` system user for this. */
function asServerUser(cmd: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [cmd, args];
  return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

async function serverUserIds(): Promise<{ uid: number; gid: number }> {
  const id = await run('id', ['-u', 'postgres']);
  const gid = await run('id', ['-g', 'postgres']);
  if (id.code !== 0 || gid.code !== 0) {
    throw new BackdrillError('fatal', 'running as root, but there is no `postgres` system user to run PostgreSQL as', {
      hint: "install the distribution's postgresql package (it creates the user), or run as a non-root user",
    });
  }
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startLocalPostgres(options: {
  binDir: string;
  /** Extra server settings (name -> value). */
  settings?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<LocalPostgres> {
  const { binDir } = options;
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
  const fail = (problem: string): never => {
    rmSync(root, { recursive: true, force: true });
    throw new BackdrillError('fatal', `local PostgreSQL from ${binDir}: ${problem}`);
  };
  const [initCmd, initArgs] = asServerUser(join(binDir, 'initdb'), [
    ...['-D', dataDir, '-U', 'postgres', '--pwfile', pwFile],
    ...['--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
  ]);
  const init = await run(initCmd, initArgs, { logFile });
  rmSync(pwFile, { force: true });
  if (init.code !== 0) fail(`initdb failed (exit ${init.code}): ${init.stderr.trim().split('\n').slice(-3).join(' ')}`);

  const settings: Record<string, string> = {
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    shared_buffers: '128MB',
    ...options.settings,
  };
  const port = await freePort();
  const [cmd, args] = asServerUser(join(binDir, 'postgres'), [
    ...['-D', dataDir, '-h', '127.0.0.1', '-p', String(port), '-k', root],
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ]);
  const proc = ManagedProcess.start(cmd, args, logFile, { orphanCleanup: root });
  const versionOut = (await run(join(binDir, 'postgres'), ['--version'])).stdout;
  const version = /\(PostgreSQL\) (\d+(?:\.\d+)?)/.exec(versionOut)?.[1] ?? versionOut.trim();
  const config: pg.ClientConfig = { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' };
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown; ManagedProcess.stop follows with SIGTERM/SIGKILL if needed.
    if (proc.child.pid !== undefined) {
      try {
        process.kill(-proc.child.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    await proc.stop(10_000);
    rmSync(root, { recursive: true, force: true });
  };
  const ready = await pollUntil(
    async () => {
      const client = new pg.Client(config);
      // A server stopped while this poll is connected (a drill cut off by its timeout) sends a FATAL that pg emits
      // as an 'error' event: without a listener that crashes the process. connect() and query() reject anyway.
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    options.readyTimeoutMs ?? 60_000,
    proc,
  );
  if (!ready) {
    const tail = (await run('tail', ['-n', '5', logFile])).stdout.trim();
    await proc.stop(2_000);
    fail(`the server did not become ready (${proc.exited ? `exited with ${proc.exitCode}` : 'timeout'}): ${tail}`);
  }
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    binDir,
    version,
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    logFile,
    stop,
  };
}
