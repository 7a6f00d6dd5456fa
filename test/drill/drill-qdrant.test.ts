// A drill across stores: PostgreSQL through the local provider and Qdrant through the Qdrant double as an
// external target (no real Qdrant can be had here). The cross-store rule names the key a store lost.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BackdrillConfig } from '../../src/config/schema.ts';
import { ChecksFile, expandBuiltins } from '../../src/drill/checks.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { backupSet } from '../../src/stores/set.ts';
import { QdrantDouble } from '../doubles/qdrant/server.ts';
import { backendFor, initRepo, newLocation } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { connectionUrl } from '../services/postgres.ts';
import { qdrantRequest } from '../stores/qdrant-fixture.ts';

async function seed(missingPoint?: number) {
  const app = await freshDatabase('kg');
  const c = new pg.Client(app.config);
  await c.connect();
  await c.query(`CREATE TABLE documents (id int PRIMARY KEY, title text);
                 INSERT INTO documents SELECT i, 'doc ' || i FROM generate_series(1, 40) i;`);
  await c.end();
  const q = services().qdrant;
  const ep = { url: q.url, apiKey: q.apiKey };
  const collection = `docs_${randomBytes(4).toString('hex')}`;
  await qdrantRequest(
    ep,
    'PUT',
    `/collections/${collection}`,
    JSON.stringify({ vectors: { size: 4, distance: 'Cosine' } }),
  );
  const points = Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    vector: [0.1 * (i + 1), 0.2, 0.3, 0.4],
    payload: { doc_id: i + 1, title: `doc ${i + 1}` },
  })).filter((p) => p.id !== missingPoint);
  await qdrantRequest(ep, 'PUT', `/collections/${collection}/points?wait=true`, JSON.stringify({ points }));
  return { app, collection };
}

async function drillWith(missingPoint?: number) {
  const { app, collection } = await seed(missingPoint);
  const q = services().qdrant;
  // The restore target: an empty Qdrant double reachable at a URL, as a GitHub service container would be.
  const target = await QdrantDouble.start({ apiKey: q.apiKey });
  try {
    const config = BackdrillConfig.parse({
      version: 1,
      repository: { location: 'unused' },
      stores: [
        {
          name: 'app',
          kind: 'postgres',
          url: connectionUrl(services().postgres, 'postgres'),
          databases: [app.name],
          globals: false,
        },
        { name: 'vectors', kind: 'qdrant', url: q.url, apiKey: q.apiKey, collections: [collection], mode: 'snapshot' },
      ],
      drill: {
        provider: 'local',
        local: { postgresBinDir: services().postgres.binDir },
        targets: { vectors: target.url },
      },
    });
    const checks = expandBuiltins(
      ChecksFile.parse({
        version: 1,
        checks: [
          { name: 'vectors restored', store: 'vectors', qdrant: { collection, op: 'count' }, expect: { min: 39 } },
        ],
        rules: [
          {
            name: 'every document has a vector',
            kind: 'equal',
            left: { store: 'app', sql: 'SELECT id::text FROM documents' },
            right: { store: 'vectors', qdrant: { collection, op: 'ids', payloadKey: 'doc_id' } },
          },
        ],
      }),
    );
    const repo = await initRepo(backendFor(await newLocation('minio')));
    try {
      await backupSet(repo, config, config.stores);
      return await runDrill(repo, { config, drill: config.drill, checks });
    } finally {
      await repo.close();
    }
  } finally {
    await target.stop();
  }
}

describe('drill across PostgreSQL (local sandbox) and Qdrant (the Qdrant double as an external target)', () => {
  it('a clean set drills green: both stores restored, fingerprints match, the cross-store rule holds', async () => {
    const report = await drillWith();
    expect(report.failures).toEqual([]);
    expect(report.stores.map((s) => [s.store, s.sandbox?.provider, s.restore.ok, s.fingerprint.ok])).toEqual([
      ['app', 'local', true, true],
      ['vectors', 'external', true, true],
    ]);
    expect(report.checks.every((c) => c.ok)).toBe(true);
  });

  it('a vector missing in Qdrant only: the rule fails and names the document id', async () => {
    const report = await drillWith(17);
    expect(report.passed).toBe(false);
    const rule = report.checks.find((c) => c.name === 'every document has a vector')!;
    expect(rule.ok).toBe(false);
    expect(rule.samples).toEqual(['17']);
    expect(rule.message).toBe('1 key(s) in app missing from vectors');
  });
});
