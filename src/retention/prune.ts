// forget and prune under the exclusive lock: forget the manifests a policy does not keep, then delete the chunks no
// remaining manifest references once they are older than a grace period. Every deletion is final and the order
// keeps the repository valid at each step, so an interrupted run leaves a valid repository and the next run
// finishes the job. The protocol is docs/repository-format.md section 10.
import { BackdrillError, UsageError } from '../errors.ts';
import { chunkIdFromKey, HEX64, layout, type Snapshot, SnapshotManifest } from '../repo/format.ts';
import { describeLock, listLocks, RepoLock } from '../repo/lock.ts';
import { mapLimit, type Repository } from '../repo/repository.ts';
import { type BlobInfo, isStorageError, listAll } from '../storage/backend.ts';
import { passedDrills, readDrillRecords } from './drills.ts';
import { planRetention, type RetentionPlan } from './plan.ts';
import type { Policy } from './policy.ts';

export interface RetentionOptions {
  /** The policy to forget by; without one nothing is forgotten (prune only collects garbage). */
  policy?: Policy;
  /** Judge only this store's snapshots. */
  store?: string;
  /** Delete unreferenced chunks (prune, forget --prune). */
  collect: boolean;
  /** Unreferenced chunks modified less than this long ago are left for a later prune. */
  graceMs: number;
  /** Plan and estimate only: no lock, no deletion. */
  dryRun: boolean;
  /** How long to wait for a conflicting lock (--retry-lock). */
  lockWaitMs?: number;
  /** Deletions between two checks that the lock is still held. */
  batchSize?: number;
  now?: () => number;
  onEvent?: (e: RetentionEvent) => void;
}

export type RetentionEvent =
  | { phase: 'locked' }
  | { phase: 'planned'; forget: number; keep: number; bytes: number }
  | { phase: 'forget'; done: number; total: number; id: string }
  | { phase: 'collect'; done: number; total: number };

export interface Amount {
  count: number;
  bytes: number;
}

export interface Estimate {
  /** Manifests of forgotten snapshots (listed sizes). */
  manifests: Amount;
  /** Chunks that only forgotten snapshots reference (their ChunkRef stored sizes); 0 unless collecting. */
  chunks: Amount;
  /** Chunks that no manifest referenced before this run (left by interrupted backups), past the grace period. */
  unreferenced: Amount;
  /** Unreferenced chunks younger than the grace period: left alone this time. */
  young: Amount;
  /** What this run deletes: manifests + chunks + unreferenced. */
  bytesFreed: number;
}

export interface RetentionResult {
  plan: RetentionPlan<Snapshot> | undefined;
  estimate: Estimate;
  deleted: { snapshots: number; chunks: number; bytesFreed: number };
  /** Things worth a look that do not stop the run: stale locks, stray objects, manifests that appeared. */
  warnings: string[];
  dryRun: boolean;
}

const none = (): Amount => ({ count: 0, bytes: 0 });

