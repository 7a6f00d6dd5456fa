// Writing a snapshot: artifact streams are chunked, new chunks are sealed in worker threads and uploaded in
// parallel with bounded memory, and the manifest is written last, only after every chunk it names is stored.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { BackdrillError } from '../errors.ts';
import { recycle, release } from '../pipeline/buffers.ts';
import { type ByteSource, Chunker, type ChunkerOptions, chunkStream, gearTable } from '../pipeline/chunker.ts';
import { isStorageError } from '../storage/backend.ts';
import { type Artifact, type ChunkRef, layout, type Snapshot, SnapshotManifest, type SnapshotStats } from './format.ts';
import { safeUsername } from './keys.ts';
import { githubRunFromEnv, type RepoLock, withLock } from './lock.ts';
import type { Repository } from './repository.ts';

export interface SnapshotMeta {
  store: { name: string; kind: string };
  tags?: string[];
  backupSet?: string | null;
  capture?: unknown;
  fingerprint?: unknown;
}

export interface ProgressInfo {
  bytesProcessed: number;
  bytesAdded: number;
}

export interface WriterOptions {
  /** The shared lock this backup holds: checked before the manifest is written. */
  lock: RepoLock;
  /** Chunks being sealed or uploaded at once; bounds memory (each is at most chunker.max, twice). */
  inFlight?: number;
  onProgress?: (p: ProgressInfo) => void;
}

/**
 * Collects the artifacts of one snapshot. Chunks already in the repository (from any snapshot or store) are
 * referenced, not stored again.
 */
export class SnapshotWriter {
  private readonly started = new Date();
  private readonly artifacts: Artifact[] = [];
  private readonly stats: SnapshotStats = { bytesProcessed: 0, bytesAdded: 0, chunksNew: 0, chunksReused: 0 };
  /** Stored size of each chunk known to exist, or the upload that will store it. */
  private readonly known: Map<string, number | Promise<number>>;
  private readonly chunker;
  private committed = false;

  private constructor(
    private readonly repo: Repository,
    index: Map<string, number>,
    private readonly options: WriterOptions,
  ) {
    this.known = index;
    this.chunker = { params: repo.chunker, gear: gearTable(repo.keys.chunkId) };
  }

  static async start(repo: Repository, options: WriterOptions): Promise<SnapshotWriter> {
    options.lock.assertHeld();
    return new SnapshotWriter(repo, await repo.chunkIndex(), options);
  }

  /**
   * Reads a whole stream into the repository as one artifact. Rejects (and stores no manifest) on any error.
   * `disposable`: the source's buffers may be freed once read (see ChunkerOptions).
   */
  async addArtifact(name: string, source: ByteSource, options: ChunkerOptions = {}): Promise<Artifact> {
    if (this.artifacts.some((a) => a.name === name)) {
      throw new BackdrillError('usage', `artifact "${name}" is already part of this snapshot`);
    }
    const signal = this.options.lock.signal;
    const limit = this.options.inFlight ?? Math.max(3, this.repo.pipeline().size + 2);
    const refs: ChunkRef[] = [];
    const pending = new Set<Promise<void>>();
    let failure: unknown;
    let size = 0;

    const chunker = new Chunker(this.chunker.params, this.chunker.gear, options);
    for await (const chunk of chunkStream(source, chunker)) {
      if (failure !== undefined) break;
      if (signal.aborted) throw signal.reason;
      const id = this.repo.chunkId(chunk);
      const ref: ChunkRef = [id, chunk.length, 0];
      refs.push(ref);
      size += chunk.length;
      this.stats.bytesProcessed += chunk.length;
      const existing = this.known.get(id);
      if (existing !== undefined) {
        this.stats.chunksReused++;
        recycle(chunk); // chunks own their memory (see Chunker): the next one reuses it
        if (typeof existing === 'number') ref[2] = existing;
        else {
          const p = existing.then((stored) => {
            ref[2] = stored;
          });
          track(p);
        }
      } else {
        this.stats.chunksNew++;
        const upload = this.storeChunk(id, chunk);
        this.known.set(id, upload);
        track(
          upload.then((stored) => {
            ref[2] = stored;
            this.known.set(id, stored);
            this.stats.bytesAdded += stored;
          }),
        );
      }
      this.options.onProgress?.({ bytesProcessed: this.stats.bytesProcessed, bytesAdded: this.stats.bytesAdded });
      while (pending.size >= limit && failure === undefined) await Promise.race(pending);
    }
    await Promise.allSettled(pending);
    if (failure !== undefined) throw failure;
    const artifact: Artifact = { name, size, chunks: refs };
    this.artifacts.push(artifact);
    return artifact;

    function track(p: Promise<void>): void {
      const t = p.then(
        () => {
          pending.delete(t);
        },
        (err: unknown) => {
          pending.delete(t);
          failure ??= err;
        },
      );
      pending.add(t);
    }
  }

