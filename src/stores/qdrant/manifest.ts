// manifest.json, the small artifact every Qdrant backup carries next to its collection artifacts: the server
// version, each collection's configuration, payload indexes, point count and files, and the aliases. A restore
// reads it first (validated: it comes back from storage).
import { z } from 'zod';

export const MANIFEST_ARTIFACT = 'manifest.json';
export const FULL_STORAGE_ARTIFACT = 'storage/full.snapshot';

export const artifactNames = {
  logical: (c: string) => `collections/${encodeURIComponent(c)}.jsonl`,
  snapshot: (c: string) => `collections/${encodeURIComponent(c)}.snapshot`,
  shard: (c: string, shard: number) => `collections/${encodeURIComponent(c)}/shards/${shard}.snapshot`,
};

export const SnapshotFile = z.object({
  artifact: z.string(),
  /** The snapshot's name on the server when it was taken (deleted there since). */
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** SHA-256 the server reported; passed back as `checksum` on upload so the server verifies it too. */
  checksum: z.string().nullable(),
});
export type SnapshotFile = z.infer<typeof SnapshotFile>;

export const CollectionEntry = z.object({
  name: z.string().min(1),
  /** CollectionConfig as the server reported it. */
  config: z.record(z.string(), z.unknown()),
  payloadSchema: z.record(z.string(), z.object({ data_type: z.string(), params: z.unknown().optional() }).loose()),
  points: z.number().int().nonnegative(),
  /** Logical mode: the JSON-lines artifact of the points. */
  points_artifact: z.string().optional(),
  /** Snapshot mode: one collection snapshot ... */
  snapshot: SnapshotFile.optional(),
  /** ... or, on a cluster, one snapshot per shard. */
  shards: z.array(SnapshotFile.extend({ shard: z.number().int().nonnegative() })).optional(),
});
export type CollectionEntry = z.infer<typeof CollectionEntry>;

export const QdrantManifest = z.object({
  format: z.literal('backdrill-qdrant/1'),
  mode: z.enum(['snapshot', 'logical']),
  serverVersion: z.string(),
  cluster: z.boolean(),
  collections: z.array(CollectionEntry),
  aliases: z.array(z.object({ alias: z.string(), collection: z.string() })),
  fullStorage: SnapshotFile.nullable(),
});
export type QdrantManifest = z.infer<typeof QdrantManifest>;
