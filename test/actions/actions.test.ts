// The actions run as a runner runs them (test/actions/harness.ts: INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)
// against real PostgreSQL, Neo4j and MinIO and the Qdrant double, with issue alerts going to the GitHub API
// double: backup twice (dedup), verify, a failing drill that opens an issue, a repeated failure that comments, a
// passing drill that closes it, prune and restore. PostgreSQL and Neo4j drill in local sandboxes; Qdrant drills
// into a fresh empty Qdrant double at a URL, as a workflow's service container would be. No secret may reach a
// summary, a report file, an issue or the visible log.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as backup } from '../../src/actions/backup.ts';
import { run as prune } from '../../src/actions/prune.ts';
import { run as restore } from '../../src/actions/restore.ts';
import { run as drill } from '../../src/actions/restore-drill.ts';
import { run as verify } from '../../src/actions/verify.ts';
import { GitHubDouble } from '../doubles/github/server.ts';
import { QdrantDouble } from '../doubles/qdrant/server.ts';
import { backendFor, initRepo, newLocation, PASSWORD, tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { installNeo4j, type Neo4jServer, startNeo4j } from '../services/neo4j.ts';
import { connectionUrl } from '../services/postgres.ts';
import { qdrantRequest } from '../stores/qdrant-fixture.ts';
import { runStep, type StepResult, visibleLog } from './harness.ts';

const TOKEN = 'ghs_doubletoken_0123456789';
const QDRANT_KEY = `qk-${randomBytes(8).toString('hex')}`;
let github: GitHubDouble;
let graph: Neo4jServer;
/** The Qdrant double backed up, and the empty ones drills and restores go into (one per step, like a job's). */
let vectors: QdrantDouble;
const qdrantTargets: QdrantDouble[] = [];
let qdrantTarget = '';
let dir: string;
let location: string;
let db: Awaited<ReturnType<typeof freshDatabase>>;
const steps: StepResult[] = [];

async function sql(config: pg.ClientConfig, text: string): Promise<unknown[]> {
  const c = new pg.Client(config);
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

function writeChecks(min: number) {
  writeFileSync(
    join(dir, 'checks.yml'),
    `version: 1
checks:
  - name: customers restored
    store: app
    sql: SELECT count(*) FROM customers
    expect: { min: ${min} }
  - name: customer graph restored
    store: graph
    cypher: MATCH (c:Customer)-[:REFERRED]->() RETURN count(c)
    expect: { equals: 49 }
  - name: customer vectors restored
    store: vectors
    qdrant: { collection: customers, op: count }
    expect: { equals: 50 }
rules:
  - name: every customer is in the graph
    kind: equal
    left: { store: app, sql: SELECT id::text FROM customers }
    right: { store: graph, cypher: MATCH (c:Customer) RETURN toString(c.id) }
  - name: every customer has a vector
    kind: equal
    left: { store: app, sql: SELECT id::text FROM customers }
    right: { store: vectors, qdrant: { collection: customers, op: ids, payloadKey: customer_id } }
`,
  );
}

/** A new empty Qdrant double for the next step to restore into. */
async function freshQdrantTarget(): Promise<string> {
  const d = await QdrantDouble.start({ apiKey: QDRANT_KEY });
  qdrantTargets.push(d);
  qdrantTarget = d.url;
  return d.url;
}

function env(): Record<string, string> {
  const m = services().minio;
  return {
    PG_PASSWORD: services().postgres.password,
    NEO4J_PASSWORD: graph.info.password,
    QDRANT_API_KEY: QDRANT_KEY,
    ...(qdrantTarget ? { QDRANT_TARGET: qdrantTarget } : {}),
    AWS_ACCESS_KEY_ID: m.accessKeyId,
    AWS_SECRET_ACCESS_KEY: m.secretAccessKey,
    AWS_REGION: m.region,
    GITHUB_API_URL: github.url,
  };
}

const common = () => ({
  config: join(dir, 'backdrill.yml'),
  repository: location,
  password: PASSWORD,
});
const alerting = new Set(['backup', 'verify', 'restore-drill']);

async function step(name: Parameters<typeof runStep>[0], fn: () => Promise<void>, inputs: Record<string, string>) {
  const token: Record<string, string> = alerting.has(name) ? { 'github-token': TOKEN } : {};
  const r = await runStep(name, fn, { ...common(), ...token, ...inputs }, env());
  steps.push(r);
  return r;
}

beforeAll(async () => {
  github = await new GitHubDouble('acme/stack').start();
  github.tokens.add(TOKEN);
  const info = services().postgres;
  db = await freshDatabase('act');
  await sql(
    db.config,
    `CREATE TABLE customers (id int PRIMARY KEY, email text);
     INSERT INTO customers SELECT i, 'c' || i || '@example.com' FROM generate_series(1, 50) i;
     -- Enough data for several chunks, so a second backup shows deduplication.
     CREATE TABLE events (id int PRIMARY KEY, payload text);
     INSERT INTO events SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 30000) i;`,
  );
  graph = await startNeo4j({ password: `neo-${randomBytes(6).toString('hex')}` });
  const driver = neo4j.driver(graph.info.boltUrl, neo4j.auth.basic(graph.info.user, graph.info.password));
  try {
    await driver.executeQuery('UNWIND range(1, 50) AS i CREATE (:Customer {id: i, email: "c" + i + "@example.com"})');
    await driver.executeQuery('MATCH (a:Customer), (b:Customer) WHERE b.id = a.id + 1 CREATE (a)-[:REFERRED]->(b)');
    await driver.executeQuery('CREATE INDEX customer_id FOR (c:Customer) ON (c.id)');
  } finally {
    await driver.close();
  }
  vectors = await QdrantDouble.start({ apiKey: QDRANT_KEY });
  const ep = { url: vectors.url, apiKey: QDRANT_KEY };
  await qdrantRequest(ep, 'PUT', '/collections/customers', JSON.stringify({ vectors: { size: 4, distance: 'Dot' } }));
  const points = Array.from({ length: 50 }, (_, i) => ({
    id: i + 1,
    vector: [i / 50, 0.5, -0.25, 1],
    payload: { customer_id: i + 1 },
  }));
  await qdrantRequest(ep, 'PUT', '/collections/customers/points?wait=true', JSON.stringify({ points }));
  const { libDir } = await installNeo4j();
  location = await newLocation('minio');
  const repo = await initRepo(backendFor(location));
  await repo.close();
  dir = tempDir('bd-actions-');
  writeChecks(1000);
  writeFileSync(
    join(dir, 'backdrill.yml'),
    `version: 1
repository:
  location: unused-the-input-wins
stores:
  - name: app
    kind: postgres
    url: postgresql://${info.user}:\${PG_PASSWORD}@${info.host}:${info.port}/postgres
    databases: [${db.name}]
    globals: false
  - name: graph
    kind: neo4j
    url: ${graph.info.boltUrl}
    user: ${graph.info.user}
    password: \${NEO4J_PASSWORD}
  - name: vectors
    kind: qdrant
    url: ${vectors.url}
    apiKey: \${QDRANT_API_KEY}
drill:
  provider: local
  local:
    postgresBinDir: ${info.binDir}
    neo4jHome: ${libDir}
  targets:
    vectors: \${QDRANT_TARGET:-http://127.0.0.1:6333}
  checks: [checks.yml]
  rto: 30m
`,
  );
}, 300_000);

afterAll(async () => {
  await github?.stop();
  await graph?.stop({ removeHome: true });
  await vectors?.stop();
  await Promise.all(qdrantTargets.map((d) => d.stop()));
}, 120_000);

describe('the actions against real PostgreSQL, Neo4j and MinIO and the Qdrant double, alerts into the GitHub API double', () => {
  it('backup: outputs, a summary table per store, the report JSON; a second backup dedups', async () => {
    const first = await step('backup', backup, { tags: 'nightly, ci' });
    expect(first.failed, first.log).toBe(false);
    const snapshotId = expect.stringMatching(/^[0-9a-f]{64}$/);
    expect(JSON.parse(first.outputs['snapshot-ids']!)).toEqual({
      app: snapshotId,
      graph: snapshotId,
      vectors: snapshotId,
    });
    expect(first.outputs['set-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(first.outputs['bytes-added'])).toBeGreaterThan(0);
    expect(first.outputs.passed).toBe('true');
    expect(first.summary).toContain('✅ Backup done');
    expect(first.summary).toMatch(
      /\| store \| kind \| snapshot \| size \| new bytes \| dedup ratio \| duration \| throughput/,
    );
    expect(first.summary).toContain('| app | postgres |');
    expect(first.summary).toContain('| graph | neo4j |');
    expect(first.summary).toContain('| vectors | qdrant |');
    const report = JSON.parse(readFileSync(first.outputs['report-path']!, 'utf8'));
    expect(report).toMatchObject({ kind: 'backup', passed: true, backup_set: first.outputs['set-id'] });
    expect(report.snapshots.map((s: { store: string; kind: string }) => `${s.store}:${s.kind}`).sort()).toEqual([
      'app:postgres',
      'graph:neo4j',
      'vectors:qdrant',
    ]);

    const second = await step('backup', backup, {});
    expect(second.failed, second.log).toBe(false);
    expect(Number(second.outputs['bytes-added'])).toBeLessThan(Number(first.outputs['bytes-added']));
    const ratio = second.outputs['dedup-ratio']!;
    expect(ratio === 'inf' || Number(ratio) > 2, ratio).toBe(true);
    // Success with no open alert: the double was only asked, never written to.
    expect(github.issues).toEqual([]);
  });

  it('verify: reads the data back and passes', async () => {
    const r = await step('verify', verify, { 'read-data-subset': 'all' });
    expect(r.failed, r.log).toBe(false);
    expect(r.outputs.passed).toBe('true');
    expect(r.summary).toContain('✅ Repository verified');
    expect(JSON.parse(readFileSync(r.outputs['report-path']!, 'utf8'))).toMatchObject({ kind: 'verify', errors: [] });
  });

  // Three drills, each starting a Neo4j and a PostgreSQL sandbox: minutes on a loaded 2-core machine.
  it('restore-drill: a failing drill opens an issue, a repeated failure comments, a pass closes it', async () => {
    await freshQdrantTarget();
    const failing = await step('restore-drill', drill, {});
    expect(failing.failed).toBe(true);
    expect(failing.log).toMatch(/::error::restore drill failed: 1 failure\(s\)/);
    expect(failing.outputs.passed).toBe('false');
    expect(Number(failing.outputs['rto-ms'])).toBeGreaterThan(0);
    expect(failing.summary).toContain('❌ Restore drill failed');
    expect(failing.summary).toMatch(/\| customers restored \| app \| ❌/);
    // Every store restored into its sandbox and matched its fingerprint; only the check failed.
    expect(failing.summary).toMatch(
      /\| graph \| neo4j \| `[0-9a-f]{8}` \| [^|]+ \| local 5\.26[^|]* \| [^|]+ \| matches \|/,
    );
    expect(failing.summary).toMatch(
      /\| vectors \| qdrant \| `[0-9a-f]{8}` \| [^|]+ \| external [^|]* \| [^|]+ \| matches \|/,
    );
    expect(failing.summary).toMatch(/\| customer graph restored \| graph \| ✅/);
    expect(failing.summary).toMatch(/\| every customer has a vector \| app, vectors \| ✅/);
    expect(failing.summary).toContain('(target 30.0 min)');
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0]!;
    expect(issue).toMatchObject({ state: 'open', labels: [{ name: 'backdrill' }] });
    expect(issue.title).toBe('backdrill restore-drill failing: app, graph, vectors (nightly)');
    expect(issue.body).toContain('<!-- backdrill-alert: restore-drill|nightly|app,graph,vectors -->');
    expect(issue.body).toContain('customers restored');
    expect(failing.outputs['issue-url']).toBe(issue.html_url);
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);

    await freshQdrantTarget();
    const again = await step('restore-drill', drill, {});
    expect(again.failed).toBe(true);
    expect(github.issues).toHaveLength(1);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]!.body).toContain(
      'Still failing in [this run](https://github.example/acme/stack/actions/runs/4242)',
    );

    writeChecks(1);
    await freshQdrantTarget();
    const passing = await step('restore-drill', drill, {});
    expect(passing.failed, passing.log).toBe(false);
    expect(passing.outputs.passed).toBe('true');
    expect(passing.summary).toContain('✅ Restore drill passed');
    // The trend of recent drills, read from the drill records in the repository.
    expect(passing.summary).toContain('xychart-beta');
    expect(github.issues[0]!.state).toBe('closed');
    expect(github.comments).toHaveLength(2);
    expect(github.comments[1]!.body).toContain('Recovered');
  }, 480_000);

  it('prune: collects under the exclusive lock and reports', async () => {
    const r = await step('prune', prune, { grace: '0s' });
    expect(r.failed, r.log).toBe(false);
    expect(r.outputs['snapshots-forgotten']).toBe('0');
    expect(r.summary).toContain('Prune done');
  });

  it('restore: the latest snapshot into an empty database', async () => {
    const info = services().postgres;
    const targetName = `${db.name}_restored`;
    const r = await step('restore', restore, { store: 'app', target: connectionUrl(info, targetName) });
    expect(r.failed, r.log).toBe(false);
    expect(JSON.parse(r.outputs['snapshot-ids']!)).toEqual({ app: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Number(r.outputs['rto-ms'])).toBeGreaterThan(0);
    expect(await sql({ ...db.config, database: targetName }, 'SELECT count(*)::int AS n FROM customers')).toEqual([
      { n: 50 },
    ]);
    expect(r.summary).toContain('Restore done');
    expect(r.summary).not.toContain(info.password);

    const into = await freshQdrantTarget();
    const v = await step('restore', restore, { store: 'vectors', target: into });
    expect(v.failed, v.log).toBe(false);
    const count = JSON.parse(
      await qdrantRequest({ url: into, apiKey: QDRANT_KEY }, 'POST', '/collections/customers/points/count', '{}'),
    );
    expect(count.result.count).toBe(50);
  });

  it('no secret in any summary, report file, issue, comment or visible log line; each one masked', () => {
    const secrets = [
      PASSWORD,
      services().postgres.password,
      encodeURIComponent(services().postgres.password),
      TOKEN,
      graph.info.password,
      QDRANT_KEY,
    ];
    const texts = [
      ...steps.flatMap((s) => [s.summary, visibleLog(s.log), ...Object.values(s.outputs)]),
      ...steps
        .map((s) => s.outputs['report-path'])
        .filter((p): p is string => !!p)
        .map((p) => readFileSync(p, 'utf8')),
      ...github.issues.map((i) => `${i.title}\n${i.body}`),
      ...github.comments.map((c) => c.body ?? ''),
      ...github.requests.map((r) => r.body),
    ];
    expect(steps.length).toBeGreaterThanOrEqual(9);
    for (const s of secrets) {
      for (const t of texts) expect(t.includes(s), `a secret leaked into: ${t.slice(0, 200)}`).toBe(false);
    }
    const masks = steps[0]!.log;
    expect(masks).toContain(`::add-mask::${PASSWORD}`);
    expect(masks).toContain(`::add-mask::${services().postgres.password}`);
    expect(masks).toContain(`::add-mask::${graph.info.password}`);
    expect(masks).toContain(`::add-mask::${QDRANT_KEY}`);
  });
});
