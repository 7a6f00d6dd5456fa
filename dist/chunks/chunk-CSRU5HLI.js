import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  Chunker,
  SnapshotManifest,
  chunkStream,
  gearTable,
  githubRunFromEnv,
  isStorageError,
  layout,
  safeUsername,
  withLock
} from "./chunk-QIT5Z5FJ.js";
import {
  Fingerprint,
  compareFingerprints
} from "./chunk-Q43U3EN7.js";
import {
  recycle,
  release
} from "./chunk-VBP2FRQE.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/repo/backup.ts
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
var SnapshotWriter = class _SnapshotWriter {
  constructor(repo, index, options) {
    this.repo = repo;
    this.options = options;
    this.known = index;
    this.chunker = { params: repo.chunker, gear: gearTable(repo.keys.chunkId) };
  }
  repo;
  options;
  started = /* @__PURE__ */ new Date();
  artifacts = [];
  stats = { bytesProcessed: 0, bytesAdded: 0, chunksNew: 0, chunksReused: 0 };
  /** Stored size of each chunk known to exist, or the upload that will store it. */
  known;
  chunker;
  committed = false;
  static async start(repo, options) {
    options.lock.assertHeld();
    return new _SnapshotWriter(repo, await repo.chunkIndex(), options);
  }
  /**
   * Reads a whole stream into the repository as one artifact. Rejects (and stores no manifest) on any error.
   * `disposable`: the source's buffers may be freed once read (see ChunkerOptions).
   */
  async addArtifact(name, source, options = {}) {
    if (this.artifacts.some((a) => a.name === name)) {
      throw new BackdrillError("usage", `artifact "${name}" is already part of this snapshot`);
    }
    const signal = this.options.lock.signal;
    const limit = this.options.inFlight ?? Math.max(3, this.repo.pipeline().size + 2);
    const refs = [];
    const pending = /* @__PURE__ */ new Set();
    let failure;
    let size = 0;
    const chunker = new Chunker(this.chunker.params, this.chunker.gear, options);
    for await (const chunk of chunkStream(source, chunker)) {
      if (failure !== void 0) break;
      if (signal.aborted) throw signal.reason;
      const id = this.repo.chunkId(chunk);
      const ref = [id, chunk.length, 0];
      refs.push(ref);
      size += chunk.length;
      this.stats.bytesProcessed += chunk.length;
      const existing = this.known.get(id);
      if (existing !== void 0) {
        this.stats.chunksReused++;
        recycle(chunk);
        if (typeof existing === "number") ref[2] = existing;
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
          })
        );
      }
      this.options.onProgress?.({ bytesProcessed: this.stats.bytesProcessed, bytesAdded: this.stats.bytesAdded });
      while (pending.size >= limit && failure === void 0) await Promise.race(pending);
    }
    await Promise.allSettled(pending);
    if (failure !== void 0) throw failure;
    const artifact = { name, size, chunks: refs };
    this.artifacts.push(artifact);
    return artifact;
    function track(p) {
      const t = p.then(
        () => {
          pending.delete(t);
        },
        (err) => {
          pending.delete(t);
          failure ??= err;
        }
      );
      pending.add(t);
    }
  }
  async storeChunk(id, chunk) {
    const sealed = await this.repo.pipeline().seal("chunk", id, chunk, this.repo.config.compression.level);
    const key = layout.chunk(id);
    const size = sealed.length;
    try {
      await this.repo.backend.put(key, sealed, { ifNoneMatch: this.repo.config.conditionalWrites });
      return size;
    } catch (err) {
      if (isStorageError(err, "already-exists")) {
        const info = await this.repo.backend.stat(key);
        if (info && info.size >= this.repo.minChunkSize) return info.size;
        await this.repo.backend.put(key, sealed);
        return size;
      }
      throw err;
    } finally {
      release(sealed);
    }
  }
  /** Writes the manifest: the snapshot becomes visible now, and only now. */
  async commit(meta) {
    if (this.committed) throw new Error("snapshot already committed");
    const finished = /* @__PURE__ */ new Date();
    const manifest = {
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
        durationMs: finished.getTime() - this.started.getTime()
      },
      stats: { ...this.stats }
    };
    const valid = SnapshotManifest.safeParse(manifest);
    if (!valid.success) {
      throw new BackdrillError("integrity", `refusing to write an invalid manifest: ${valid.error.issues[0]?.message}`);
    }
    await this.options.lock.verifyHeld();
    const id = randomBytes(32).toString("hex");
    await this.repo.putJson("snapshot", id, layout.snapshot(id), manifest, true);
    this.committed = true;
    return { id, ...manifest };
  }
};
async function backupStreams(repo, artifacts, meta, options = {}) {
  return withLock(
    repo,
    "shared",
    {
      operation: `backup ${meta.store.name}`,
      ...options.waitMs ? { waitMs: options.waitMs } : {},
      ...options.lockTtlMs ? { ttlMs: options.lockTtlMs } : {}
    },
    async (lock) => {
      const writer = await SnapshotWriter.start(repo, {
        lock,
        ...options.onProgress ? { onProgress: options.onProgress } : {}
      });
      for (const a of artifacts) await writer.addArtifact(a.name, a.source, { disposable: a.disposable === true });
      return writer.commit(meta);
    }
  );
}

