// A drill across stores: PostgreSQL through the local provider and Qdrant through the Qdrant double, as an
// external target and as the local provider's `qdrant` binary (no real Qdrant can be had here). The cross-store
// rule names the key a store lost; an external target that never comes up fails the drill by name.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BackdrillConfig } from '../../src/config/schema.ts';
import { ChecksFile, expandBuiltins } from '../../src/drill/checks.ts';
import { freePort } from '../../src/drill/process.ts';
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

const QDRANT_DOUBLE_BINARY = fileURLToPath(new URL('../doubles/qdrant/bin/qdrant-double', import.meta.url));

/**
 * external: the restore target is an empty Qdrant double at a URL, as a GitHub service container would be;
 * local: the local provider starts the Qdrant double's command as drill.local.qdrantBinary.
 */
async function drillWith(missingPoint?: number, qdrantSandbox: 'external' | 'local' = 'external') {
  const { app, collection } = await seed(missingPoint);
  const q = services().qdrant;
  const target = qdrantSandbox === 'external' ? await QdrantDouble.start({ apiKey: q.apiKey }) : undefined;
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
        local: { postgresBinDir: services().postgres.binDir, qdrantBinary: QDRANT_DOUBLE_BINARY },
        targets: target ? { vectors: target.url } : {},
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
    await target?.stop();
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

  it('local provider: the Qdrant binary runs in a temp dir with its own key, and is gone after the drill', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('backdrill-qdrant-'));
    const report = await drillWith(undefined, 'local');
    expect(report.failures).toEqual([]);
    const vectors = report.stores.find((s) => s.store === 'vectors')!;
    expect(vectors.sandbox).toEqual({ provider: 'local', version: services().qdrant.version });
    expect(vectors.fingerprint).toMatchObject({ compared: true, ok: true });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('backdrill-qdrant-'))).toEqual(before);
  });

  it('an external target that never accepts connections fails the drill, naming the store and the URL', async () => {
    const { app } = await seed();
    const closed = await freePort();
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
      ],
      drill: {
        provider: 'external',
        readyTimeout: '1s',
        targets: { app: `postgresql://postgres:drill-secret@127.0.0.1:${closed}` },
      },
    });
    const repo = await initRepo(backendFor(await newLocation('folder')));
    try {
      await backupSet(repo, config, config.stores);
      const report = await runDrill(repo, {
        config,
        drill: config.drill,
        checks: { checks: [], rules: [] },
      });
      expect(report.passed).toBe(false);
      expect(report.failures).toEqual([
        `app: no sandbox (external provider): the drill target of store app (postgresql://127.0.0.1:${closed}) did not accept connections within 1 s`,
      ]);
      expect(JSON.stringify(report)).not.toContain('drill-secret');
    } finally {
      await repo.close();
    }
  });
});
