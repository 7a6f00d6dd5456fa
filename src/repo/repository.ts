// The repository: creating and opening one (keys, config), and reading and writing its sealed objects.
// Higher-level operations (backup, dump, verify, locks) are written on top of this class.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { BackdrillError } from '../errors.ts';
import { type ChunkerParams, checkChunkerParams, DEFAULT_CHUNKER } from '../pipeline/chunker.ts';
import {
  chunkIdOf,
  EnvelopeError,
  envelopeIsEncrypted,
  type MasterKeys,
  minSealedSize,
  type ObjectType,
  seal,
  unseal,
} from '../pipeline/envelope.ts';
import { PipelinePool } from '../pipeline/pool.ts';
import { type Backend, isStorageError, listAll } from '../storage/backend.ts';
import {
  type ChunkRef,
  chunkIdFromKey,
  FORMAT_VERSION,
  HEX64,
  layout,
  RepoConfig,
  type Snapshot,
  SnapshotManifest,
} from './format.ts';
import { createKeyFile, DEFAULT_KDF, type KdfCost, parseKeyFile, unwrapKeyFile } from './keys.ts';

export interface InitOptions {
  /** Required unless encryption is 'none'. */
  password?: string;
  /** Encryption is on unless 'none' is chosen explicitly. */
  encryption?: 'aes-256-gcm' | 'none';
  chunker?: ChunkerParams;
  compressionLevel?: number;
  kdf?: KdfCost;
}

export interface OpenOptions {
  password?: string;
  /**
   * For commands that read or write chunks: the pipeline's workers start loading now, while the key file is
   * unwrapped (scrypt), instead of on the first chunk. Each takes about 0.1 s to start on a 2-core runner, and a
   * restore waits for them before its first chunk.
   */
  pipeline?: boolean;
}

/**
 * zstd level of a new repository. Level 1 over 3: on the PostgreSQL bench's 744 MiB dump it stores 5% more (236 vs
 * 225 MB) and compresses in 2.1 CPU-s instead of 3.4, the largest single cost of a backup, which is CPU-bound on
 * small runners. `init --compression-level` chooses another.
 */
export const DEFAULT_COMPRESSION_LEVEL = 1;

const PASSWORD_HINT =
  'set BACKDRILL_PASSWORD, BACKDRILL_PASSWORD_FILE or BACKDRILL_PASSWORD_COMMAND (or --password-file)';

export class Repository {
  private pool: PipelinePool | undefined;
  /** The key file that opened the repository uses a KDF weaker than the default (the CLI warns). */
  weakKdf = false;

  private constructor(
    readonly backend: Backend,
    readonly config: RepoConfig,
    readonly keys: MasterKeys,
  ) {}

  get id(): string {
    return this.config.id;
  }

  get location(): string {
    return this.backend.location;
  }

  /** The smallest a stored chunk can be; anything smaller under data/ is damage. */
  get minChunkSize(): number {
    return minSealedSize(this.keys.encryption !== null);
  }

  get chunker(): ChunkerParams {
    return this.config.chunker;
  }

  /** Creates a new repository. Fails when one exists; probes whether the provider honours conditional writes. */
  static async init(backend: Backend, options: InitOptions): Promise<{ repo: Repository; warnings: string[] }> {
    const encryption = options.encryption ?? 'aes-256-gcm';
    if (encryption !== 'none' && !options.password) {
      throw new BackdrillError(
        'usage',
        `cannot create an encrypted repository at ${backend.location} without a password`,
        {
          hint: `${PASSWORD_HINT}; an unencrypted repository must be asked for explicitly (--encryption none)`,
        },
      );
    }
    const chunker = options.chunker ?? DEFAULT_CHUNKER;
    checkChunkerParams(chunker);
    if (await backend.stat(layout.config)) {
      throw new BackdrillError('usage', `a repository already exists at ${backend.location}`, {
        hint: 'use it as it is, or choose another location',
      });
    }
    const warnings: string[] = [];
    const conditionalWrites = await probeConditionalWrites(backend);
    if (!conditionalWrites) {
      warnings.push(
        `the storage at ${backend.location} does not honour conditional writes (If-None-Match: *): two ` +
          "`backdrill init` runs at once could overwrite each other's config, and a retried write cannot tell its " +
          "own earlier attempt from another writer's object. Locks still work (they rely on consistent listings). " +
          'Prefer a provider with conditional writes (AWS S3, MinIO, R2) and run one init at a time here.',
      );
    }
    const keys: MasterKeys = {
      encryption: encryption === 'none' ? null : randomBytes(32),
      chunkId: randomBytes(32),
    };
    const config: RepoConfig = {
      version: FORMAT_VERSION,
      id: randomBytes(32).toString('hex'),
      created: new Date().toISOString(),
      encryption,
      ...(encryption === 'none' ? { chunkIdKey: keys.chunkId.toString('base64') } : {}),
      chunker,
      compression: { algorithm: 'zstd', level: options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL },
      conditionalWrites,
    };
    const keyObject = layout.key(randomBytes(32).toString('hex'));
    if (keys.encryption) {
      // The key file first: a config without a key that opens it would be a repository nobody can use.
      const file = await createKeyFile(options.password!, keys, config.id, options.kdf ?? DEFAULT_KDF);
      await backend.put(keyObject, Buffer.from(JSON.stringify(file)), { ifNoneMatch: conditionalWrites });
    }
    const sealed = seal(keys, 'config', 'config', Buffer.from(JSON.stringify(config)), null);
    try {
      await backend.put(layout.config, sealed, { ifNoneMatch: conditionalWrites });
    } catch (err) {
      // Our key file wraps keys of a config that does not exist: remove it (open skips such files anyway).
      if (keys.encryption) await backend.delete(keyObject).catch(() => {});
      if (isStorageError(err, 'already-exists')) {
        throw new BackdrillError('usage', `a repository was created at ${backend.location} at the same time`, {
          cause: err,
        });
      }
      throw err;
    }
    return { repo: new Repository(backend, config, keys), warnings };
  }

