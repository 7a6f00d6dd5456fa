// Qdrant store against the Qdrant REST double (a double: no real Qdrant server can be obtained here; the same
// round trip runs against a real one in test/real/). Exact round trips in both modes, named differences after
// damage, clusters (per-shard snapshots) and full-storage snapshots.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import type { Snapshot } from '../../src/repo/format.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import type { Repository } from '../../src/repo/repository.ts';
import { QdrantAdapter } from '../../src/stores/qdrant/adapter.ts';
import { QdrantStoreConfig } from '../../src/stores/qdrant/config.ts';
import { backupStore, compareStore, restoreStore } from '../../src/stores/run.ts';
import { IncompleteRestoreError } from '../../src/stores/types.ts';
import { QdrantDouble, readTar } from '../doubles/qdrant/index.ts';
import { backendFor, initRepo, newLocation } from '../helpers/repo.ts';
import { bytesOf } from '../helpers/streams.ts';
import { services } from '../services/context.ts';
import { type QdrantEndpoint, qdrantRequest, type RichCollections, scrollText, seedRich } from './qdrant-fixture.ts';

function storeFor(ep: QdrantEndpoint, collections: string[], extra: Record<string, unknown> = {}): QdrantStoreConfig {
  return QdrantStoreConfig.parse({
    kind: 'qdrant',
    name: 'vectors',
    url: ep.url,
    ...(ep.apiKey ? { apiKey: ep.apiKey } : {}),
    collections,
    batchSize: 16,
    ...extra,
  });
}

async function artifactBytes(repo: Repository, snapshot: Snapshot, name: string): Promise<Buffer> {
  return bytesOf(readArtifact(repo, findArtifact(snapshot, name)));
}

function manifestOf(bytes: Buffer): {
  mode: string;
  collections: Array<{ name: string; points: number; snapshot?: { checksum: string } }>;
} {
  return JSON.parse(bytes.toString('utf8'));
}

let repo: Repository;
let source: QdrantEndpoint;
let rich: RichCollections;
let names: string[];

beforeAll(async () => {
  repo = await initRepo(backendFor(await newLocation('folder')));
  const q = services().qdrant;
  source = { url: q.url, apiKey: q.apiKey };
  rich = await seedRich(source, `rt_${randomBytes(4).toString('hex')}`);
  names = [rich.plain, rich.named, rich.empty];
});
afterAll(async () => {
  await repo?.close();
});

