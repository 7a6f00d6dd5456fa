// Freeing chunk-sized buffers as soon as they are done with. V8 frees an ArrayBuffer's memory only when a garbage
// collection finds it dead, and lets tens of MiB of it pile up in each isolate (the main thread and every worker)
// before it collects: with multi-MiB chunks streaming through, that dead memory was most of a backup's peak RSS.
// This module only uses erasable TypeScript: worker threads load it directly.

type Transferable = ArrayBuffer & { transfer(newLength: number): ArrayBuffer; readonly detached: boolean };

/** Whether `b` is the only view of its whole ArrayBuffer, so that it can be transferred to another thread. */
export function ownsBuffer(b: Uint8Array): boolean {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer;
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

/** Frees the memory under `b` now only when `b` is the only view of its whole ArrayBuffer (see release). */
export function releaseOwned(b: Uint8Array): void {
  if (ownsBuffer(b)) release(b);
}