  /** Opens an existing repository: exit 10 when there is none, 12 when the password opens no key file. */
  static async open(backend: Backend, options: OpenOptions = {}): Promise<Repository> {
    const pool = options.pipeline ? new PipelinePool() : undefined;
    try {
      const repo = await Repository.unlock(backend, options.password);
      if (pool) repo.pool = pool.setKeys(repo.keys);
      return repo;
    } catch (err) {
      await pool?.close();
      throw err;
    }
  }

  private static async unlock(backend: Backend, password: string | undefined): Promise<Repository> {
    let raw: Buffer;
    try {
      raw = await backend.get(layout.config);
    } catch (err) {
      if (isStorageError(err, 'not-found')) {
        throw new BackdrillError('repository-missing', `there is no repository at ${backend.location}`, {
          hint: 'check --repo / BACKDRILL_REPOSITORY, or create one with `backdrill init`',
        });
      }
      throw err;
    }
    const encrypted = envelopeIsEncrypted(raw);
    if (encrypted === undefined) {
      throw new BackdrillError('integrity', `the object "config" at ${backend.location} is not a backdrill config`, {
        hint: 'the repository is damaged or this is not a backdrill repository',
      });
    }
    const keyObjects = await listAll(backend, layout.keysPrefix);
    if (!encrypted) {
      if (keyObjects.length > 0) {
        // Fail closed: key files next to a plaintext config mean the config was replaced.
        throw new BackdrillError(
          'integrity',
          `the repository at ${backend.location} has key files but an unencrypted config: refusing to open it`,
          { hint: 'the config object may have been tampered with; restore it from a copy of the repository' },
        );
      }
      if (password !== undefined) {
        throw new BackdrillError(
          'usage',
          `the repository at ${backend.location} is not encrypted, but a password was given`,
          {
            hint: 'refusing to write unencrypted data where encryption was expected; unset the password if this is intended',
          },
        );
      }
      const config = parseConfig(unsealOrIntegrity({ encryption: null, chunkId: Buffer.alloc(32) }, raw));
      if (config.encryption !== 'none' || !config.chunkIdKey) {
        throw new BackdrillError('integrity', `the config at ${backend.location} is inconsistent (encryption)`);
      }
      return new Repository(backend, config, { encryption: null, chunkId: Buffer.from(config.chunkIdKey, 'base64') });
    }
    if (password === undefined || password === '') {
      throw new BackdrillError(
        'usage',
        `the repository at ${backend.location} is encrypted and no password was given`,
        {
          hint: PASSWORD_HINT,
        },
      );
    }
    if (keyObjects.length === 0) {
      throw new BackdrillError('wrong-key', `the repository at ${backend.location} has no key files left`, {
        hint: 'without a key file the data cannot be decrypted',
      });
    }
    const damaged: string[] = [];
    const stray: string[] = [];
    for (const k of keyObjects) {
      let file: ReturnType<typeof parseKeyFile>;
      try {
        file = parseKeyFile(await backend.get(k.key), k.key);
      } catch (err) {
        if (err instanceof BackdrillError) {
          damaged.push(err.message);
          continue;
        }
        throw err;
      }
      let opened: Awaited<ReturnType<typeof unwrapKeyFile>>;
      try {
        opened = await unwrapKeyFile(file, password);
      } catch (err) {
        damaged.push(`key file ${k.key}: ${(err as Error).message}`);
        continue;
      }
      if (!opened) continue;
      // A key file left by an init that lost a race (or crashed) opens keys this config was not sealed with:
      // skip it and try the others.
      let config: RepoConfig;
      try {
        config = parseConfig(unseal(opened.keys, 'config', 'config', raw));
      } catch (err) {
        if (!(err instanceof EnvelopeError)) throw err;
        stray.push(k.key);
        continue;
      }
      if (config.id !== opened.repository) {
        stray.push(k.key);
        continue;
      }
      const repo = new Repository(backend, config, opened.keys);
      repo.weakKdf = file.kdf.N < DEFAULT_KDF.N;
      return repo;
    }
    if (stray.length > 0 && stray.length + damaged.length === keyObjects.length) {
      throw new BackdrillError(
        'integrity',
        `the repository config cannot be read: it fails authentication with the keys the password opens ` +
          `(key file(s) ${stray.join(', ')})`,
        { hint: 'the config object is damaged or was replaced, or those key files belong to another repository' },
      );
    }
    if (damaged.length === keyObjects.length) {
      throw new BackdrillError('integrity', `every key file at ${backend.location} is damaged: ${damaged.join('; ')}`);
    }
    throw new BackdrillError('wrong-key', `wrong password: it opens none of the ${keyObjects.length} key file(s)`, {
      hint: damaged.length > 0 ? `also: ${damaged.join('; ')}` : 'check the password source; nothing was written',
    });
  }

