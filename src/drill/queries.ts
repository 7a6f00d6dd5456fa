// Running a check's query against a restored sandbox: SQL on PostgreSQL (through a server-side cursor, so
// large key sets stream), with each store kind's runner in one place.
import type { StoreConfig } from '../config/schema.ts';
import { BackdrillError } from '../errors.ts';
import type { StoreQuery } from './checks.ts';

export interface QueryTarget {
  store: StoreConfig;
  /** The sandbox URL the store was restored into. */
  url: string;
  /** PostgreSQL: the databases the snapshot held (the default when a query names none). */
  databases: string[];
}

/** Normalizes driver values to plain JSON-able scalars (big integers as strings when unsafe). */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v !== null && typeof v === 'object' && 'toNumber' in v && 'inSafeRange' in v) {
    const n = v as { inSafeRange(): boolean; toNumber(): number; toString(): string };
    return n.inSafeRange() ? n.toNumber() : n.toString();
  }
  return v;
}

function pgDatabase(q: StoreQuery, t: QueryTarget): string {
  if (q.database) return q.database;
  if (t.databases.length === 1) return t.databases[0]!;
  throw new BackdrillError(
    'usage',
    `a check on store ${t.store.name} must say which database (it has ${t.databases.join(', ')})`,
  );
}

/** Streams a query's rows in batches. Each store's driver loads with its first query (see stores/registry.ts). */
export async function* queryRows(q: StoreQuery, t: QueryTarget, batch = 5000): AsyncGenerator<unknown[]> {
  if (t.store.kind === 'postgres' && q.sql !== undefined) {
    const { connect, parsePgUrl, withDatabase } = await import('../stores/postgres/connection.ts');
    const conn = withDatabase(parsePgUrl(t.url, t.store.name), pgDatabase(q, t));
    const client = await connect(conn, t.store.name);
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE backdrill_check NO SCROLL CURSOR FOR ${q.sql.trim().replace(/;+$/, '')}`);
      for (;;) {
        const r = await client.query({ text: `FETCH ${batch} FROM backdrill_check`, rowMode: 'array' });
        for (const row of r.rows as unknown[][]) yield row.map(plain);
        if (r.rows.length < batch) break;
      }
      await client.query('COMMIT');
    } finally {
      await client.end().catch(() => {});
    }
    return;
  }
  if (t.store.kind === 'neo4j' && q.cypher !== undefined) {
    const { openDriver, parseNeo4jUrl } = await import('../stores/neo4j/connection.ts');
    const { conn, database } = parseNeo4jUrl(t.url, t.store.name, { user: t.store.user, password: t.store.password });
    const driver = openDriver(conn);
    const session = driver.session({ ...(database ? { database } : {}), defaultAccessMode: 'READ' });
    try {
      for await (const record of session.run(q.cypher)) yield record.keys.map((k) => plain(record.get(k)));
    } finally {
      await session.close();
      await driver.close();
    }
    return;
  }
  if (t.store.kind === 'qdrant' && q.qdrant !== undefined) {
    yield* qdrantRows(q.qdrant, t.url, t.store.apiKey, batch);
    return;
  }
  const what = q.sql !== undefined ? 'sql' : q.cypher !== undefined ? 'cypher' : 'qdrant';
  throw new BackdrillError('usage', `store ${t.store.name} is ${t.store.kind}: a ${what} check cannot run on it`);
}

async function qdrantPost(url: string, apiKey: string | undefined, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(new URL(path, url.endsWith('/') ? url : `${url}/`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'api-key': apiKey } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { result?: unknown; status?: { error?: string } };
  if (!res.ok) throw new BackdrillError('usage', `Qdrant ${path}: HTTP ${res.status}: ${json.status?.error ?? ''}`);
  return json.result;
}

async function* qdrantRows(
  q: NonNullable<StoreQuery['qdrant']>,
  url: string,
  apiKey: string | undefined,
  batch: number,
): AsyncGenerator<unknown[]> {
  const base = `collections/${encodeURIComponent(q.collection)}/points`;
  if (q.op === 'count') {
    const r = (await qdrantPost(url, apiKey, `${base}/count`, {
      exact: true,
      ...(q.filter ? { filter: q.filter } : {}),
    })) as {
      count: number;
    };
    yield [r.count];
    return;
  }
  let offset: unknown = null;
  do {
    const r = (await qdrantPost(url, apiKey, `${base}/scroll`, {
      limit: batch,
      with_vector: false,
      with_payload: q.payloadKey ? [q.payloadKey] : false,
      ...(offset !== null ? { offset } : {}),
      ...(q.filter ? { filter: q.filter } : {}),
    })) as { points: Array<{ id: unknown; payload?: Record<string, unknown> }>; next_page_offset?: unknown };
    for (const p of r.points) yield [q.payloadKey ? (p.payload?.[q.payloadKey] ?? null) : p.id];
    offset = r.next_page_offset ?? null;
  } while (offset !== null);
}

export async function queryAll(q: StoreQuery, t: QueryTarget, limit = 10_000): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const row of queryRows(q, t)) {
    out.push(row);
    if (out.length >= limit) break;
  }
  return out;
}

/** The first column of every row, as strings: a key set. */
export async function* queryKeys(q: StoreQuery, t: QueryTarget): AsyncGenerator<string> {
  for await (const row of queryRows(q, t)) {
    const v = row[0];
    if (v === null || v === undefined) continue;
    yield typeof v === 'string' ? v : JSON.stringify(v);
  }
}
