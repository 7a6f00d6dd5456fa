// Reading an artifact back: chunks are fetched and unsealed ahead in parallel, each is proven to be the one the
// manifest names (authenticated, size, HMAC ID), and bytes are yielded strictly in order. A damaged chunk stops
// the stream with an integrity error before any of its bytes are yielded.
import { BackdrillError } from '../errors.ts';
import { recycle } from '../pipeline/buffers.ts';
import type { Artifact, Snapshot } from './format.ts';
import type { Repository } from './repository.ts';

/** Bytes of an artifact from `start` up to `end` (exclusive; the artifact's end when omitted). */
export interface ByteRange {
  start: number;
  end?: number;
}

export function findArtifact(snapshot: Snapshot, name: string): Artifact {
  const artifact = snapshot.artifacts.find((a) => a.name === name);
  if (!artifact) {
    const names = snapshot.artifacts.map((a) => a.name).join(', ') || 'none';
    throw new BackdrillError(
      'usage',
      `snapshot ${snapshot.id.slice(0, 8)} has no artifact "${name}" (it has: ${names})`,
    );
  }
  return artifact;
}

/**
 * Below this size a yielded chunk is never freed early: a writable (16 KiB highWaterMark by default) may still
 * hold a small chunk after write() returned true, while one this large makes write() return false, and
 * stream.pipeline waits for 'drain' (every byte written) before it asks for the next chunk.
 */
const RELEASE_MIN_BYTES = 1 << 20;

/** Memories of consumed chunks kept for the next chunks read (buffers.ts recycle), across all readers. */
const READ_SPARE = 2;

export async function* readArtifact(
  repo: Repository,
  artifact: Artifact,
  options: {
    prefetch?: number;
    /**
     * Reuse each chunk's memory for a chunk read later, or free it, when the next one is asked for (instead of
     * leaving it to a later GC: with multi-MiB chunks that dead memory is most of a restore's peak RSS, and fresh
     * memory costs the kernel a zeroed page for every page first touched). Only for consumers that are done with a
     * chunk by then: stream.pipeline into a writable, or code that copies or decodes each chunk before awaiting the
     * next.
     */
    releaseConsumed?: boolean;
    /** Only the bytes from `start` up to `end` (the artifact's end when omitted): just the chunks that hold them. */
    range?: ByteRange;
  } = {},
): AsyncGenerator<Buffer> {
  const prefetch = Math.max(1, options.prefetch ?? repo.pipeline().size * 2 + 2);
  const start = options.range?.start ?? 0;
  const end = options.range?.end ?? artifact.size;
  if (
    !(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start <= end && end <= artifact.size)
  ) {
    throw new BackdrillError(
      'integrity',
      `artifact ${artifact.name}: bytes ${start}-${end} asked for, it holds ${artifact.size}`,
    );
  }
  // The chunks holding [start, end), and where the first one starts in the artifact. A whole read takes every
  // chunk, whatever sizes the manifest gives them: their sum must then be the artifact's size.
  let next = 0;
  let at = 0;
  let last = artifact.chunks.length;
  if (options.range) {
    while (next < last && at + artifact.chunks[next]![1] <= start) at += artifact.chunks[next++]![1];
    last = next;
    for (let o = at; last < artifact.chunks.length && o < end; ) o += artifact.chunks[last++]![1];
  }
  const queue: Array<Promise<Buffer>> = [];
  const fill = () => {
    while (queue.length < prefetch && next < last) {
      const p = repo.readChunk(artifact.chunks[next++]!);
      // Errors surface when the chunk's turn comes; until then they must not count as unhandled.
      p.catch(() => {});
      queue.push(p);
    }
  };
  fill();
  let total = 0;
  while (queue.length > 0) {
    const chunk = await queue.shift()!;
    fill();
    // The part of the chunk inside the range: all of it, but for the first and last chunks of a range.
    const from = Math.max(0, start - at);
    const to = options.range ? Math.min(chunk.length, end - at) : chunk.length;
    at += chunk.length;
    if (to <= from) continue;
    const part = from === 0 && to === chunk.length ? chunk : chunk.subarray(from, to);
    total += part.length;
    yield part;
    // Its memory takes the next chunk read (pipeline/pool.ts unseal), or is freed.
    if (options.releaseConsumed && chunk.length >= RELEASE_MIN_BYTES) recycle(chunk, READ_SPARE);
  }
  if (total !== end - start) {
    throw new BackdrillError(
      'integrity',
      `artifact ${artifact.name}: read ${total} bytes, the manifest says ${end - start}${options.range ? ` (bytes ${start}-${end})` : ''}`,
    );
  }
}
