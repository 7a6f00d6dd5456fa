// PostgreSQL connection details from a postgresql:// URL: a pg client config per database, and the libpq
// environment for pg_dump / pg_restore (the password goes through the environment, never the command line).
import pg from 'pg';
import { BackdrillError } from '../../errors.ts';

export interface PgConn {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** Extra libpq parameters from the query string (sslmode, sslrootcert, application_name, ...). */
  params: Record<string, string>;
}

export function parsePgUrl(url: string, store: string): PgConn {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BackdrillError('usage', `store ${store}: the url is not a valid postgresql:// URL`);
  }
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:') {
    throw new BackdrillError('usage', `store ${store}: the url must start with postgresql://`);
  }
  const params: Record<string, string> = {};
  for (const [k, v] of u.searchParams) params[k] = v;
  return {
    host: decodeURIComponent(u.hostname) || 'localhost',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    params,
  };
}

/** The URL without its password, for messages. */
export function describeConn(c: PgConn): string {
  return `postgresql://${encodeURIComponent(c.user)}@${c.host}:${c.port}/${encodeURIComponent(c.database)}`;
}

export function withDatabase(c: PgConn, database: string): PgConn {
  return { ...c, database };
}

export function clientConfig(c: PgConn): pg.ClientConfig {
  const sslmode = c.params.sslmode;
  return {
    host: c.host,
    port: c.port,
    user: c.user,
    ...(c.password === undefined ? {} : { password: c.password }),
    database: c.database,
    application_name: 'backdrill',
    ...(sslmode && sslmode !== 'disable'
      ? { ssl: sslmode === 'verify-full' ? true : { rejectUnauthorized: false } }
      : {}),
  };
}

/** libpq environment for the client binaries. */
export function libpqEnv(c: PgConn): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: c.host,
    PGPORT: String(c.port),
    PGUSER: c.user,
    PGDATABASE: c.database,
    PGAPPNAME: 'backdrill',
    // Deterministic client behaviour whatever the caller's environment says.
    PGOPTIONS: '',
    PGTZ: 'UTC',
  };
  delete env.PGCLIENTENCODING;
  if (c.password !== undefined) env.PGPASSWORD = c.password;
  else delete env.PGPASSWORD;
  const map: Record<string, string> = {
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
    connect_timeout: 'PGCONNECT_TIMEOUT',
  };
  for (const [k, v] of Object.entries(c.params)) if (map[k]) env[map[k]] = v;
  return env;
}

/** Opens a client; a failure becomes a usage error naming the store and what to check. */
export async function connect(c: PgConn, store: string): Promise<pg.Client> {
  const client = new pg.Client({ ...clientConfig(c), connectionTimeoutMillis: 15_000 });
  // Error events after connect (a server stopping or restarting) must not crash the process; the next query fails
  // instead. Attached before connect: a server stopping as the session starts can send its FATAL in the same packet
  // as ReadyForQuery, and pg emits it before the code after `await client.connect()` runs. (An error while
  // connecting still rejects connect.)
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    const e = err as Error & { code?: string };
    const why =
      e.code === '28P01' || e.code === '28000'
        ? 'authentication failed (check the user and password)'
        : e.code === '3D000'
          ? `database "${c.database}" does not exist`
          : e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT'
            ? `cannot reach the server (${e.code})`
            : e.message;
    throw new BackdrillError('usage', `store ${store}: cannot connect to ${describeConn(c)}: ${why}`, {
      hint: 'check the store url in backdrill.yml and that the server accepts connections from here',
      cause: err,
    });
  }
  return client;
}
