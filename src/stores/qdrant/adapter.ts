// The Qdrant store. Snapshot mode: per collection (per shard on a cluster) Qdrant's own snapshot is created,
// streamed into the repository with resumable downloads, and deleted from the server; it restores by upload with
// priority=snapshot into the same minor version. Logical mode: configuration, payload indexes, aliases and every
// point (all vector kinds, payloads losslessly) as JSON lines; it restores by create + batched upserts into any
// version. Both record a fingerprint of exactly the points backed up.
import { BackdrillError } from '../../errors.ts';
import { type Fingerprint, SetHash } from '../fingerprint.ts';
import {
  type ArtifactSink,
  type ArtifactSource,
  IncompleteRestoreError,
  type ProbeResult,
  type RestoreOptions,
  type RestoreResult,
  type StoreAdapter,
  type StoreBackupResult,
} from '../types.ts';
import { QdrantApi, type QdrantConn, safeUrl } from './api.ts';
import { canonicalPoint } from './canonical.ts';
import {
  addAliases,
  addToFingerprint,
  aliasesOf,
  type CollectionConfig,
  type CollectionPrint,
  collectionExists,
  collectionInfo,
  collectionNames,
  createAlias,
  createCollection,
  createPayloadIndexes,
  exactCount,
  lines,
  printCollection,
  schemaPrint,
  scrollPoints,
  upsertLines,
} from './collections.ts';
import type { QdrantStoreConfig } from './config.ts';
import { parseLossless, stringifyLossless } from './json.ts';
import {
  artifactNames,
  type CollectionEntry,
  FULL_STORAGE_ARTIFACT,
  MANIFEST_ARTIFACT,
  QdrantManifest,
  type SnapshotFile,
} from './manifest.ts';
import {
  checkSnapshotVersion,
  type RemoteSnapshot,
  shardHolders,
  snapshotCollection,
  snapshotFullStorage,
  snapshotShard,
  uploadSnapshot,
} from './snapshots.ts';

export interface QdrantTarget {
  conn: QdrantConn;
  /** Collections in the snapshot, restored under their own names. */
  collections: string[];
  source: ArtifactSource;
}

/** How often a snapshot is retaken when the collection changed while it was being taken. */
const STABLE_ATTEMPTS = 3;

function collectionsIn(source: ArtifactSource): string[] {
  const names = new Set<string>();
  for (const n of source.names()) {
    const m = /^collections\/([^/]+?)(?:\.jsonl|\.snapshot|\/shards\/\d+\.snapshot)$/.exec(n);
    if (m) names.add(decodeURIComponent(m[1]!));
  }
  return [...names].sort();
}

