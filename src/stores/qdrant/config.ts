// backdrill.yml section of a Qdrant store.
import { z } from 'zod';
import { StoreCommon } from '../common.ts';

export const QdrantStoreConfig = StoreCommon.extend({
  kind: z.literal('qdrant'),
  /** REST endpoint: http(s)://host:6333, optionally with a path prefix (a proxy or a cluster node's prefix). */
  url: z.string().regex(/^https?:\/\/[^/]/, 'expected an http:// or https:// URL (the REST port, usually 6333)'),
  /** API key (sent as the api-key header). Use ${ENV} interpolation, never a literal. */
  apiKey: z.string().min(1).optional(),
  /** Collections to back up; default: every collection on the server. */
  collections: z.array(z.string().min(1)).optional(),
  /** Collections to leave out. */
  exclude: z.array(z.string().min(1)).default([]),
  /**
   * snapshot: Qdrant's own collection snapshots (fast, exact, restore only into the same minor version);
   * logical: configuration, payload indexes, aliases and every point as JSON lines (restores into any version).
   */
  mode: z.enum(['snapshot', 'logical']).default('snapshot'),
  /** Snapshot mode: also take a full-storage snapshot (all collections and aliases, restored with the Qdrant CLI). */
  fullStorage: z.boolean().default(false),
  /**
   * Snapshot mode on a cluster: the REST URLs of the other nodes. Each shard is snapshotted on a node that holds
   * it; without them only the shards on `url` are reachable.
   */
  nodes: z.array(z.string().regex(/^https?:\/\/[^/]/, 'expected an http:// or https:// URL')).default([]),
  /** Points per scroll page and per upsert batch. */
  batchSize: z.number().int().min(1).max(10_000).default(256),
  /** Timeout of one REST request (a snapshot being created counts as one), in seconds. */
  timeoutSeconds: z.number().int().min(1).max(86_400).default(600),
  /** How often a snapshot download cut mid-stream is resumed before the backup fails. */
  downloadRetries: z.number().int().min(0).max(20).default(4),
  tls: z
    .object({
      /** PEM file of the CA that signed the server's certificate (added to the CAs this process trusts). */
      caFile: z.string().min(1).optional(),
    })
    .strict()
    .default({}),
});
export type QdrantStoreConfig = z.infer<typeof QdrantStoreConfig>;