// src/repo/read.ts
function findArtifact(snapshot, name) {
  const artifact = snapshot.artifacts.find((a) => a.name === name);
  if (!artifact) {
    const names = snapshot.artifacts.map((a) => a.name).join(", ") || "none";
    throw new BackdrillError(
      "usage",
      `snapshot ${snapshot.id.slice(0, 8)} has no artifact "${name}" (it has: ${names})`
    );
  }
  return artifact;
}
var RELEASE_MIN_BYTES = 1 << 20;
var READ_SPARE = 2;
async function* readArtifact(repo, artifact, options = {}) {
  const prefetch = Math.max(1, options.prefetch ?? repo.pipeline().size * 2 + 2);
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? artifact.size;
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= artifact.size)) {
    throw new BackdrillError(
      "integrity",
      `artifact ${artifact.name}: bytes ${start}-${end} asked for, it holds ${artifact.size}`
    );
  }
  let next = 0;
  let at = 0;
  let last = artifact.chunks.length;
  if (options.range) {
    while (next < last && at + artifact.chunks[next][1] <= start) at += artifact.chunks[next++][1];
    last = next;
    for (let o = at; last < artifact.chunks.length && o < end; ) o += artifact.chunks[last++][1];
  }
  const queue = [];
  const fill = () => {
    while (queue.length < prefetch && next < last) {
      const p = repo.readChunk(artifact.chunks[next++]);
      p.catch(() => {
      });
      queue.push(p);
    }
  };
  fill();
  let total = 0;
  while (queue.length > 0) {
    const chunk = await queue.shift();
    fill();
    const from = Math.max(0, start - at);
    const to = options.range ? Math.min(chunk.length, end - at) : chunk.length;
    at += chunk.length;
    if (to <= from) continue;
    const part = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    total += part.length;
    yield part;
    if (options.releaseConsumed && chunk.length >= RELEASE_MIN_BYTES) recycle(chunk, READ_SPARE);
  }
  if (total !== end - start) {
    throw new BackdrillError(
      "integrity",
      `artifact ${artifact.name}: read ${total} bytes, the manifest says ${end - start}${options.range ? ` (bytes ${start}-${end})` : ""}`
    );
  }
}

// src/stores/registry.ts
async function adapterFor(config) {
  switch (config.kind) {
    case "postgres":
      return new (await import("./adapter-YA3HS6FQ.js")).PostgresAdapter(config);
    case "qdrant":
      return new (await import("./adapter-6Q7O2ZOG.js")).QdrantAdapter(config);
    case "neo4j":
      return new (await import("./adapter-65YC4NEU.js")).Neo4jAdapter(config);
  }
}

// src/stores/run.ts
function repoSource(repo, snapshot) {
  return {
    names: () => snapshot.artifacts.map((a) => a.name),
    size: (name) => findArtifact(snapshot, name).size,
    open: (name, options) => readArtifact(repo, findArtifact(snapshot, name), options),
    averagePiece: repo.chunker.avg,
    capture: snapshot.capture
  };
}
async function snapshotOf(repo, store, tags, options, run) {
  return withLock(repo, "shared", { operation: `backup ${store.name}`, waitMs: options.waitMs ?? 0 }, async (lock) => {
    const writer = await SnapshotWriter.start(repo, {
      lock,
      ...options.onProgress ? { onProgress: options.onProgress } : {}
    });
    const result = await run({
      add: async (name, source, options2) => void await writer.addArtifact(name, source, options2)
    });
    const snapshot = await writer.commit({
      store,
      tags,
      backupSet: options.backupSet ?? null,
      capture: result.capture,
      fingerprint: result.fingerprint
    });
    return { snapshot, warnings: result.warnings };
  });
}
async function backupStore(repo, config, options = {}) {
  const adapter = await adapterFor(config);
  return snapshotOf(
    repo,
    { name: config.name, kind: config.kind },
    [...config.tags, ...options.tags ?? []],
    options,
    (sink) => adapter.backup(sink)
  );
}
async function restoreStore(repo, config, snapshot, options = {}) {
  if (snapshot.store.kind !== config.kind) {
    throw new BackdrillError(
      "usage",
      `snapshot ${snapshot.id.slice(0, 8)} is a ${snapshot.store.kind} backup of "${snapshot.store.name}"; store ${config.name} is ${config.kind}`
    );
  }
  const adapter = await adapterFor(config);
  const source = repoSource(repo, snapshot);
  const target = adapter.target(options.target, source);
  let safety;
  if (!await adapter.targetIsEmpty(target)) {
    if (!options.force) {
      throw new BackdrillError("usage", `store ${config.name}: the restore target is not empty`, {
        hint: "restore into an empty target, or pass --force: the target is first saved as a safety snapshot"
      });
    }
    safety = (await snapshotOf(
      repo,
      { name: config.name, kind: config.kind },
      ["safety"],
      {},
      (sink) => adapter.backupTarget(target, sink)
    )).snapshot;
  }
  const started = Date.now();
  const result = await adapter.restore(source, target, {
    force: options.force ?? false,
    ...options.jobs ? { jobs: options.jobs } : {},
    ...options.signal ? { signal: options.signal } : {}
  });
  return {
    warnings: result.warnings,
    durationMs: Date.now() - started,
    ...result.phases ? { phases: result.phases } : {},
    ...safety ? { safety } : {}
  };
}
async function compareStore(repo, config, snapshot, targetSpec) {
  const recorded = Fingerprint.safeParse(snapshot.fingerprint);
  if (!recorded.success) {
    throw new BackdrillError("usage", `snapshot ${snapshot.id.slice(0, 8)} has no fingerprint to compare with`);
  }
  const adapter = await adapterFor(config);
  const target = adapter.target(targetSpec, repoSource(repo, snapshot));
  return compareFingerprints(recorded.data, await adapter.fingerprint(target, recorded.data));
}

export {
  backupStreams,
  findArtifact,
  readArtifact,
  backupStore,
  restoreStore,
  compareStore
};