async function readManifest(source: ArtifactSource, store: string): Promise<QdrantManifest> {
  if (!source.names().includes(MANIFEST_ARTIFACT)) {
    throw new BackdrillError(
      'integrity',
      `store ${store}: the snapshot has no ${MANIFEST_ARTIFACT}; it is not a Qdrant backup`,
    );
  }
  const parts: Buffer[] = [];
  for await (const b of source.open(MANIFEST_ARTIFACT)) parts.push(b);
  const parsed = QdrantManifest.safeParse(parseLossless(Buffer.concat(parts).toString('utf8')));
  if (!parsed.success) {
    throw new BackdrillError(
      'integrity',
      `store ${store}: ${MANIFEST_ARTIFACT} is not valid: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

function samePrint(a: CollectionPrint, b: CollectionPrint): boolean {
  return (
    a.data.hash === b.data.hash &&
    a.data.count === b.data.count &&
    stringifyLossless(a.schema, true) === stringifyLossless(b.schema, true)
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class QdrantAdapter implements StoreAdapter<QdrantTarget> {
  readonly kind = 'qdrant';
  readonly name: string;
  private readonly conn: QdrantConn;

  constructor(readonly config: QdrantStoreConfig) {
    this.name = config.name;
    this.conn = {
      store: config.name,
      url: config.url,
      timeoutMs: config.timeoutSeconds * 1000,
      ...(config.apiKey ? { apiKey: config.apiKey } : {}),
      ...(config.tls.caFile ? { caFile: config.tls.caFile } : {}),
    };
  }

  private async serverVersion(api: QdrantApi): Promise<string> {
    const info = await api.call({ doing: 'reading the server version (GET /)' }, (c) => c.versionInfo());
    if (typeof info?.version !== 'string' || !/qdrant/i.test(String(info.title ?? ''))) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: the server at ${api.where} does not look like Qdrant (GET / answered ${JSON.stringify(info).slice(0, 120)})`,
        {
          hint: 'the url must be the REST endpoint of Qdrant (port 6333 by default)',
        },
      );
    }
    return info.version;
  }

  private async clusterEnabled(api: QdrantApi): Promise<boolean> {
    const r = await api.call({ doing: 'reading the cluster status' }, (c) => c.api().clusterStatus({}));
    return (r.data.result as { status?: string } | undefined)?.status === 'enabled';
  }

  async probe(): Promise<ProbeResult> {
    const api = new QdrantApi(this.conn);
    const version = await this.serverVersion(api);
    const names = await collectionNames(api);
    const cluster = await this.clusterEnabled(api);
    const collections = [];
    for (const name of names) {
      const info = await collectionInfo(api, name);
      const layout = await api.call({ doing: `reading the shard layout of ${name}`, collection: name }, (c) =>
        c.collectionClusterInfo(name),
      );
      const params = info.config.params;
      collections.push({
        name,
        points: info.points_count ?? null,
        vectors: params.vectors ?? null,
        sparseVectors: Object.keys(params.sparse_vectors ?? {}),
        payloadIndexes: Object.keys(info.payload_schema).sort(),
        shards: {
          count: layout.shard_count,
          local: layout.local_shards.map((s) => s.shard_id),
          remote: layout.remote_shards.map((s) => ({ shard: s.shard_id, peer: s.peer_id })),
        },
        replicationFactor: params.replication_factor ?? 1,
        shardingMethod: params.sharding_method ?? 'auto',
      });
    }
    const aliases = await aliasesOf(api);
    return { kind: this.kind, version, details: { url: api.where, cluster, collections, aliases } };
  }

  async backup(sink: ArtifactSink): Promise<StoreBackupResult> {
    const api = new QdrantApi(this.conn);
    const nodes = this.config.nodes.map((url) => new QdrantApi({ ...this.conn, url }));
    return this.backupFrom(api, nodes, (all) => this.selectCollections(api, all), sink);
  }

  private selectCollections(api: QdrantApi, all: string[]): string[] {
    const wanted = this.config.collections ?? all;
    const missing = wanted.filter((c) => !all.includes(c));
    if (missing.length > 0) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: collection(s) ${missing.join(', ')} do not exist on ${api.where}`,
        {
          hint: `the server has: ${all.join(', ') || 'no collections'} (aliases are not collections: list the collection an alias points at)`,
        },
      );
    }
    return wanted.filter((c) => !this.config.exclude.includes(c));
  }

  private async backupFrom(
    api: QdrantApi,
    nodes: QdrantApi[],
    select: (all: string[]) => string[],
    sink: ArtifactSink,
  ): Promise<StoreBackupResult> {
    const version = await this.serverVersion(api);
    const names = select(await collectionNames(api));
    const cluster = await this.clusterEnabled(api);
    const aliases = (await aliasesOf(api)).filter((a) => names.includes(a.collection));
    const fingerprint: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const warnings: string[] = [];
    if (api.conn.apiKey && new URL(api.conn.url).protocol === 'http:') {
      warnings.push(
        `${this.name}: the API key is sent over plain http to ${api.where}; use https outside a trusted network`,
      );
    }
    const mode = this.config.mode;
    const entries: CollectionEntry[] = [];
    const details: Array<Record<string, unknown>> = [];
    let at: string | undefined;
    for (const name of names) {
      const started = new Date().toISOString();
      at ??= started;
      const entry =
        mode === 'logical'
          ? await this.exportCollection(api, name, sink, fingerprint, warnings)
          : await this.snapshotOne(api, [api, ...nodes], cluster, name, sink, fingerprint, warnings);
      entries.push(entry);
      details.push({
        collection: name,
        points: entry.points,
        at: started,
        ...(entry.snapshot ? { snapshot: entry.snapshot.name, sha256: entry.snapshot.checksum } : {}),
        ...(entry.shards
          ? { shards: entry.shards.map((s) => ({ shard: s.shard, snapshot: s.name, sha256: s.checksum })) }
          : {}),
      });
    }
    addAliases(fingerprint, aliases, new Set(names));

    let fullStorage: SnapshotFile | null = null;
    if (mode === 'snapshot' && this.config.fullStorage) {
      if (cluster) {
        warnings.push(
          `${this.name}: fullStorage skipped: Qdrant's full-storage snapshots do not support distributed mode`,
        );
      } else {
        fullStorage = await this.download(await snapshotFullStorage(api, FULL_STORAGE_ARTIFACT), sink, warnings);
      }
    }
    const manifest: QdrantManifest = {
      format: 'backdrill-qdrant/1',
      mode,
      serverVersion: version,
      cluster,
      collections: entries,
      aliases,
      fullStorage,
    };
    await sink.add(MANIFEST_ARTIFACT, [Buffer.from(stringifyLossless(manifest), 'utf8')]);
    return {
      capture: {
        at: at ?? new Date().toISOString(),
        serverVersion: version,
        details: {
          mode,
          cluster,
          collections: details,
          aliases: aliases.length,
          ...(fullStorage ? { fullStorage: fullStorage.name } : {}),
        },
      },
      fingerprint,
      warnings,
    };
  }

  /** Logical export of one collection; the fingerprint is computed from exactly the points written. */
  private async exportCollection(
    api: QdrantApi,
    name: string,
    sink: ArtifactSink,
    fingerprint: Fingerprint,
    warnings: string[],
  ): Promise<CollectionEntry> {
    const info = await collectionInfo(api, name);
    if (info.config.params.sharding_method === 'custom') {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: collection ${name} uses custom sharding (shard keys), which logical mode does not restore`,
        {
          hint: 'back this store up with mode: snapshot',
        },
      );
    }
    const before = await exactCount(api, name);
    const set = new SetHash();
    const batchSize = this.config.batchSize;
    async function* pointLines(): AsyncGenerator<Buffer> {
      for await (const page of scrollPoints(api, name, batchSize)) {
        if (page.length === 0) continue;
        const text = page.map((p) => {
          set.add(canonicalPoint(p));
          return stringifyLossless({ id: p.id, vector: p.vector ?? {}, payload: p.payload ?? {} });
        });
        yield Buffer.from(`${text.join('\n')}\n`, 'utf8');
      }
    }
    const artifact = artifactNames.logical(name);
    await sink.add(artifact, pointLines());
    const after = await exactCount(api, name);
    if (before !== set.count || after !== set.count) {
      warnings.push(
        `${this.name}: collection ${name} changed while it was exported (${before} points before, ${set.count} exported, ` +
          `${after} after): a logical export is not a point-in-time copy; stop writers during backups for an exact one`,
      );
    }
    addToFingerprint(fingerprint, name, { data: set.digest(), schema: schemaPrint(name, info) });
    return {
      name,
      config: info.config as unknown as Record<string, unknown>,
      payloadSchema: info.payload_schema as CollectionEntry['payloadSchema'],
      points: set.count,
      points_artifact: artifact,
    };
  }

  /**
   * Native snapshot(s) of one collection. The fingerprint is read before and after the snapshot is taken: equal
   * prints mean the snapshot holds exactly that data. A collection that kept changing is retaken, then recorded
   * with a warning (its drill comparison may then report differences).
   */
  private async snapshotOne(
    api: QdrantApi,
    nodes: QdrantApi[],
    cluster: boolean,
    name: string,
    sink: ArtifactSink,
    fingerprint: Fingerprint,
    warnings: string[],
  ): Promise<CollectionEntry> {
    const batchSize = this.config.batchSize;
    const take = async (): Promise<RemoteSnapshot[]> => {
      if (!cluster) return [await snapshotCollection(api, name, artifactNames.snapshot(name))];
      const holders = await shardHolders(nodes, name);
      const taken: RemoteSnapshot[] = [];
      try {
        for (const [shard, node] of [...holders].sort((a, b) => a[0] - b[0])) {
          taken.push(await snapshotShard(node, name, shard, artifactNames.shard(name, shard)));
        }
      } catch (err) {
        await Promise.allSettled(taken.map((t) => t.remove()));
        throw err;
      }
      return taken;
    };
    let taken: RemoteSnapshot[] = [];
    let print: CollectionPrint | undefined;
    for (let attempt = 1; print === undefined; attempt++) {
      const before = await printCollection(api, name, batchSize);
      taken = await take();
      let after: CollectionPrint;
      try {
        after = await printCollection(api, name, batchSize);
      } catch (err) {
        await Promise.allSettled(taken.map((t) => t.remove()));
        throw err;
      }
      if (samePrint(before, after)) {
        print = after;
      } else if (attempt >= STABLE_ATTEMPTS) {
        print = after;
        warnings.push(
          `${this.name}: collection ${name} changed while its snapshot was taken (${STABLE_ATTEMPTS} attempts): the recorded ` +
            'fingerprint may differ from the snapshot; stop writers during backups for an exact one',
        );
      } else {
        await Promise.all(taken.map((t) => t.remove()));
      }
    }
    const files: SnapshotFile[] = [];
    try {
      for (const t of taken) files.push(await this.download(t, sink, warnings, false));
    } finally {
      for (const t of taken) {
        await t.remove().catch((err: unknown) => {
          warnings.push(
            `${this.name}: could not delete snapshot ${t.file.name} from ${t.api.where}: ${message(err)}; delete it by hand`,
          );
        });
      }
    }
    addToFingerprint(fingerprint, name, print);
    const entry: CollectionEntry = {
      name,
      config: print.info.config as unknown as Record<string, unknown>,
      payloadSchema: print.info.payload_schema as CollectionEntry['payloadSchema'],
      points: print.data.count,
    };
    if (cluster) {
      entry.shards = taken.map((t, i) => ({ ...files[i]!, shard: t.shard! }));
    } else {
      entry.snapshot = files[0]!;
    }
    return entry;
  }

  /** Streams a remote snapshot into its artifact (resuming cut downloads); deletes it afterwards when asked. */
  private async download(
    snapshot: RemoteSnapshot,
    sink: ArtifactSink,
    warnings: string[],
    remove = true,
  ): Promise<SnapshotFile> {
    const { file } = snapshot;
    try {
      await sink.add(
        file.artifact,
        snapshot.api.download(
          snapshot.downloadPath,
          { size: file.size, checksum: file.checksum },
          this.config.downloadRetries,
          {
            doing: `downloading snapshot ${file.name}`,
          },
        ),
      );
    } finally {
      if (remove) {
        await snapshot.remove().catch((err: unknown) => {
          warnings.push(
            `${this.name}: could not delete snapshot ${file.name} from ${snapshot.api.where}: ${message(err)}; delete it by hand`,
          );
        });
      }
    }
    return file;
  }

  target(spec: string | undefined, source: ArtifactSource): QdrantTarget {
    if (spec !== undefined && !/^https?:\/\/[^/]/.test(spec)) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: the restore target must be a Qdrant REST URL (http(s)://host:6333), got ${safeUrl(spec)}`,
      );
    }
    return { conn: spec ? { ...this.conn, url: spec } : this.conn, collections: collectionsIn(source), source };
  }

  async targetIsEmpty(target: QdrantTarget): Promise<boolean> {
    const api = new QdrantApi(target.conn);
    const existing = new Set(await collectionNames(api));
    if (target.collections.some((c) => existing.has(c))) return false;
    if (!target.source.names().includes(MANIFEST_ARTIFACT)) return true;
    const manifest = await readManifest(target.source, this.name);
    const aliases = new Set((await aliasesOf(api)).map((a) => a.alias));
    return !manifest.aliases.some((a) => aliases.has(a.alias));
  }

  async backupTarget(target: QdrantTarget, sink: ArtifactSink): Promise<StoreBackupResult> {
    const api = new QdrantApi(target.conn);
    return this.backupFrom(api, [], (all) => target.collections.filter((c) => all.includes(c)), sink);
  }

  async restore(source: ArtifactSource, target: QdrantTarget, options: RestoreOptions): Promise<RestoreResult> {
    const manifest = await readManifest(source, this.name);
    const api = new QdrantApi(target.conn);
    const version = await this.serverVersion(api);
    if (manifest.mode === 'snapshot') checkSnapshotVersion(this.name, manifest.serverVersion, version, api.where);
    const entries = manifest.collections.filter((c) => target.collections.includes(c.name));
    const present = new Set(await collectionNames(api));
    const clashes = entries.filter((e) => present.has(e.name)).map((e) => e.name);
    if (clashes.length > 0 && !options.force) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: collection(s) ${clashes.join(', ')} already exist on ${api.where}`,
        {
          hint: 'restore into a server without them, or pass --force (they are saved as a safety snapshot first, then replaced)',
        },
      );
    }
    const warnings: string[] = [];
    const failures: string[] = [];
    const restored = new Set<string>();
    for (const entry of entries) {
      options.signal?.throwIfAborted();
      try {
        if (present.has(entry.name)) {
          await api.call({ doing: `deleting collection ${entry.name} before the restore` }, (c) =>
            c.deleteCollection(entry.name),
          );
        }
        failures.push(...(await this.restoreCollection(api, source, entry)));
        const count = await exactCount(api, entry.name);
        if (count !== entry.points) {
          failures.push(`collection ${entry.name}: ${count} points after the restore, the backup has ${entry.points}`);
        } else {
          restored.add(entry.name);
        }
      } catch (err) {
        failures.push(`collection ${entry.name}: ${message(err)}`);
      }
    }
    const existingAliases = new Map((await aliasesOf(api)).map((a) => [a.alias, a.collection]));
    for (const a of manifest.aliases) {
      if (!target.collections.includes(a.collection)) continue;
      if (!restored.has(a.collection)) {
        failures.push(`alias ${a.alias}: not created, its collection ${a.collection} did not restore`);
        continue;
      }
      const current = existingAliases.get(a.alias);
      if (current === a.collection) continue;
      if (current !== undefined && !options.force) {
        failures.push(`alias ${a.alias}: exists on the target and points at ${current} (pass --force to replace it)`);
        continue;
      }
      try {
        await createAlias(api, a.alias, a.collection, current !== undefined);
      } catch (err) {
        failures.push(`alias ${a.alias}: ${message(err)}`);
      }
    }
    if (manifest.fullStorage) {
      warnings.push(
        `${this.name}: ${FULL_STORAGE_ARTIFACT} was not applied: Qdrant restores a full-storage snapshot only at start-up ` +
          '(qdrant --storage-snapshot FILE; `backdrill dump` writes the file); the collections were restored from their own snapshots',
      );
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} object(s) failed to restore into ${api.where}`,
        failures,
      );
    }
    return { warnings };
  }

  private async restoreCollection(api: QdrantApi, source: ArtifactSource, entry: CollectionEntry): Promise<string[]> {
    const config = entry.config as unknown as CollectionConfig;
    if (entry.snapshot) {
      await uploadSnapshot(api, entry.name, entry.snapshot, source.open(entry.snapshot.artifact));
      return [];
    }
    await createCollection(api, entry.name, config);
    const failures = await createPayloadIndexes(api, entry.name, entry.payloadSchema);
    if (entry.shards) {
      for (const s of entry.shards) {
        try {
          await uploadSnapshot(api, entry.name, s, source.open(s.artifact), s.shard);
        } catch (err) {
          failures.push(`collection ${entry.name} shard ${s.shard}: ${message(err)}`);
        }
      }
    } else if (entry.points_artifact) {
      await upsertLines(api, entry.name, lines(source.open(entry.points_artifact)), this.config.batchSize);
    }
    return failures;
  }

  async fingerprint(target: QdrantTarget): Promise<Fingerprint> {
    const api = new QdrantApi(target.conn);
    const fingerprint: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const names = new Set(target.collections);
    for (const name of target.collections) {
      if (!(await collectionExists(api, name))) continue;
      addToFingerprint(fingerprint, name, await printCollection(api, name, this.config.batchSize));
    }
    addAliases(fingerprint, await aliasesOf(api), names);
    return fingerprint;
  }
}