  private async storeChunk(id: string, chunk: Buffer): Promise<number> {
    // The chunk is transferred to a worker thread: it is unusable here from now on.
    const sealed = await this.repo.pipeline().seal('chunk', id, chunk, this.repo.config.compression.level);
    const key = layout.chunk(id);
    const size = sealed.length;
    try {
      await this.repo.backend.put(key, sealed, { ifNoneMatch: this.repo.config.conditionalWrites });
      return size;
    } catch (err) {
      // Another backup stored the same content meanwhile: its copy serves us equally. An object too small to
      // be a chunk is damage the index left out on purpose: replace it.
      if (isStorageError(err, 'already-exists')) {
        const info = await this.repo.backend.stat(key);
        if (info && info.size >= this.repo.minChunkSize) return info.size;
        await this.repo.backend.put(key, sealed);
        return size;
      }
      throw err;
    } finally {
      // Backends keep nothing of `data` once put() settles (see storage/backend.ts).
      release(sealed);
    }
  }

  /** Writes the manifest: the snapshot becomes visible now, and only now. */
  async commit(meta: SnapshotMeta): Promise<Snapshot> {
    if (this.committed) throw new Error('snapshot already committed');
    const finished = new Date();
    const manifest: SnapshotManifest = {
      version: 1,
      time: this.started.toISOString(),
      hostname: hostname(),
      username: safeUsername(),
      store: meta.store,
      tags: meta.tags ?? [],
      backupSet: meta.backupSet ?? null,
      github: githubRunFromEnv(),
      artifacts: this.artifacts,
      capture: meta.capture ?? null,
      fingerprint: meta.fingerprint ?? null,
      timings: {
        startedAt: this.started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - this.started.getTime(),
      },
      stats: { ...this.stats },
    };
    // Never write a manifest that would not read back (a reused chunk with a bad listed size, say).
    const valid = SnapshotManifest.safeParse(manifest);
    if (!valid.success) {
      throw new BackdrillError('integrity', `refusing to write an invalid manifest: ${valid.error.issues[0]?.message}`);
    }
    await this.options.lock.verifyHeld();
    const id = randomBytes(32).toString('hex');
    await this.repo.putJson('snapshot', id, layout.snapshot(id), manifest, true);
    this.committed = true;
    return { id, ...manifest };
  }
}

/** One snapshot from named streams, under a shared lock: what `backup --stdin` and the store adapters run. */
export async function backupStreams(
  repo: Repository,
  artifacts: Array<{ name: string; source: ByteSource; disposable?: boolean }>,
  meta: SnapshotMeta,
  options: { waitMs?: number; onProgress?: (p: ProgressInfo) => void; lockTtlMs?: number } = {},
): Promise<Snapshot> {
  return withLock(
    repo,
    'shared',
    {
      operation: `backup ${meta.store.name}`,
      ...(options.waitMs ? { waitMs: options.waitMs } : {}),
      ...(options.lockTtlMs ? { ttlMs: options.lockTtlMs } : {}),
    },
    async (lock) => {
      const writer = await SnapshotWriter.start(repo, {
        lock,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      for (const a of artifacts) await writer.addArtifact(a.name, a.source, { disposable: a.disposable === true });
      return writer.commit(meta);
    },
  );
}