  /** Adds a key file for another password; data is not re-encrypted. Returns the new key's ID. */
  async addKey(password: string, kdf: KdfCost = DEFAULT_KDF): Promise<string> {
    if (!this.keys.encryption) {
      throw new BackdrillError('usage', 'this repository is not encrypted: it has no keys to add');
    }
    const id = randomBytes(32).toString('hex');
    const file = await createKeyFile(password, this.keys, this.id, kdf);
    await this.backend.put(layout.key(id), Buffer.from(JSON.stringify(file)), {
      ifNoneMatch: this.config.conditionalWrites,
    });
    return id;
  }

  pipeline(): PipelinePool {
    this.pool ??= new PipelinePool().setKeys(this.keys);
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
    await this.backend.close();
  }

  chunkId(data: Uint8Array): string {
    return chunkIdOf(this.keys, data);
  }

  /** Seals and stores a small JSON object (manifest, lock, ...). */
  async putJson(type: ObjectType, id: string, key: string, value: unknown, ifNoneMatch: boolean): Promise<void> {
    const sealed = seal(this.keys, type, id, Buffer.from(JSON.stringify(value)), this.config.compression.level);
    await this.backend.put(key, sealed, { ifNoneMatch: ifNoneMatch && this.config.conditionalWrites });
  }

