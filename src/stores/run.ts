// Store operations over the repository: back a store up into a snapshot, restore a snapshot into a target
// (refusing a non-empty one unless forced, and then saving it as a safety snapshot first), and compare a live
// target with a snapshot's fingerprint. The CLI, the actions and the drills all go through here.
import type { StoreConfig } from '../config/schema.ts';
import { BackdrillError } from '../errors.ts';
import { type ProgressInfo, SnapshotWriter } from '../repo/backup.ts';
import type { Snapshot } from '../repo/format.ts';
import { withLock } from '../repo/lock.ts';
import { findArtifact, readArtifact } from '../repo/read.ts';
import type { Repository } from '../repo/repository.ts';
import { compareFingerprints, Fingerprint, type FingerprintDifference } from './fingerprint.ts';
import { adapterFor } from './registry.ts';
import type { ArtifactSink, ArtifactSource, StoreBackupResult } from './types.ts';

export function repoSource(repo: Repository, snapshot: Snapshot): ArtifactSource {
  return {
    names: () => snapshot.artifacts.map((a) => a.name),
    size: (name) => findArtifact(snapshot, name).size,
    open: (name, options) => readArtifact(repo, findArtifact(snapshot, name), options),
    averagePiece: repo.chunker.avg,
    capture: snapshot.capture,
  };
}

export interface StoreBackupOptions {
  tags?: string[];
  backupSet?: string | null;
  waitMs?: number;
  onProgress?: (p: ProgressInfo) => void;
}

/** One snapshot of what `run` writes into the sink, under a shared lock; nothing is visible if it fails. */
async function snapshotOf(
  repo: Repository,
  store: { name: string; kind: string },
  tags: string[],
  options: StoreBackupOptions,
  run: (sink: ArtifactSink) => Promise<StoreBackupResult>,
): Promise<{ snapshot: Snapshot; warnings: string[] }> {
  return withLock(repo, 'shared', { operation: `backup ${store.name}`, waitMs: options.waitMs ?? 0 }, async (lock) => {
    const writer = await SnapshotWriter.start(repo, {
      lock,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const result = await run({
      add: async (name, source, options) => void (await writer.addArtifact(name, source, options)),
    });
    const snapshot = await writer.commit({
      store,
      tags,
      backupSet: options.backupSet ?? null,
      capture: result.capture,
      fingerprint: result.fingerprint,
    });
    return { snapshot, warnings: result.warnings };
  });
}

export async function backupStore(
  repo: Repository,
  config: StoreConfig,
  options: StoreBackupOptions = {},
): Promise<{ snapshot: Snapshot; warnings: string[] }> {
  const adapter = await adapterFor(config);
  return snapshotOf(
    repo,
    { name: config.name, kind: config.kind },
    [...config.tags, ...(options.tags ?? [])],
    options,
    (sink) => adapter.backup(sink),
  );
}

export interface RestoreStoreOptions {
  /** Target URL; default: the store's own url. */
  target?: string;
  force?: boolean;
  jobs?: number;
  signal?: AbortSignal;
}

export interface RestoreStoreResult {
  warnings: string[];
  durationMs: number;
  /** Wall seconds of each restore phase, where the store reports them. */
  phases?: Record<string, number>;
  /** The target's previous contents, when a forced restore replaced them. */
  safety?: Snapshot;
}

export async function restoreStore(
  repo: Repository,
  config: StoreConfig,
  snapshot: Snapshot,
  options: RestoreStoreOptions = {},
): Promise<RestoreStoreResult> {
  if (snapshot.store.kind !== config.kind) {
    throw new BackdrillError(
      'usage',
      `snapshot ${snapshot.id.slice(0, 8)} is a ${snapshot.store.kind} backup of "${snapshot.store.name}"; store ${config.name} is ${config.kind}`,
    );
  }
  const adapter = await adapterFor(config);
  const source = repoSource(repo, snapshot);
  const target = adapter.target(options.target, source);
  let safety: Snapshot | undefined;
  if (!(await adapter.targetIsEmpty(target))) {
    if (!options.force) {
      throw new BackdrillError('usage', `store ${config.name}: the restore target is not empty`, {
        hint: 'restore into an empty target, or pass --force: the target is first saved as a safety snapshot',
      });
    }
    safety = (
      await snapshotOf(repo, { name: config.name, kind: config.kind }, ['safety'], {}, (sink) =>
        adapter.backupTarget(target, sink),
      )
    ).snapshot;
  }
  const started = Date.now();
  const result = await adapter.restore(source, target, {
    force: options.force ?? false,
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return {
    warnings: result.warnings,
    durationMs: Date.now() - started,
    ...(result.phases ? { phases: result.phases } : {}),
    ...(safety ? { safety } : {}),
  };
}

/** Differences between a live target and what the snapshot recorded; empty when they match exactly. */
export async function compareStore(
  repo: Repository,
  config: StoreConfig,
  snapshot: Snapshot,
  targetSpec?: string,
): Promise<FingerprintDifference[]> {
  const recorded = Fingerprint.safeParse(snapshot.fingerprint);
  if (!recorded.success) {
    throw new BackdrillError('usage', `snapshot ${snapshot.id.slice(0, 8)} has no fingerprint to compare with`);
  }
  const adapter = await adapterFor(config);
  const target = adapter.target(targetSpec, repoSource(repo, snapshot));
  return compareFingerprints(recorded.data, await adapter.fingerprint(target, recorded.data));
}
