// verify: proves the repository is intact. Structure: every manifest opens and every chunk it references exists
// with the stored size it recorded. --read-data: chunks are downloaded, authenticated, decrypted, decompressed and
// their IDs recomputed; a subset (n/t, or a percentage) lets daily runs rotate through everything.
import { BackdrillError } from '../errors.ts';
import { listAll } from '../storage/backend.ts';
import { layout } from './format.ts';
import { parseKeyFile } from './keys.ts';
import { mapLimit, type Repository } from './repository.ts';

export type Subset = { kind: 'all' } | { kind: 'slice'; n: number; of: number } | { kind: 'percent'; percent: number };

export function parseSubset(text: string): Subset {
  const slice = /^(\d+)\/(\d+)$/.exec(text);
  if (slice) {
    const n = Number(slice[1]);
    const of = Number(slice[2]);
    if (of >= 1 && n >= 1 && n <= of) return { kind: 'slice', n, of };
  }
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 0 && percent <= 100) return { kind: 'percent', percent };
  }
  throw new BackdrillError('usage', `--read-data-subset ${JSON.stringify(text)} is not a subset`, {
    hint: 'use n/t (e.g. 1/7 reads the first of seven slices, so a daily run covers everything in a week) or N% (a random sample)',
  });
}

function inSubset(id: string, subset: Subset): boolean {
  if (subset.kind === 'all') return true;
  if (subset.kind === 'slice') return Number.parseInt(id.slice(0, 8), 16) % subset.of === subset.n - 1;
  return Math.random() * 100 < subset.percent;
}

export interface VerifyError {
  object: string;
  /** IDs of the snapshots the damage affects. */
  snapshots: string[];
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  snapshots: number;
  chunks: number;
  chunksRead: number;
  bytesRead: number;
  /** Chunks no snapshot references (left by interrupted backups; prune collects them). Not an error. */
  unreferenced: number;
  errors: VerifyError[];
}

export interface VerifyOptions {
  readData?: boolean;
  subset?: Subset;
  onProgress?: (done: number, total: number) => void;
}

export async function verifyRepository(repo: Repository, options: VerifyOptions = {}): Promise<VerifyResult> {
  const errors: VerifyError[] = [];
  for (const k of await listAll(repo.backend, layout.keysPrefix)) {
    try {
      parseKeyFile(await repo.backend.get(k.key), k.key);
    } catch (err) {
      if (!(err instanceof BackdrillError)) throw err;
      errors.push({ object: k.key, snapshots: [], message: err.message });
    }
  }
  const { snapshots, damaged } = await repo.listSnapshots();
  for (const d of damaged)
    errors.push({ object: d.key, snapshots: [d.key.slice(layout.snapshotsPrefix.length)], message: d.message });
  for (const s of snapshots) {
    for (const a of s.artifacts) {
      const sum = a.chunks.reduce((n, c) => n + c[1], 0);
      if (sum !== a.size) {
        errors.push({
          object: layout.snapshot(s.id),
          snapshots: [s.id],
          message: `artifact ${a.name}: chunks add up to ${sum} bytes, the manifest says ${a.size}`,
        });
      }
    }
  }

  // chunk id -> [stored size, snapshots referencing it]
  const referenced = new Map<string, { stored: number; snapshots: Set<string> }>();
  for (const s of snapshots) {
    for (const a of s.artifacts) {
      for (const [id, , stored] of a.chunks) {
        let r = referenced.get(id);
        if (!r) {
          r = { stored, snapshots: new Set() };
          referenced.set(id, r);
        }
        r.snapshots.add(s.id);
      }
    }
  }
  const index = await repo.chunkIndex();
  const broken = new Set<string>();
  for (const [id, r] of referenced) {
    const have = index.get(id);
    if (have === undefined) {
      errors.push({ object: layout.chunk(id), snapshots: [...r.snapshots], message: 'chunk is missing' });
      broken.add(id);
    } else if (have !== r.stored) {
      broken.add(id);
      errors.push({
        object: layout.chunk(id),
        snapshots: [...r.snapshots],
        message: `chunk has ${have} bytes, expected ${r.stored}`,
      });
    }
  }
  let unreferenced = 0;
  for (const id of index.keys()) if (!referenced.has(id)) unreferenced++;

  let chunksRead = 0;
  let bytesRead = 0;
  if (options.readData) {
    const subset = options.subset ?? { kind: 'all' };
    // Chunks already found missing or of the wrong size are reported once, not read again.
    const toRead = [...referenced.entries()].filter(([id]) => !broken.has(id) && inSubset(id, subset));
    // Plaintext size comes from any manifest referencing the chunk.
    const plainSize = new Map<string, number>();
    for (const s of snapshots) for (const a of s.artifacts) for (const [id, size] of a.chunks) plainSize.set(id, size);
    await mapLimit(toRead, Math.max(2, repo.pipeline().size * 2), async ([id, r]) => {
      try {
        const data = await repo.readChunk([id, plainSize.get(id)!, r.stored]);
        bytesRead += r.stored;
        void data;
      } catch (err) {
        if (!(err instanceof BackdrillError)) throw err;
        errors.push({
          object: layout.chunk(id),
          snapshots: [...r.snapshots],
          message: err.message.replace(/^data\/\S+: /, ''),
        });
      }
      chunksRead++;
      options.onProgress?.(chunksRead, toRead.length);
    });
  }
  errors.sort((a, b) => a.object.localeCompare(b.object));
  return {
    ok: errors.length === 0,
    snapshots: snapshots.length + damaged.length,
    chunks: referenced.size,
    chunksRead,
    bytesRead,
    unreferenced,
    errors,
  };
}
