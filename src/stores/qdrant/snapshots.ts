// Qdrant's native snapshots: taking them (per collection, per shard on a cluster, or the full storage), the
// version rule for restoring them, and uploading them back with the recovery priority that actually restores.
import { BackdrillError } from '../../errors.ts';
import type { QdrantApi } from './api.ts';
import { enc } from './collections.ts';
import type { SnapshotFile } from './manifest.ts';

/** A snapshot that exists on a server until `remove` deletes it. */
export interface RemoteSnapshot {
  file: SnapshotFile;
  shard?: number;
  api: QdrantApi;
  downloadPath: string;
  remove(): Promise<void>;
}

interface Description {
  name: string;
  size: number;
  checksum?: string | null;
}

function described(d: Description | null | undefined, what: string): Description {
  if (!d?.name) {
    throw new BackdrillError(
      'fatal',
      `the server did not describe the snapshot of ${what} it was asked to create (wait=true)`,
    );
  }
  return d;
}

export async function snapshotCollection(
  api: QdrantApi,
  collection: string,
  artifact: string,
): Promise<RemoteSnapshot> {
  const d = described(
    await api.call({ doing: `creating a snapshot of collection ${collection}`, collection }, (c) =>
      c.createSnapshot(collection, { wait: true }),
    ),
    `collection ${collection}`,
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    api,
    downloadPath: `/collections/${enc(collection)}/snapshots/${enc(d.name)}`,
    remove: () =>
      api
        .call({ doing: `deleting snapshot ${d.name} of ${collection}`, collection }, (c) =>
          c.deleteSnapshot(collection, d.name, { wait: true }),
        )
        .then(() => undefined),
  };
}

export async function snapshotShard(
  api: QdrantApi,
  collection: string,
  shard: number,
  artifact: string,
): Promise<RemoteSnapshot> {
  const d = described(
    await api.call({ doing: `creating a snapshot of shard ${shard} of collection ${collection}`, collection }, (c) =>
      c.createShardSnapshot(collection, shard, { wait: true }),
    ),
    `shard ${shard} of ${collection}`,
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    shard,
    api,
    downloadPath: `/collections/${enc(collection)}/shards/${shard}/snapshots/${enc(d.name)}`,
    remove: () =>
      api
        .call({ doing: `deleting snapshot ${d.name} of shard ${shard} of ${collection}`, collection }, (c) =>
          c.deleteShardSnapshot(collection, shard, d.name, { wait: true }),
        )
        .then(() => undefined),
  };
}

export async function snapshotFullStorage(api: QdrantApi, artifact: string): Promise<RemoteSnapshot> {
  const d = described(
    await api.call({ doing: 'creating a full-storage snapshot' }, (c) => c.createFullSnapshot({ wait: true })),
    'the full storage',
  );
  return {
    file: { artifact, name: d.name, size: d.size, checksum: d.checksum ?? null },
    api,
    downloadPath: `/snapshots/${enc(d.name)}`,
    remove: () =>
      api
        .call({ doing: `deleting full-storage snapshot ${d.name}` }, (c) =>
          c.deleteFullSnapshot(d.name, { wait: true }),
        )
        .then(() => undefined),
  };
}

/**
 * Where each shard of a collection can be snapshotted: a node (of `url` and `nodes`) that holds an active replica
 * locally. A collection snapshot taken on one cluster node holds only that node's shards, hence per shard.
 */
export async function shardHolders(apis: QdrantApi[], collection: string): Promise<Map<number, QdrantApi>> {
  const holders = new Map<number, QdrantApi>();
  let shardCount = 0;
  for (const api of apis) {
    const info = await api.call({ doing: `reading the shard layout of ${collection}`, collection }, (c) =>
      c.collectionClusterInfo(collection),
    );
    shardCount = Math.max(shardCount, info.shard_count);
    for (const s of info.local_shards) {
      if (s.state === 'Active' && !holders.has(s.shard_id)) holders.set(s.shard_id, api);
    }
  }
  const missing: number[] = [];
  for (let i = 0; i < shardCount; i++) if (!holders.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new BackdrillError(
      'usage',
      `store ${apis[0]!.conn.store}: no reachable node holds an active replica of shard(s) ${missing.join(', ')} of collection ${collection}`,
      {
        hint: 'list the REST URLs of every cluster node under `nodes` of this store in backdrill.yml, or use mode: logical (it reads through any node)',
      },
    );
  }
  return holders;
}

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

/**
 * Qdrant restores a snapshot only into the minor version that wrote it, at the same or a later patch (a
 * v1.4.1 snapshot restores into v1.4.x, x >= 1). Throws a usage error that says why and what to do instead.
 */
export function checkSnapshotVersion(store: string, recorded: string, target: string, where: string): void {
  const r = parseVersion(recorded);
  const t = parseVersion(target);
  const ok = r && t ? r.major === t.major && r.minor === t.minor && t.patch >= r.patch : recorded === target;
  if (ok) return;
  const series = r ? `${r.major}.${r.minor}.x with x >= ${r.patch}` : recorded;
  throw new BackdrillError(
    'usage',
    `store ${store}: the backup holds native snapshots written by Qdrant ${recorded}; the target ${where} runs Qdrant ${target}. ` +
      `A snapshot restores only into the same minor version (${series}): its files are Qdrant's on-disk format, which ` +
      'changes between minor versions',
    {
      hint:
        `restore into a Qdrant ${series} server (image qdrant/qdrant:v${recorded.replace(/^v/, '')}), ` +
        'or back this store up with mode: logical, which restores into any version',
    },
  );
}

/**
 * Uploads a snapshot with priority=snapshot. The default priority of older servers ("replica") prefers the data
 * already in the cluster, and a collection the recovery has just created is empty: that recovery "succeeds" and
 * leaves an empty collection (Qdrant's documented pitfall).
 */
export async function uploadSnapshot(
  api: QdrantApi,
  collection: string,
  file: SnapshotFile,
  bytes: AsyncIterable<Buffer>,
  shard?: number,
): Promise<void> {
  const path =
    shard === undefined
      ? `/collections/${enc(collection)}/snapshots/upload`
      : `/collections/${enc(collection)}/shards/${shard}/snapshots/upload`;
  const what = shard === undefined ? `collection ${collection}` : `shard ${shard} of ${collection}`;
  const result = await api.upload(
    path,
    { priority: 'snapshot', wait: 'true', ...(file.checksum ? { checksum: file.checksum } : {}) },
    { name: file.name, size: file.size, bytes },
    { doing: `recovering ${what} from its snapshot` },
  );
  if (result !== true) {
    throw new BackdrillError(
      'fatal',
      `recovering ${what} from its snapshot: the server answered ${JSON.stringify(result)}, not true`,
    );
  }
}