/** Runs forget and/or prune. Throws before deleting anything when a manifest or drill record cannot be read. */
export async function runRetention(repo: Repository, options: RetentionOptions): Promise<RetentionResult> {
  const now = options.now ?? Date.now;
  const batch = options.batchSize ?? 100;
  const lock = options.dryRun
    ? undefined
    : await RepoLock.acquire(repo, 'exclusive', {
        operation: options.policy ? (options.collect ? 'forget --prune' : 'forget') : 'prune',
        ...(options.lockWaitMs ? { waitMs: options.lockWaitMs } : {}),
      });
  try {
    options.onEvent?.({ phase: 'locked' });
    const warnings: string[] = [];
    if (lock) warnings.push(...(await lockWarnings(repo, lock.id)));

    // 1. Every manifest must be readable: the chunks of one we cannot read would look unreferenced.
    const { snapshots, damaged } = await repo.listSnapshots();
    if (damaged.length > 0) {
      throw new BackdrillError(
        'integrity',
        `refusing to ${options.policy ? 'forget' : 'prune'}: ${damaged.length} snapshot manifest(s) cannot be read ` +
          `(${damaged.map((d) => `${d.key}: ${d.message}`).join('; ')}); their chunks would look unreferenced`,
        {
          hint:
            'run `backdrill verify` and find out why; a manifest that is beyond repair must be deleted by hand ' +
            '(its snapshot is lost either way) before prune can run',
        },
      );
    }
    const manifestSizes = new Map(
      (await listAll(repo.backend, layout.snapshotsPrefix)).map((o) => [
        o.key.slice(layout.snapshotsPrefix.length),
        o.size,
      ]),
    );

    // 2. The plan.
    let plan: RetentionPlan<Snapshot> | undefined;
    if (options.policy) {
      checkSelection(snapshots, options.policy, options.store);
      const drills = await readDrillRecords(repo);
      if (drills.damaged.length > 0) {
        throw new BackdrillError(
          'integrity',
          `refusing to forget: drill record(s) cannot be read (${drills.damaged.map((d) => `${d.key}: ${d.message}`).join('; ')}); ` +
            'the newest snapshots that passed a drill could not be told apart',
          { hint: 'delete the damaged drill record by hand if it is garbage, or run the drill again' },
        );
      }
      plan = planRetention({
        snapshots,
        policy: options.policy,
        ...(options.store === undefined ? {} : { store: options.store }),
        drills: passedDrills(drills.records),
        now: now(),
      });
    }
    const forget = plan?.forget ?? [];
    const forgetIds = new Set(forget.map((s) => s.id));
    const kept = snapshots.filter((s) => !forgetIds.has(s.id));

    // 3. The estimate, from the manifests and (when collecting) a listing of data/.
    const estimate: Estimate = {
      manifests: none(),
      chunks: none(),
      unreferenced: none(),
      young: none(),
      bytesFreed: 0,
    };
    for (const s of forget) add(estimate.manifests, manifestSizes.get(s.id) ?? 0);
    let candidates: BlobInfo[] = [];
    if (options.collect) {
      const listedAt = now();
      const chunks = new Map<string, BlobInfo>();
      let stray = 0;
      for await (const o of repo.backend.list(layout.dataPrefix)) {
        const id = chunkIdFromKey(o.key);
        if (id) chunks.set(id, o);
        else stray++;
      }
      if (stray > 0) warnings.push(`${stray} object(s) under data/ are not chunks (invalid names): left alone`);
      const referencedBefore = referencedChunks(snapshots);
      const referencedAfter = referencedChunks(kept);
      const old = (o: BlobInfo) => o.modified.getTime() <= listedAt - options.graceMs;
      for (const [id, o] of chunks) {
        if (referencedAfter.has(id)) continue;
        if (!old(o)) {
          add(estimate.young, o.size);
          continue;
        }
        candidates.push(o);
        const ref = referencedBefore.get(id);
        if (ref === undefined) add(estimate.unreferenced, o.size);
        else add(estimate.chunks, ref);
      }
    }
    estimate.bytesFreed = estimate.manifests.bytes + estimate.chunks.bytes + estimate.unreferenced.bytes;
    options.onEvent?.({ phase: 'planned', forget: forget.length, keep: kept.length, bytes: estimate.bytesFreed });

    const deleted = { snapshots: 0, chunks: 0, bytesFreed: 0 };
    if (!lock) return { plan, estimate, deleted, warnings, dryRun: true };

    // 4. Forget: delete manifests in the plan's order (oldest first, sets whole). Each deletion only hides a
    // snapshot; no chunk is gone yet.
    const ordered = forget;
    for (let i = 0; i < ordered.length; i++) {
      if (i % batch === 0) await lock.verifyHeld();
      const s = ordered[i]!;
      await repo.backend.delete(layout.snapshot(s.id));
      deleted.snapshots++;
      deleted.bytesFreed += manifestSizes.get(s.id) ?? 0;
      options.onEvent?.({ phase: 'forget', done: i + 1, total: ordered.length, id: s.id });
    }

    // 5. Collect: delete the unreferenced chunks listed above, in batches, re-checking the lock before each.
    if (options.collect && candidates.length > 0) {
      // A manifest written while we hold the exclusive lock comes from a writer that ignores (or lost) its lock:
      // the chunks it names stay.
      const appeared = await newManifests(repo, new Set(snapshots.map((s) => s.id)));
      if (appeared.length > 0) {
        const protect = referencedChunks(appeared);
        candidates = candidates.filter((o) => !protect.has(chunkIdFromKey(o.key)!));
        warnings.push(
          `snapshot(s) ${appeared.map((s) => s.id.slice(0, 8)).join(', ')} appeared while prune held the exclusive ` +
            'lock: a backup is writing without a valid lock (clock skew, or an expired lock); their chunks were kept',
        );
      }
      let done = 0;
      for (let i = 0; i < candidates.length; i += batch) {
        await lock.verifyHeld();
        const slice = candidates.slice(i, i + batch);
        await mapLimit(slice, Math.max(1, repo.backend.capabilities.maxConnections), async (o) => {
          await repo.backend.delete(o.key);
          deleted.chunks++;
          deleted.bytesFreed += o.size;
        });
        done += slice.length;
        options.onEvent?.({ phase: 'collect', done, total: candidates.length });
      }
    }
    return { plan, estimate, deleted, warnings, dryRun: false };
  } finally {
    await lock?.release();
  }
}

