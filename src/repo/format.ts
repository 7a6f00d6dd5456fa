// Repository format v1: object layout and the schemas of everything read back from storage (zod at the edge).
// docs/repository-format.md is the prose version of this module; keep them in step.
import { z } from 'zod';

export const FORMAT_VERSION = 1;

export const layout = {
  config: 'config',
  keysPrefix: 'keys/',
  key: (id: string) => `keys/${id}`,
  snapshotsPrefix: 'snapshots/',
  snapshot: (id: string) => `snapshots/${id}`,
  dataPrefix: 'data/',
  chunk: (id: string) => `data/${id.slice(0, 2)}/${id}`,
  locksPrefix: 'locks/',
  lock: (id: string) => `locks/${id}`,
} as const;

export const HEX64 = /^[0-9a-f]{64}$/;

/** The chunk ID of a data/ key, or undefined for anything else found under data/. */
export function chunkIdFromKey(key: string): string | undefined {
  const m = /^data\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(key);
  return m && m[2]!.startsWith(m[1]!) ? m[2] : undefined;
}

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

// Bounded so a tampered key file cannot make opening the repository take minutes or gigabytes.
export const ScryptParams = z.object({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: b64,
});
export type ScryptParams = z.infer<typeof ScryptParams>;

/** keys/<id>: a passphrase-wrapped copy of the master keys. Stored as JSON, outside the envelope. */
export const KeyFile = z.object({
  version: z.literal(1),
  created: z.string(),
  hostname: z.string(),
  username: z.string(),
  kdf: ScryptParams,
  wrap: z.object({ algorithm: z.literal('aes-256-gcm'), nonce: b64, data: b64 }),
});
export type KeyFile = z.infer<typeof KeyFile>;

/** The plaintext inside KeyFile.wrap.data. */
export const WrappedKeys = z.object({
  repository: z.string().regex(HEX64),
  encryption: b64,
  chunkId: b64,
});

export const ChunkerConfig = z.object({
  min: z.number().int().positive(),
  avg: z.number().int().positive(),
  max: z.number().int().positive(),
});

/** The `config` object: sealed with the master key (type config, id config), or plain for encryption none. */
export const RepoConfig = z.object({
  version: z.literal(FORMAT_VERSION),
  id: z.string().regex(HEX64),
  created: z.string(),
  encryption: z.enum(['aes-256-gcm', 'none']),
  /** For encryption none only: the chunk-ID key has no key file to live in. */
  chunkIdKey: b64.optional(),
  chunker: ChunkerConfig,
  compression: z.object({ algorithm: z.literal('zstd'), level: z.number().int().min(1).max(22) }),
  /** What init found the provider to do with If-None-Match: *. */
  conditionalWrites: z.boolean(),
});
export type RepoConfig = z.infer<typeof RepoConfig>;

/** [chunk id, plaintext size, stored size] */
export const ChunkRef = z.tuple([z.string().regex(HEX64), z.number().int().nonnegative(), z.number().int().positive()]);
export type ChunkRef = z.infer<typeof ChunkRef>;

export const Artifact = z.object({
  name: z.string().min(1),
  size: z.number().int().nonnegative(),
  chunks: z.array(ChunkRef),
});
export type Artifact = z.infer<typeof Artifact>;

export const SnapshotStats = z.object({
  bytesProcessed: z.number().int().nonnegative(),
  bytesAdded: z.number().int().nonnegative(),
  chunksNew: z.number().int().nonnegative(),
  chunksReused: z.number().int().nonnegative(),
});
export type SnapshotStats = z.infer<typeof SnapshotStats>;

export const GithubRun = z.object({
  repository: z.string().optional(),
  workflow: z.string().optional(),
  runId: z.string(),
  runAttempt: z.string().optional(),
});

/** snapshots/<id>: one store's backup. Written last: its existence means every chunk it names is stored. */
export const SnapshotManifest = z.object({
  version: z.literal(FORMAT_VERSION),
  time: z.string(),
  hostname: z.string(),
  username: z.string(),
  store: z.object({ name: z.string().min(1), kind: z.string().min(1) }),
  tags: z.array(z.string()),
  backupSet: z.string().nullable(),
  github: GithubRun.nullable(),
  artifacts: z.array(Artifact),
  /** The store's capture point (LSN, transaction time, ...): store-specific, recorded as given. */
  capture: z.unknown().nullable(),
  /** The store's fingerprint of exactly the data backed up: store-specific. */
  fingerprint: z.unknown().nullable(),
  timings: z.object({ startedAt: z.string(), finishedAt: z.string(), durationMs: z.number().nonnegative() }),
  stats: SnapshotStats,
});
export type SnapshotManifest = z.infer<typeof SnapshotManifest>;

export interface Snapshot extends SnapshotManifest {
  id: string;
}

/** locks/<id> */
export const LockRecord = z.object({
  version: z.literal(1),
  kind: z.enum(['shared', 'exclusive']),
  operation: z.string(),
  hostname: z.string(),
  username: z.string(),
  pid: z.number().int(),
  github: GithubRun.nullable(),
  /** Identifies the kernel and PID namespace the holder ran in: only there can its pid be checked. */
  hostId: z.string(),
  createdAt: z.iso.datetime(),
  refreshedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});
export type LockRecord = z.infer<typeof LockRecord>;

export function snapshotSize(s: SnapshotManifest): number {
  return s.artifacts.reduce((n, a) => n + a.size, 0);
}

// --- Drill records (added with retention, issue 9) --------------------------------------------------------------
// drills/<id>: the result of one restore drill, an envelope of type 'drill' with a random 64-hex ID. Written by
// restore-drill (when it lands); read by `forget`, which never forgets the newest snapshots a passed drill restored.

export const drillLayout = {
  prefix: 'drills/',
  record: (id: string) => `drills/${id}`,
} as const;

export const DrillRecord = z.object({
  version: z.literal(1),
  /** When the drill finished. */
  time: z.iso.datetime(),
  /** The backup set the drill restored, when the snapshots belong to one. */
  backupSet: z.string().nullable(),
  /** Full IDs of the snapshots the drill restored. */
  snapshots: z.array(z.string().regex(HEX64)).min(1),
  result: z.enum(['passed', 'failed']),
  /** Time until every store was restored, for trends (restore-drill). */
  rtoMs: z.number().nonnegative().optional(),
  /** The whole drill report (src/report/report.ts), kept for summaries and trends. */
  report: z.unknown().optional(),
});
export type DrillRecord = z.infer<typeof DrillRecord>;