describe('Qdrant store on the Qdrant double: round trips', () => {
  it('snapshot mode: streams each collection snapshot, deletes it remotely, restores it exactly with priority=snapshot', async () => {
    const config = storeFor(source, names);
    const { snapshot, warnings } = await backupStore(repo, config);
    expect(warnings.filter((w) => !/plain http/.test(w))).toEqual([]);
    expect(snapshot.artifacts.map((a) => a.name).sort()).toEqual(
      ['manifest.json', ...names.map((n) => `collections/${n}.snapshot`)].sort(),
    );
    const fp = snapshot.fingerprint as { data: Record<string, { count: number }>; schema: Record<string, string> };
    expect(fp.data[`collection ${rich.plain}`]?.count).toBe(61);
    expect(fp.data[`collection ${rich.named}`]?.count).toBe(60);
    expect(fp.data[`collection ${rich.empty}`]?.count).toBe(0);
    expect(Object.keys(fp.schema)).toEqual(
      expect.arrayContaining([
        `collection ${rich.named} config`,
        `payload index ${rich.plain}.title`,
        `payload index ${rich.plain}.nested.level`,
        `payload index ${rich.named}.category`,
        `alias ${rich.aliases[0]}`,
        `alias ${rich.aliases[1]}`,
      ]),
    );
    const capture = snapshot.capture as { serverVersion: string; details: { mode: string } };
    expect(capture.serverVersion).toBe(services().qdrant.version);
    expect(capture.details.mode).toBe('snapshot');
    // The remote copies are gone.
    for (const n of names)
      expect(await qdrantRequest(source, 'GET', `/collections/${n}/snapshots`)).toMatch(/"result":\[\]/);

    await using target = await QdrantDouble.start();
    const restored = await restoreStore(repo, config, snapshot, { target: target.url });
    expect(restored.warnings).toEqual([]);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
    for (const n of names) expect(await scrollText({ url: target.url }, n)).toEqual(await scrollText(source, n));

    const manifest = manifestOf(await artifactBytes(repo, snapshot, 'manifest.json'));
    const uploads = target.node.requests.filter((r) => r.path.endsWith('/snapshots/upload'));
    expect(uploads).toHaveLength(3);
    for (const u of uploads) {
      const entry = manifest.collections.find((c) => u.path === `/collections/${c.name}/snapshots/upload`)!;
      expect(u.query).toMatchObject({ priority: 'snapshot', wait: 'true', checksum: entry.snapshot!.checksum });
    }
    const aliases = await qdrantRequest({ url: target.url }, 'GET', '/aliases');
    for (const a of rich.aliases) expect(aliases).toContain(`"alias_name":"${a}"`);
  });

  it('logical mode: exports config, indexes, aliases and every point, and restores them exactly into another version', async () => {
    const config = storeFor(source, names, { mode: 'logical' });
    const { snapshot } = await backupStore(repo, config);
    expect(snapshot.artifacts.map((a) => a.name).sort()).toEqual(
      ['manifest.json', ...names.map((n) => `collections/${n}.jsonl`)].sort(),
    );
    const lines = (await artifactBytes(repo, snapshot, `collections/${rich.plain}.jsonl`))
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(61);
    const text = lines.join('\n');
    expect(text).toContain('"id":18446744073709551615');
    expect(text).toContain('"big":1152921504606846977');
    expect(text).toContain('"ratio":1.0');
    expect(text).toContain('"名前":"テスト3"');

    // Another minor version: a logical backup restores across versions (a native snapshot would be refused).
    await using target = await QdrantDouble.start({ version: '1.17.4' });
    await restoreStore(repo, config, snapshot, { target: target.url });
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
    for (const n of names) expect(await scrollText({ url: target.url }, n)).toEqual(await scrollText(source, n));
    const info = JSON.parse(await qdrantRequest({ url: target.url }, 'GET', `/collections/${rich.named}`)).result;
    expect(info.config.params).toMatchObject({
      shard_number: 2,
      on_disk_payload: false,
      vectors: {
        image: { size: 8, distance: 'Euclid', datatype: 'float16', on_disk: true },
        colbert: { multivector_config: { comparator: 'max_sim' } },
      },
      sparse_vectors: { keywords: { modifier: 'idf' } },
    });
    expect(info.config.quantization_config).toEqual({ scalar: { type: 'int8', quantile: 0.99, always_ram: true } });
    expect(await qdrantRequest({ url: target.url }, 'GET', `/collections/${rich.named}`)).toContain(
      '"metadata":{"owner":"ml-team","since":2.0}',
    );
    expect(info.payload_schema.category).toMatchObject({ data_type: 'keyword', params: { is_tenant: true } });
  });

  it('names what differs: a missing point, a changed payload value or vector, a float that became an integer, config, index', async () => {
    const config = storeFor(source, [rich.plain], { mode: 'logical' });
    const { snapshot } = await backupStore(repo, config);
    await using target = await QdrantDouble.start();
    await restoreStore(repo, config, snapshot, { target: target.url });
    const t = { url: target.url };
    const victim = rich.plainIds[5]!;
    const page = await qdrantRequest(
      t,
      'POST',
      `/collections/${rich.plain}/points/scroll`,
      `{"limit":1,"offset":${victim},"with_payload":true,"with_vector":true}`,
    );
    const point = /"points":\[(\{.*\})\],"next_page_offset"/s.exec(page)![1]!;

    await qdrantRequest(t, 'POST', `/collections/${rich.plain}/points/delete?wait=true`, `{"points":[${victim}]}`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([
      expect.objectContaining({ area: 'data', object: `collection ${rich.plain}`, problem: 'count' }),
    ]);

    await qdrantRequest(t, 'PUT', `/collections/${rich.plain}/points?wait=true`, `{"points":[${point}]}`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);

    const changed = point.replace(/"category":"(\w+)"/, '"category":"$1-edited"');
    expect(changed).not.toBe(point);
    await qdrantRequest(t, 'PUT', `/collections/${rich.plain}/points?wait=true`, `{"points":[${changed}]}`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([
      expect.objectContaining({ area: 'data', object: `collection ${rich.plain}`, problem: 'changed' }),
    ]);

    const intified = point.replace('"ratio":1.0', '"ratio":1');
    expect(intified).not.toBe(point);
    await qdrantRequest(t, 'PUT', `/collections/${rich.plain}/points?wait=true`, `{"points":[${intified}]}`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([
      expect.objectContaining({ area: 'data', object: `collection ${rich.plain}`, problem: 'changed' }),
    ]);

    const moved = point.replace(/"vector":\[[^,\]]+/, '"vector":[0.5');
    expect(moved).not.toBe(point);
    await qdrantRequest(t, 'PUT', `/collections/${rich.plain}/points?wait=true`, `{"points":[${moved}]}`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([
      expect.objectContaining({ area: 'data', object: `collection ${rich.plain}`, problem: 'changed' }),
    ]);

    await qdrantRequest(t, 'PUT', `/collections/${rich.plain}/points?wait=true`, `{"points":[${point}]}`);
    await qdrantRequest(t, 'PATCH', `/collections/${rich.plain}`, '{"hnsw_config":{"m":48}}');
    await qdrantRequest(t, 'DELETE', `/collections/${rich.plain}/index/title?wait=true`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([
      expect.objectContaining({ area: 'schema', object: `collection ${rich.plain} config`, problem: 'changed' }),
      expect.objectContaining({ area: 'schema', object: `payload index ${rich.plain}.title`, problem: 'missing' }),
    ]);
  });

  it('refuses to restore over existing collections unless forced, then saves them first as a safety snapshot', async () => {
    const config = storeFor(source, [rich.empty, rich.named], { mode: 'logical' });
    const { snapshot } = await backupStore(repo, config);
    await using target = await QdrantDouble.start();
    await restoreStore(repo, config, snapshot, { target: target.url });
    await expect(restoreStore(repo, config, snapshot, { target: target.url })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/not empty/),
    });
    const forced = await restoreStore(repo, config, snapshot, { target: target.url, force: true });
    expect(forced.safety?.tags).toContain('safety');
    expect(forced.safety?.artifacts.map((a) => a.name)).toContain(`collections/${rich.named}.jsonl`);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
  });
});

describe('Qdrant store on the Qdrant double: clusters and full storage', () => {
  it('takes one snapshot per shard on the node that holds it, and restores them into a single server', async () => {
    await using cluster = await QdrantDouble.startCluster(2);
    const src = { url: cluster.url };
    const data = await seedRich(src, 'cl', 30);
    const config = storeFor(src, [data.plain, data.named], { nodes: [cluster.nodes[1]!.url] });

    const probe = await new QdrantAdapter(config).probe();
    expect(probe.details).toMatchObject({ cluster: true });
    const layout = (
      probe.details.collections as Array<{ name: string; shards: { count: number; local: number[] } }>
    ).find((c) => c.name === data.plain);
    expect(layout?.shards).toMatchObject({ count: 2, local: [0] });

    const { snapshot } = await backupStore(repo, config);
    expect(snapshot.artifacts.map((a) => a.name).sort()).toEqual(
      [
        'manifest.json',
        `collections/${data.named}/shards/0.snapshot`,
        `collections/${data.named}/shards/1.snapshot`,
        `collections/${data.plain}/shards/0.snapshot`,
        `collections/${data.plain}/shards/1.snapshot`,
      ].sort(),
    );
    expect(cluster.nodes.flatMap((n) => n.snapshotFiles())).toEqual([]);

    await using single = await QdrantDouble.start();
    await restoreStore(repo, config, snapshot, { target: single.url });
    expect(await compareStore(repo, config, snapshot, single.url)).toEqual([]);

    // Restoring into a cluster node that does not hold shard 1 restores only part: a failed restore, named.
    await using other = await QdrantDouble.startCluster(2);
    const err = await restoreStore(repo, config, snapshot, { target: other.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteRestoreError);
    expect((err as IncompleteRestoreError).failures.join('\n')).toMatch(
      new RegExp(`collection ${data.plain} shard 1: .*not local`),
    );
  });

  it('without the other nodes, a cluster snapshot is refused with what to do', async () => {
    await using cluster = await QdrantDouble.startCluster(2);
    const src = { url: cluster.url };
    await qdrantRequest(src, 'PUT', '/collections/spread', '{"vectors":{"size":2,"distance":"Dot"}}');
    const err = await backupStore(repo, storeFor(src, ['spread'])).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'usage', message: expect.stringMatching(/shard\(s\) 1 of collection spread/) });
    expect((err as { hint: string }).hint).toMatch(/nodes/);
    expect(cluster.nodes.flatMap((n) => n.snapshotFiles())).toEqual([]);
  });

  it('adds a full-storage snapshot when asked, and says on restore that it is applied by the Qdrant CLI', async () => {
    await using server = await QdrantDouble.start();
    const src = { url: server.url };
    const data = await seedRich(src, 'full', 10);
    const config = storeFor(src, [data.plain], { fullStorage: true });
    const { snapshot } = await backupStore(repo, config);
    const full = readTar(await artifactBytes(repo, snapshot, 'storage/full.snapshot'));
    expect(full.map((e) => e.name)).toEqual(
      expect.arrayContaining(['aliases.json', `collections/${data.plain}.snapshot`]),
    );
    expect(server.node.snapshotFiles()).toEqual([]);
    await using target = await QdrantDouble.start();
    const { warnings } = await restoreStore(repo, config, snapshot, { target: target.url });
    expect(warnings.join('\n')).toMatch(/--storage-snapshot/);
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
  });
});

describe('Qdrant store configuration', () => {
  it('reads a qdrant section from backdrill.yml with the API key from the environment (masked as a secret)', () => {
    const yml = [
      'version: 1',
      'repository: { location: /tmp/unused }',
      'stores:',
      '  - kind: qdrant',
      '    name: vectors',
      '    url: https://qdrant.example:6333',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: backdrill.yml interpolation, not a JS template
      '    apiKey: ${QDRANT_API_KEY}',
      '    mode: logical',
      '    collections: [docs, images]',
    ].join('\n');
    const { config, secrets } = parseConfig(yml, 'backdrill.yml', { QDRANT_API_KEY: 'sekret-key-123' });
    expect(config.stores[0]).toMatchObject({
      kind: 'qdrant',
      apiKey: 'sekret-key-123',
      mode: 'logical',
      fullStorage: false,
      batchSize: 256,
    });
    expect(secrets).toContain('sekret-key-123');
    expect(() => parseConfig(yml.replace('https://', 'qdrant://'), 'backdrill.yml', { QDRANT_API_KEY: 'x' })).toThrow(
      /stores\[0\]\.url/,
    );
  });
});
