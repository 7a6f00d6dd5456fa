// Freeing chunk-sized buffers as soon as they are done with. V8 frees an ArrayBuffer's memory only when a garbage
// collection finds it dead, and lets tens of MiB of it pile up in each isolate (the main thread and every worker)
// before it collects: with multi-MiB chunks streaming through, that dead memory was most of a backup's peak RSS.
// This module only uses erasable TypeScript: worker threads load it directly.

type Transferable = ArrayBuffer & { transfer(newLength?: number): Transferable; readonly detached: boolean };

const HUGE_PAGE = 2 * 1024 * 1024;
/** From this size on, glibc maps memory directly (command-process.ts builds its MALLOC_TUNABLES from it). */
export const MAPPED_FROM = 1024 * 1024;

/** Memory whose first bytes are one view's and whose rest is unused (largeBuffer's, and zstd's output). */
const exclusive = new WeakSet<ArrayBuffer>();

/**
 * Says that `b` is the only view of its ArrayBuffer, whose bytes past it are unused (see ownsBuffer). Only memory
 * of 1 MiB and more is marked: smaller Buffers may be slices of Node's shared pool, which is never transferable.
 */
export function markExclusive(b: Uint8Array): void {
  const ab = b.buffer;
  if (b.byteOffset === 0 && ab instanceof ArrayBuffer && ab.byteLength >= MAPPED_FROM) exclusive.add(ab);
}

/**
 * Whether `b` is the only view of its ArrayBuffer (all of it, or the start of memory marked exclusive), so that it
 * can be transferred to another thread.
 */
export function ownsBuffer(b: Uint8Array): boolean {
  const ab = b.buffer;
  return b.byteOffset === 0 && ab instanceof ArrayBuffer && (b.byteLength === ab.byteLength || exclusive.has(ab));
}

/**
 * Bytes to ask for to hold `n`: from 1 MiB up, a whole number of 2 MiB huge pages less one 4 KiB page (for malloc's
 * header). glibc then maps exactly whole huge pages, Linux aligns such mappings to 2 MiB, and with the
 * glibc.malloc.hugetlb tunable (command-process.ts) they are backed by transparent huge pages: one page fault per
 * 2 MiB instead of 512. On this project's 2-core VM a 4 KiB fault costs about 2.5 us: a restore's multi-MiB chunks
 * faulted in page by page cost 0.5 CPU-s per GiB. The unused tail is never touched where pages are 4 KiB.
 */
export function largeCapacity(n: number): number {
  if (n < MAPPED_FROM) return n;
  return Math.ceil((n + 4096) / HUGE_PAGE) * HUGE_PAGE - 4096;
}

/** A buffer of `n` bytes in memory of its own (see largeCapacity), transferable to another thread. */
export function largeBuffer(n: number): Buffer {
  const b = Buffer.allocUnsafeSlow(largeCapacity(n)).subarray(0, n);
  markExclusive(b);
  return b;
}

/**
 * Frees the memory under `b` now: the ArrayBuffer is detached and every view of it becomes empty. Only for memory
 * that nothing else references any more (`b` may be a slice of it). A slice of Node's Buffer pool slab is left to
 * the GC: the slab holds unrelated small Buffers. (A view of a whole ArrayBuffer is never such a slice, whatever its
 * size: Node 24's slab is 64 KiB, as large as a pipe's reads.)
 */
export function release(b: Uint8Array): void {
  const ab = b.buffer as Transferable;
  if (!(ab instanceof ArrayBuffer) || ab.detached) return;
  if (ab.byteLength <= Buffer.poolSize && !ownsBuffer(b)) return;
  ab.transfer(0);
}

/**
 * Chunk memory kept for the next chunks (see recycle). Fresh memory costs the kernel a zeroed page for every page
 * first touched: for a backup's chunks that was 0.7 CPU-s per 744 MiB on the main thread of this project's VM.
 */
const spare: Transferable[] = [];
/** Spare memories kept at most: about the chunks a backup has in flight (pipeline workers + 2), and a few more. */
const SPARE_MAX = 8;

/**
 * A buffer of `n` bytes for a chunk: the smallest spare memory that holds it (see recycle), else largeBuffer(n).
 * Either way its memory is its own, transferable to another thread.
 */
export function chunkBuffer(n: number): Buffer {
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    const size = spare[i]!.byteLength;
    if (size >= n && (best < 0 || size < spare[best]!.byteLength)) best = i;
  }
  if (best < 0) return largeBuffer(n);
  const ab: ArrayBuffer = spare.splice(best, 1)[0]!;
  const b = Buffer.from(ab, 0, n);
  exclusive.add(ab);
  return b;
}

/**
 * Keeps the memory under `b` for chunkBuffer to reuse, when `b` is the only view of it (see ownsBuffer) and it is
 * at least MAPPED_FROM large (smaller memory comes from malloc's arenas, reused anyway); frees it otherwise, as
 * release does. Memory kept leaves every view of it empty: nothing can read the next chunk's bytes through `b`.
 */
export function recycle(
  b: Uint8Array,
  /**
   * Keep it only while fewer memories than this wait for reuse. A restore's readers give memory back one chunk at
   * a time, as they take the next: a few spare memories serve them all, and more is memory held for nothing when a
   * reader ends (its chunks in flight all come back at once).
   */
  keepBelow = SPARE_MAX,
): void {
  const ab = b.buffer as Transferable;
  if (!ownsBuffer(b) || ab.byteLength < MAPPED_FROM || spare.length >= keepBelow) {
    release(b);
    return;
  }
  // transfer() moves the memory to a new ArrayBuffer without copying it, and detaches the old one.
  spare.push(ab.transfer());
  if (spare.length > SPARE_MAX) {
    spare.sort((x, y) => x.byteLength - y.byteLength);
    spare.shift()!.transfer(0);
  }
}

/** Frees the memory under `b` now only when `b` is the only view of its whole ArrayBuffer (see release). */
export function releaseOwned(b: Uint8Array): void {
  if (ownsBuffer(b)) release(b);
}
