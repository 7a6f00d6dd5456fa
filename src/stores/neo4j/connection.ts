// Bolt connections of the Neo4j store: one driver per server, opened with a connectivity and login check so that an
// unreachable server, wrong credentials or a missing database fail at once as a usage error naming the store, the
// URL (never the password) and what to do.
import neo4j, { type Driver, Neo4jError } from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';
import { redactUrl } from '../../urls.ts';

export interface Neo4jConn {
  /** scheme://host:port (and routing query) without credentials or path. */
  url: string;
  user: string;
  password: string | undefined;
}

/** Parses a bolt/neo4j URL; user and password in it (a --target) override the configured ones. */
export function parseNeo4jUrl(
  url: string,
  store: string,
  fallback: { user: string; password: string | undefined },
): { conn: Neo4jConn; database: string | undefined } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BackdrillError('usage', `store ${store}: "${redactUrl(url)}" is not a valid bolt:// or neo4j:// URL`);
  }
  if (!/^(bolt|neo4j)(\+s|\+ssc)?:$/.test(u.protocol)) {
    throw new BackdrillError(
      'usage',
      `store ${store}: the url must start with bolt://, neo4j://, bolt+s:// or neo4j+s://`,
    );
  }
  const path = decodeURIComponent(u.pathname.replace(/^\/+/, ''));
  return {
    conn: {
      url: `${u.protocol}//${u.host}${u.search}`,
      user: u.username ? decodeURIComponent(u.username) : fallback.user,
      password: u.password ? decodeURIComponent(u.password) : fallback.password,
    },
    database: path || undefined,
  };
}

export function describeConn(c: Neo4jConn): string {
  return `${c.url} (user ${c.user})`;
}

export function openDriver(c: Neo4jConn): Driver {
  // A server with auth disabled accepts any basic credentials.
  return neo4j.driver(c.url, neo4j.auth.basic(c.user, c.password ?? ''), {
    useBigInt: true,
    connectionTimeout: 15_000,
    connectionAcquisitionTimeout: 60_000,
    maxTransactionRetryTime: 30_000,
    userAgent: 'backdrill',
    // Deprecation notices about our own queries are noise for the user.
    notificationFilter: { minimumSeverityLevel: 'OFF' },
  });
}

/** Neo4j's error code, for the errors the driver and server raise. */
export function errorCode(err: unknown): string {
  return err instanceof Neo4jError ? err.code : '';
}

/** A usage error for the failures a user fixes in backdrill.yml or on the server, else undefined. */
export function connectionProblem(
  err: unknown,
  store: string,
  c: Neo4jConn,
  database?: string,
): BackdrillError | undefined {
  const code = errorCode(err);
  const where = `store ${store}: ${describeConn(c)}`;
  const cause = { cause: err };
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') {
    return new BackdrillError('usage', `${where}: cannot reach the server (${firstLine(err)})`, {
      hint: 'check the url (host, port, scheme: neo4j+s:// for Aura) and that the server accepts Bolt connections from here',
      ...cause,
    });
  }
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new BackdrillError('usage', `${where}: authentication failed (${firstLine(err)})`, {
      hint: 'check user and password in backdrill.yml, and that the environment variable the password comes from is set',
      ...cause,
    });
  }
  if (code === 'Neo.ClientError.Security.CredentialsExpired') {
    return new BackdrillError('usage', `${where}: the password has expired and must be changed first`, {
      hint: 'log in once with cypher-shell or the browser and set a new password',
      ...cause,
    });
  }
  if (code === 'Neo.ClientError.Database.DatabaseNotFound') {
    return new BackdrillError('usage', `${where}: database ${database ?? '(unknown)'} does not exist`, {
      hint: 'list the databases with SHOW DATABASES and fix databases: in backdrill.yml (or the --target path)',
      ...cause,
    });
  }
  return undefined;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}

/** Opens a driver and proves it can log in; connection and login failures become usage errors. */
export async function connect(c: Neo4jConn, store: string): Promise<Driver> {
  const driver = openDriver(c);
  try {
    await driver.getServerInfo();
    return driver;
  } catch (err) {
    await driver.close().catch(() => {});
    throw connectionProblem(err, store, c) ?? err;
  }
}

/** Runs fn; failures that are the user's to fix become usage errors naming the store and database. */
export async function explained<T>(
  store: string,
  c: Neo4jConn,
  database: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw connectionProblem(err, store, c, database) ?? err;
  }
}
