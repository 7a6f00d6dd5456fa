// Comparing two key sets of any size in bounded memory: both sides are hash-partitioned into bucket files on
// disk, then each bucket pair is compared in memory (one 1/BUCKETS-th of the keys at a time).
import { createHash } from 'node:crypto';
import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BUCKETS = 64;
const FLUSH_BYTES = 64 * 1024;
const SAMPLES = 10;

export interface KeySetComparison {
  left: number;
  right: number;
  common: number;
  onlyLeft: { count: number; samples: string[] };
  onlyRight: { count: number; samples: string[] };
  both: { samples: string[] };
}

class Partitioner {
  private readonly buffers: string[][] = Array.from({ length: BUCKETS }, () => []);
  private readonly sizes = new Array<number>(BUCKETS).fill(0);

  constructor(
    private readonly dir: string,
    private readonly side: string,
  ) {
    for (let b = 0; b < BUCKETS; b++) writeFileSync(this.file(b), '');
  }

  file(b: number): string {
    return join(this.dir, `${this.side}-${b}`);
  }

  add(key: string): void {
    const b = createHash('md5').update(key).digest().readUInt8(0) % BUCKETS;
    const line = `${JSON.stringify(key)}\n`;
    this.buffers[b]!.push(line);
    this.sizes[b]! += line.length;
    if (this.sizes[b]! >= FLUSH_BYTES) this.flush(b);
  }

  flush(b: number): void {
    if (this.buffers[b]!.length === 0) return;
    appendFileSync(this.file(b), this.buffers[b]!.join(''));
    this.buffers[b] = [];
    this.sizes[b] = 0;
  }

  flushAll(): void {
    for (let b = 0; b < BUCKETS; b++) this.flush(b);
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const l of rl) if (l) yield JSON.parse(l) as string;
}

/** Keys are compared as strings; duplicates on one side count once. */
export async function compareKeySets(
  left: AsyncIterable<string>,
  right: AsyncIterable<string>,
): Promise<KeySetComparison> {
  const dir = mkdtempSync(join(tmpdir(), 'backdrill-keys-'));
  try {
    const L = new Partitioner(dir, 'l');
    const R = new Partitioner(dir, 'r');
    // Both sides are read at once: each may be a server cursor that should not sit idle.
    await Promise.all([
      (async () => {
        for await (const k of left) L.add(k);
      })(),
      (async () => {
        for await (const k of right) R.add(k);
      })(),
    ]);
    L.flushAll();
    R.flushAll();
    const out: KeySetComparison = {
      left: 0,
      right: 0,
      common: 0,
      onlyLeft: { count: 0, samples: [] },
      onlyRight: { count: 0, samples: [] },
      both: { samples: [] },
    };
    for (let b = 0; b < BUCKETS; b++) {
      const lset = new Set<string>();
      for await (const k of lines(L.file(b))) lset.add(k);
      out.left += lset.size;
      const rseen = new Set<string>();
      for await (const k of lines(R.file(b))) {
        if (rseen.has(k)) continue;
        rseen.add(k);
        if (lset.has(k)) {
          out.common++;
          if (out.both.samples.length < SAMPLES) out.both.samples.push(k);
        } else {
          out.onlyRight.count++;
          if (out.onlyRight.samples.length < SAMPLES) out.onlyRight.samples.push(k);
        }
      }
      out.right += rseen.size;
      for (const k of lset) {
        if (rseen.has(k)) continue;
        out.onlyLeft.count++;
        if (out.onlyLeft.samples.length < SAMPLES) out.onlyLeft.samples.push(k);
      }
    }
    for (const s of [out.onlyLeft.samples, out.onlyRight.samples, out.both.samples]) s.sort();
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