  /** Reads, authenticates and validates a JSON object; damage is an integrity error naming the object. */
  async getJson<T extends z.ZodType>(type: ObjectType, id: string, key: string, schema: T): Promise<z.infer<T>> {
    const raw = await this.backend.get(key);
    const plain = this.unsealObject(type, id, key, raw);
    let json: unknown;
    try {
      json = JSON.parse(plain.toString('utf8'));
    } catch {
      throw new BackdrillError('integrity', `${key}: not valid JSON after decryption`);
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new BackdrillError(
        'integrity',
        `${key}: unexpected content at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
      );
    }
    return r.data;
  }

  unsealObject(type: ObjectType, id: string, key: string, raw: Buffer): Buffer {
    try {
      return unseal(this.keys, type, id, raw);
    } catch (err) {
      if (err instanceof EnvelopeError) throw new BackdrillError('integrity', `${key}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  /** Every snapshot that can be read; damaged manifests are reported, not hidden. */
  async listSnapshots(): Promise<{ snapshots: Snapshot[]; damaged: Array<{ key: string; message: string }> }> {
    const objects = await listAll(this.backend, layout.snapshotsPrefix);
    const snapshots: Snapshot[] = [];
    const damaged: Array<{ key: string; message: string }> = [];
    await mapLimit(objects, 8, async (o) => {
      const id = o.key.slice(layout.snapshotsPrefix.length);
      if (!HEX64.test(id)) {
        damaged.push({ key: o.key, message: 'not a snapshot ID' });
        return;
      }
      try {
        snapshots.push({ id, ...(await this.getJson('snapshot', id, o.key, SnapshotManifest)) });
      } catch (err) {
        if (err instanceof BackdrillError || isStorageError(err, 'not-found')) {
          damaged.push({ key: o.key, message: (err as Error).message });
          return;
        }
        throw err;
      }
    });
    snapshots.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
    return { snapshots, damaged };
  }

  /** Loads one snapshot by full ID, unique prefix, or "latest" (optionally of one store). */
  async loadSnapshot(ref: string, filter: { store?: string } = {}): Promise<Snapshot> {
    if (ref === 'latest') {
      const { snapshots } = await this.listSnapshots();
      const matching = snapshots.filter((s) => !filter.store || s.store.name === filter.store);
      const last = matching.at(-1);
      if (!last) {
        throw new BackdrillError(
          'usage',
          `no snapshots${filter.store ? ` of store ${filter.store}` : ''} in ${this.location}`,
        );
      }
      return last;
    }
    if (!/^[0-9a-f]{4,64}$/.test(ref)) {
      throw new BackdrillError('usage', `"${ref}" is not a snapshot ID`, {
        hint: 'give an ID or a unique prefix of at least 4 hex digits (see `backdrill snapshots`), or "latest"',
      });
    }
    const candidates = (await listAll(this.backend, layout.snapshotsPrefix))
      .map((o) => o.key.slice(layout.snapshotsPrefix.length))
      .filter((id) => id.startsWith(ref));
    if (candidates.length === 0) throw new BackdrillError('usage', `no snapshot ${ref} in ${this.location}`);
    if (candidates.length > 1) {
      throw new BackdrillError('usage', `snapshot prefix ${ref} is ambiguous (${candidates.length} matches)`, {
        hint: 'give more digits',
      });
    }
    const id = candidates[0]!;
    return { id, ...(await this.getJson('snapshot', id, layout.snapshot(id), SnapshotManifest)) };
  }

  /** The stored size of every chunk in the repository, from a listing of data/. */
  async chunkIndex(): Promise<Map<string, number>> {
    const index = new Map<string, number>();
    for await (const o of this.backend.list(layout.dataPrefix)) {
      const id = chunkIdFromKey(o.key);
      // An object too small to be a sealed chunk is damage, not a chunk to reuse: the backup stores it again.
      if (id && o.size >= this.minChunkSize) index.set(id, o.size);
    }
    return index;
  }

  /** Reads one chunk and proves it is the one referenced: authenticated, right size, right HMAC ID. */
  async readChunk(ref: ChunkRef): Promise<Buffer> {
    const [id, size] = ref;
    const key = layout.chunk(id);
    let raw: Buffer;
    try {
      raw = await this.backend.get(key);
    } catch (err) {
      if (isStorageError(err, 'not-found')) {
        throw new BackdrillError('integrity', `chunk ${key} is missing`, { cause: err });
      }
      throw err;
    }
    let plain: Buffer;
    try {
      plain = await this.pipeline().unsealChunk(id, raw, this.config.chunker.max, size);
    } catch (err) {
      if (err instanceof EnvelopeError) throw new BackdrillError('integrity', `${key}: ${err.message}`, { cause: err });
      throw err;
    }
    // unsealChunk proved the ID (HMAC) already.
    if (plain.length !== size) {
      throw new BackdrillError('integrity', `${key}: ${plain.length} bytes after decryption, expected ${size}`);
    }
    return plain;
  }
}

function unsealOrIntegrity(keys: MasterKeys, raw: Buffer): Buffer {
  try {
    return unseal(keys, 'config', 'config', raw);
  } catch (err) {
    if (err instanceof EnvelopeError) {
      throw new BackdrillError('integrity', `the repository config cannot be read: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function parseConfig(plain: Buffer): RepoConfig {
  let json: unknown;
  try {
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new BackdrillError('integrity', 'the repository config is not valid JSON');
  }
  const r = RepoConfig.safeParse(json);
  if (!r.success) {
    const v = (json as { version?: unknown } | null)?.version;
    if (typeof v === 'number' && v !== FORMAT_VERSION) {
      throw new BackdrillError(
        'usage',
        `the repository uses format version ${v}; this backdrill reads version ${FORMAT_VERSION}`,
        {
          hint: 'upgrade backdrill',
        },
      );
    }
    throw new BackdrillError('integrity', `the repository config is malformed: ${r.error.issues[0]?.message ?? ''}`);
  }
  return r.data;
}

/** Creates a probe object twice with If-None-Match: *; a provider that honours it rejects the second write. */
async function probeConditionalWrites(backend: Backend): Promise<boolean> {
  const key = layout.lock(`probe-${randomBytes(16).toString('hex')}`);
  try {
    try {
      await backend.put(key, Buffer.from('probe 1'), { ifNoneMatch: true });
    } catch (err) {
      if (isStorageError(err, 'unsupported')) return false;
      throw err;
    }
    try {
      await backend.put(key, Buffer.from('probe 2'), { ifNoneMatch: true });
      return false;
    } catch (err) {
      if (isStorageError(err, 'already-exists')) return true;
      if (isStorageError(err, 'unsupported')) return false;
      throw err;
    }
  } finally {
    await backend.delete(key).catch(() => {});
  }
}

export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!);
    }
  });
  await Promise.all(workers);
}