function add(a: Amount, bytes: number): void {
  a.count++;
  a.bytes += bytes;
}

/** Chunk ID -> stored size (from the first ChunkRef naming it) of every chunk the snapshots reference. */
function referencedChunks(snapshots: readonly Snapshot[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of snapshots) {
    for (const a of s.artifacts) for (const [id, , stored] of a.chunks) if (!out.has(id)) out.set(id, stored);
  }
  return out;
}

/** Manifests present now that were not there when prune listed them; unreadable ones stop the prune. */
async function newManifests(repo: Repository, known: Set<string>): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  for (const o of await listAll(repo.backend, layout.snapshotsPrefix)) {
    const id = o.key.slice(layout.snapshotsPrefix.length);
    if (known.has(id)) continue;
    if (!HEX64.test(id)) {
      throw new BackdrillError('integrity', `${o.key} appeared during prune and is not a snapshot: stopping`, {
        hint: 'nothing more was deleted; find out what writes there, then run prune again',
      });
    }
    try {
      out.push({ id, ...(await repo.getJson('snapshot', id, o.key, SnapshotManifest)) });
    } catch (err) {
      if (isStorageError(err, 'not-found')) continue;
      if (err instanceof BackdrillError) {
        throw new BackdrillError('integrity', `${o.key} appeared during prune and cannot be read: stopping`, {
          cause: err,
          hint: 'nothing more was deleted; run `backdrill verify`, then prune again',
        });
      }
      throw err;
    }
  }
  return out;
}

/** Stale locks and init probes left behind are reported, never removed here (`backdrill unlock` does that). */
async function lockWarnings(repo: Repository, ownId: string): Promise<string[]> {
  const out: string[] = [];
  for (const l of await listLocks(repo)) {
    if (l.id !== ownId && l.stale) out.push(`stale ${describeLock(l)}: remove it with \`backdrill unlock\``);
  }
  const probes = (await listAll(repo.backend, layout.locksPrefix)).filter((o) =>
    o.key.slice(layout.locksPrefix.length).startsWith('probe-'),
  );
  for (const p of probes) out.push(`${p.key} is left over from an interrupted init: it can be deleted by hand`);
  return out;
}

/** Bad selections are errors before anything is read further: a typo must not forget what it meant to keep. */
function checkSelection(snapshots: readonly Snapshot[], policy: Policy, store: string | undefined): void {
  if (store !== undefined && !snapshots.some((s) => s.store.name === store)) {
    const stores = [...new Set(snapshots.map((s) => s.store.name))].sort();
    throw new UsageError(
      `--store ${store}: no snapshot of this store in the repository`,
      stores.length > 0 ? `stores with snapshots: ${stores.join(', ')}` : 'the repository has no snapshots',
    );
  }
  const pool = snapshots.filter((s) => store === undefined || s.store.name === store);
  const known = new Set(pool.flatMap((s) => s.tags));
  const unknown = policy.tags.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new UsageError(
      `keep-tag ${unknown.join(', ')}: no snapshot${store ? ` of store ${store}` : ''} has ${unknown.length > 1 ? 'these tags' : 'this tag'}, ` +
        'so the rule would keep nothing',
      `${known.size > 0 ? `tags in use: ${[...known].sort().join(', ')}. ` : 'no snapshot has any tag. '}` +
        'Check the spelling; if no snapshot carries the tag yet, leave it out of the policy until one does',
    );
  }
}
