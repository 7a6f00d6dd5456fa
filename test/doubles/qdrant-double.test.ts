// The Qdrant REST double's own tests: it must behave like Qdrant where backdrill depends on it (shapes the official
// client accepts, status codes and error bodies, wait semantics, lossless numbers, snapshot archives, recovery
// priorities including the documented empty-collection pitfall), or the adapter's tests prove nothing.
import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_COMMIT, QdrantDouble, readTar } from './qdrant/index.ts';

const KEY = 'double-test-key';

async function raw(
  base: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { 'api-key': KEY },
): Promise<{ status: number; text: string; json: () => unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

function client(url: string, apiKey = KEY): QdrantClient {
  const u = new URL(url);
  return new QdrantClient({ url: u.origin, headers: { 'api-key': apiKey }, checkCompatibility: false });
}

async function uploadSnapshot(
  url: string,
  collection: string,
  file: Buffer,
  query: string,
): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.append('snapshot', new Blob([new Uint8Array(file)]), 'x.snapshot');
  const res = await fetch(`${url}/collections/${collection}/snapshots/upload?${query}`, {
    method: 'POST',
    headers: { 'api-key': KEY },
    body: form,
  });
  return { status: res.status, text: await res.text() };
}

async function downloadBytes(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: Buffer }> {
  const res = await fetch(`${url}${path}`, { headers: { 'api-key': KEY, ...headers } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

let double: QdrantDouble;
beforeAll(async () => {
  double = await QdrantDouble.start({ apiKey: KEY, asyncDelayMs: 200 });
});
afterAll(async () => {
  await double?.stop();
});

describe('Qdrant double: service and auth', () => {
  it('reports its version at GET / without a key, and says it is a double', async () => {
    const r = await raw(double.url, 'GET', '/', undefined, {});
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      title: 'qdrant - vector search engine',
      version: double.version,
      commit: DOUBLE_COMMIT,
    });
  });

  it('refuses other endpoints without a key or with a wrong one: 401 and a plain-text reason', async () => {
    const none = await raw(double.url, 'GET', '/collections', undefined, {});
    expect(none.status).toBe(401);
    expect(none.text).toMatch(/Must provide an API key/);
    const wrong = await raw(double.url, 'GET', '/collections', undefined, { 'api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toMatch(/Invalid API key/);
    const bearer = await raw(double.url, 'GET', '/collections', undefined, { authorization: `Bearer ${KEY}` });
    expect(bearer.status).toBe(200);
  });

  it("answers unknown collections with 404 and Qdrant's error envelope", async () => {
    const r = await raw(double.url, 'GET', '/collections/nope');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ status: { error: "Not found: Collection `nope` doesn't exist!" } });
  });
});

describe('Qdrant double: collections and points through the official client', () => {
  it('creates a collection, fills in defaults as Qdrant reports them, and refuses a duplicate with 409', async () => {
    const c = client(double.url);
    await c.createCollection('typed', {
      vectors: {
        dense: { size: 3, distance: 'Cosine', datatype: 'float16' },
        multi: { size: 2, distance: 'Dot', multivector_config: { comparator: 'max_sim' } },
      },
      sparse_vectors: { text: {} },
      hnsw_config: { m: 32 },
    });
    const info = await c.getCollection('typed');
    expect(info.config.params.vectors).toMatchObject({ dense: { size: 3, distance: 'Cosine', datatype: 'float16' } });
    expect(info.config.params.sparse_vectors).toEqual({ text: {} });
    expect(info.config.hnsw_config).toMatchObject({ m: 32, ef_construct: 100 });
    expect(info.config.params).toMatchObject({ shard_number: 1, replication_factor: 1 });
    const dup = await raw(
      double.url,
      'PUT',
      '/collections/typed',
      JSON.stringify({ vectors: { size: 3, distance: 'Dot' } }),
    );
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({ status: { error: expect.stringMatching(/already exists/) } });
  });

  it('validates vectors like Qdrant: dimension and unknown names are 400 with the reason', async () => {
    const c = client(double.url);
    await c.createCollection('dims', { vectors: { size: 4, distance: 'Euclid' } });
    const r = await raw(
      double.url,
      'PUT',
      '/collections/dims/points?wait=true',
      JSON.stringify({ points: [{ id: 1, vector: [1, 2, 3] }] }),
    );
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({
      status: { error: 'Wrong input: Vector dimension error: expected dim: 4, got 3' },
    });
    const named = await raw(
      double.url,
      'PUT',
      '/collections/dims/points?wait=true',
      JSON.stringify({ points: [{ id: 1, vector: { x: [1, 2, 3, 4] } }] }),
    );
    expect(named.status).toBe(400);
    expect(named.text).toMatch(/Not existing vector name/);
  });

  it('applies wait=true upserts before answering, and wait=false ones only later ("acknowledged")', async () => {
    const c = client(double.url);
    await c.createCollection('waits', { vectors: { size: 2, distance: 'Dot' } });
    const now = await c.upsert('waits', { wait: true, points: [{ id: 1, vector: [1, 2] }] });
    expect(now.status).toBe('completed');
    expect((await c.count('waits')).count).toBe(1);
    const later = await c.upsert('waits', { wait: false, points: [{ id: 2, vector: [3, 4] }] });
    expect(later.status).toBe('acknowledged');
    expect((await c.count('waits')).count).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.count('waits')).count).toBe(2);
  });

  it('normalises cosine vectors once: storing a returned vector again changes nothing', async () => {
    const c = client(double.url);
    await c.createCollection('cos', { vectors: { size: 3, distance: 'Cosine' } });
    await c.upsert('cos', { wait: true, points: [{ id: 1, vector: [3, 4, 12] }] });
    const first = (await c.scroll('cos', { with_vector: true })).points[0]!.vector as number[];
    expect(Math.hypot(...first)).toBeCloseTo(1, 6);
    await c.upsert('cos', { wait: true, points: [{ id: 1, vector: first }] });
    const second = (await c.scroll('cos', { with_vector: true })).points[0]!.vector as number[];
    expect(second).toEqual(first);
  });

  it("normalises 1536-dimension cosine vectors in Qdrant's summation order: storing them again is a no-op", async () => {
    await client(double.url).createCollection('wide', { vectors: { size: 1536, distance: 'Cosine' } });
    let seed = 1;
    const rnd = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32 - 0.5;
    };
    const points = Array.from({ length: 60 }, (_, id) => ({ id, vector: Array.from({ length: 1536 }, rnd) }));
    await raw(double.url, 'PUT', '/collections/wide/points?wait=true', JSON.stringify({ points }));
    const body = '{"limit":100,"with_payload":false,"with_vector":true}';
    const first = (await raw(double.url, 'POST', '/collections/wide/points/scroll', body)).text;
    const stored = /"points":(\[.*\]),"next_page_offset"/s.exec(first)![1]!;
    await raw(double.url, 'PUT', '/collections/wide/points?wait=true', `{"points":${stored}}`);
    const second = (await raw(double.url, 'POST', '/collections/wide/points/scroll', body)).text;
    expect(/"points":(\[.*\]),"next_page_offset"/s.exec(second)![1]).toBe(stored);
  });

  it('keeps u64 ids, big payload integers and integral floats exactly', async () => {
    await client(double.url).createCollection('exact', { vectors: { size: 1, distance: 'Dot' } });
    const body =
      '{"points":[{"id":18446744073709551615,"vector":[0.1],"payload":{"big":9007199254740993,"f":1.0,"i":1}}]}';
    expect((await raw(double.url, 'PUT', '/collections/exact/points?wait=true', body)).status).toBe(200);
    const r = await raw(
      double.url,
      'POST',
      '/collections/exact/points/scroll',
      '{"with_payload":true,"with_vector":true}',
    );
    expect(r.text).toContain('"id":18446744073709551615');
    expect(r.text).toContain('"big":9007199254740993');
    expect(r.text).toContain('"f":1.0');
    expect(r.text).toContain('"i":1');
    expect(r.text).toContain('"vector":[0.1]');
  });

  it('scrolls integer ids before UUIDs, each ascending, page by page', async () => {
    const c = client(double.url);
    await c.createCollection('order', { vectors: { size: 1, distance: 'Dot' } });
    const ids = [10, '9f0b2f2e-6e1c-4a43-9d1e-2b7b2a7c0a01', 2, '00000000-0000-4000-8000-000000000001', 7];
    await c.upsert('order', { wait: true, points: ids.map((id) => ({ id, vector: [1] })) });
    const seen: unknown[] = [];
    let offset: string | number | null | undefined;
    do {
      const page = await c.scroll('order', { limit: 2, ...(offset == null ? {} : { offset }) });
      seen.push(...page.points.map((p) => p.id));
      offset = page.next_page_offset as string | number | null | undefined;
    } while (offset != null);
    expect(seen).toEqual([2, 7, 10, '00000000-0000-4000-8000-000000000001', '9f0b2f2e-6e1c-4a43-9d1e-2b7b2a7c0a01']);
  });

  it('keeps aliases, and drops them with their collection', async () => {
    const c = client(double.url);
    await c.createCollection('aliased', { vectors: { size: 1, distance: 'Dot' } });
    await c.updateCollectionAliases({
      actions: [{ create_alias: { collection_name: 'aliased', alias_name: 'current' } }],
    });
    expect((await c.getAliases()).aliases).toContainEqual({ alias_name: 'current', collection_name: 'aliased' });
    const dup = await raw(
      double.url,
      'POST',
      '/collections/aliases',
      JSON.stringify({ actions: [{ create_alias: { collection_name: 'aliased', alias_name: 'current' } }] }),
    );
    expect(dup.status).toBe(409);
    await c.deleteCollection('aliased');
    expect((await c.getAliases()).aliases.map((a) => a.alias_name)).not.toContain('current');
  });
});

describe('Qdrant double: snapshots', () => {
  it('creates a snapshot (wait) that is a tar archive whose SHA-256 is the announced checksum, and deletes it', async () => {
    const c = client(double.url);
    await c.createCollection('snap', { vectors: { size: 2, distance: 'Dot' } });
    await c.upsert('snap', { wait: true, points: [{ id: 1, vector: [1, 2], payload: { a: 'b' } }] });
    const d = (await c.createSnapshot('snap', { wait: true }))!;
    expect(d.name).toMatch(/^snap-\d+-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.snapshot$/);
    const { status, bytes } = await downloadBytes(double.url, `/collections/snap/snapshots/${d.name}`);
    expect(status).toBe(200);
    expect(bytes.length).toBe(d.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.checksum);
    const names = readTar(bytes).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['config.json', 'payload_index.json', '0/points.jsonl']));
    expect((await c.listSnapshots('snap')).map((s) => s.name)).toEqual([d.name]);
    await c.deleteSnapshot('snap', d.name);
    expect(await c.listSnapshots('snap')).toEqual([]);
    expect(double.node.snapshotFiles()).toEqual([]);
  });

  it('creates a snapshot in the background with wait=false (202), listed once done', async () => {
    const c = client(double.url);
    await c.createCollection('bg', { vectors: { size: 1, distance: 'Dot' } });
    const r = await raw(double.url, 'POST', '/collections/bg/snapshots?wait=false');
    expect(r.status).toBe(202);
    expect(await c.listSnapshots('bg')).toEqual([]);
    await new Promise((res) => setTimeout(res, 400));
    const listed = await c.listSnapshots('bg');
    expect(listed).toHaveLength(1);
    await c.deleteSnapshot('bg', listed[0]!.name);
  });

  it('serves Range requests (206), ignores them on request, and cuts downloads where told', async () => {
    const c = client(double.url);
    await c.createCollection('ranges', { vectors: { size: 2, distance: 'Dot' } });
    await c.upsert('ranges', {
      wait: true,
      points: Array.from({ length: 50 }, (_, i) => ({ id: i, vector: [i, 1], payload: { i } })),
    });
    const d = (await c.createSnapshot('ranges', { wait: true }))!;
    const path = `/collections/ranges/snapshots/${d.name}`;
    const whole = (await downloadBytes(double.url, path)).bytes;
    const part = await downloadBytes(double.url, path, { range: 'bytes=1000-' });
    expect(part.status).toBe(206);
    expect(part.bytes.equals(whole.subarray(1000))).toBe(true);
    double.node.faults.ignoreRange = true;
    const ignored = await downloadBytes(double.url, path, { range: 'bytes=1000-' });
    double.node.faults.ignoreRange = false;
    expect(ignored.status).toBe(200);
    expect(ignored.bytes.length).toBe(whole.length);
    double.node.faults.cutDownloadAfterBytes = 700;
    double.node.faults.cutDownloads = 1;
    await expect(downloadBytes(double.url, path)).rejects.toThrow();
    expect((await downloadBytes(double.url, path)).bytes.equals(whole)).toBe(true);
    await c.deleteSnapshot('ranges', d.name);
  });

  it('recovers an uploaded snapshot into a fresh server, checking the checksum', async () => {
    const c = client(double.url);
    await c.createCollection('move', { vectors: { size: 2, distance: 'Dot' } });
    await c.createPayloadIndex('move', { field_name: 'tag', field_schema: 'keyword', wait: true });
    await c.upsert('move', { wait: true, points: [{ id: 1, vector: [1, 2], payload: { tag: 'x' } }] });
    const d = (await c.createSnapshot('move', { wait: true }))!;
    const file = (await downloadBytes(double.url, `/collections/move/snapshots/${d.name}`)).bytes;
    await using fresh = await QdrantDouble.start({ apiKey: KEY });
    const bad = await uploadSnapshot(fresh.url, 'move', file, `priority=snapshot&checksum=${'0'.repeat(64)}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/checksum mismatch/);
    const ok = await uploadSnapshot(fresh.url, 'move', file, `priority=snapshot&checksum=${d.checksum}`);
    expect(ok.status).toBe(200);
    const info = await client(fresh.url).getCollection('move');
    expect(info.points_count).toBe(1);
    expect(Object.keys(info.payload_schema)).toEqual(['tag']);
  });

  it('refuses a snapshot from a server two minor versions away', async () => {
    await using old = await QdrantDouble.start({ apiKey: KEY, version: '1.17.2' });
    const c = client(old.url);
    await c.createCollection('aged', { vectors: { size: 1, distance: 'Dot' } });
    const d = (await c.createSnapshot('aged', { wait: true }))!;
    const file = (await downloadBytes(old.url, `/collections/aged/snapshots/${d.name}`)).bytes;
    await using current = await QdrantDouble.start({ apiKey: KEY, version: '1.19.0' });
    const r = await uploadSnapshot(current.url, 'aged', file, 'priority=snapshot');
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/created by Qdrant 1\.17\.2/);
  });
});

describe('Qdrant double: clusters and recovery priorities', () => {
  async function clusterSnapshot(version: string) {
    const src = await QdrantDouble.startCluster(2, { apiKey: KEY, version });
    const c = client(src.url);
    await c.createCollection('rep', { vectors: { size: 1, distance: 'Dot' }, shard_number: 1, replication_factor: 2 });
    await c.upsert('rep', { wait: true, points: Array.from({ length: 5 }, (_, i) => ({ id: i, vector: [i] })) });
    const d = (await c.createSnapshot('rep', { wait: true }))!;
    const file = (await downloadBytes(src.url, `/collections/rep/snapshots/${d.name}`)).bytes;
    await src.stop();
    return file;
  }

  it('reproduces the documented pitfall: the default priority of 1.9 recovers a new collection empty on a cluster', async () => {
    const file = await clusterSnapshot('1.9.7');
    await using target = await QdrantDouble.startCluster(2, { apiKey: KEY, version: '1.9.7' });
    const r = await uploadSnapshot(target.url, 'rep', file, '');
    expect(r.status).toBe(200);
    expect((await client(target.url).count('rep')).count).toBe(0);
    await client(target.url).deleteCollection('rep');
    expect((await uploadSnapshot(target.url, 'rep', file, 'priority=snapshot')).status).toBe(200);
    expect((await client(target.url).count('rep')).count).toBe(5);
  });

  it('recovers with the current default (snapshot) and always on a standalone server', async () => {
    const file = await clusterSnapshot('1.19.0');
    await using cluster = await QdrantDouble.startCluster(2, { apiKey: KEY });
    expect((await uploadSnapshot(cluster.url, 'rep', file, '')).status).toBe(200);
    expect((await client(cluster.url).count('rep')).count).toBe(5);
    await using single = await QdrantDouble.start({ apiKey: KEY });
    expect((await uploadSnapshot(single.url, 'rep', file, 'priority=replica')).status).toBe(200);
    expect((await client(single.url).count('rep')).count).toBe(5);
  });

  it('holds each shard on its own node: a collection snapshot has only local shards, shard snapshots need a holder', async () => {
    await using cluster = await QdrantDouble.startCluster(2, { apiKey: KEY });
    const c = client(cluster.url);
    await c.createCollection('spread', { vectors: { size: 1, distance: 'Dot' } });
    await c.upsert('spread', { wait: true, points: Array.from({ length: 40 }, (_, i) => ({ id: i, vector: [i] })) });
    const layout = await c.collectionClusterInfo('spread');
    expect(layout.shard_count).toBe(2);
    expect(layout.local_shards.map((s) => s.shard_id)).toEqual([0]);
    expect(layout.remote_shards.map((s) => s.shard_id)).toEqual([1]);
    const d = (await c.createSnapshot('spread', { wait: true }))!;
    const tar = readTar((await downloadBytes(cluster.url, `/collections/spread/snapshots/${d.name}`)).bytes);
    expect(tar.map((e) => e.name)).toContain('0/points.jsonl');
    expect(tar.map((e) => e.name)).not.toContain('1/points.jsonl');
    const remote = await raw(cluster.url, 'POST', '/collections/spread/shards/1/snapshots?wait=true');
    expect(remote.status).toBe(400);
    const onHolder = await raw(cluster.nodes[1]!.url, 'POST', '/collections/spread/shards/1/snapshots?wait=true');
    expect(onHolder.status).toBe(200);
  });
});
