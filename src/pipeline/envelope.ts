// The envelope every stored object travels in: optional zstd compression, then AES-256-GCM under a key derived
// per object, with the object's type and ID bound in as associated data (see docs/repository-format.md).
// This module only uses node builtins and erasable TypeScript: worker threads load it directly.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { createZstdDecompress, constants as zc, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { largeCapacity, markExclusive, release } from './buffers.ts';

export type ObjectType = 'config' | 'chunk' | 'snapshot' | 'lock' | 'set' | 'drill';

/** The master key material a repository's key files wrap. `encryption` is null for an unencrypted repository. */
export interface MasterKeys {
  encryption: Buffer | null;
  /** Keys chunk IDs (HMAC-SHA256) and the chunker's gear table. */
  chunkId: Buffer;
}

const MAGIC = Buffer.from('BDR1', 'latin1');
const MODE_PLAIN = 0;
const MODE_AES_GCM = 1;
const FLAG_RAW = 0;
const FLAG_ZSTD = 1;
const HEADER_LEN = MAGIC.length + 1;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const PLAIN_SUM_LEN = 32;

/** No sealed object is smaller: header + nonce + flag + tag (encrypted), or header + checksum + flag (plain). */
export function minSealedSize(encrypted: boolean): number {
  return HEADER_LEN + (encrypted ? NONCE_LEN + TAG_LEN : PLAIN_SUM_LEN) + 1;
}

/** Raised when an object fails authentication or is malformed: it was damaged or tampered with. */
export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/** Chunk ID: HMAC-SHA256 of the plaintext under the repository's ID key, hex. A plain hash would leak equality. */
export function chunkIdOf(keys: MasterKeys, data: Uint8Array): string {
  return createHmac('sha256', keys.chunkId).update(data).digest('hex');
}

function objectKey(master: Buffer, type: ObjectType, id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `backdrill/v1/object-key/${type}/${id}`, 32));
}

function associatedData(header: Buffer, type: ObjectType, id: string): Buffer {
  return Buffer.concat([header, Buffer.from(`backdrill/v1/${type}/${id}`, 'utf8')]);
}

/**
 * Compresses (when it pays: incompressible data is stored raw and flagged) and encrypts one object.
 * compressionLevel null stores raw.
 */
export function seal(
  keys: MasterKeys,
  type: ObjectType,
  id: string,
  plaintext: Uint8Array,
  compressionLevel: number | null,
): Buffer {
  let flag = FLAG_RAW;
  let body: Uint8Array = plaintext;
  let packed: Buffer | undefined;
  if (compressionLevel !== null && plaintext.byteLength > 64) {
    packed = zstdCompressSync(plaintext, {
      params: { [zc.ZSTD_c_compressionLevel]: compressionLevel },
      // One output buffer of the input's size (the output is kept only when smaller) instead of a list of 16 KiB
      // pieces to concatenate: no garbage, and the memory under `packed` is all ours to release below.
      chunkSize: largeCapacity(Math.max(plaintext.byteLength, SEAL_CHUNK_MIN)),
    });
    // Keep raw unless compression saves at least 1/64: decompressing incompressible data is pure cost.
    if (packed.byteLength < plaintext.byteLength - (plaintext.byteLength >> 6)) {
      flag = FLAG_ZSTD;
      body = packed;
    }
  }
  const header = Buffer.concat([MAGIC, Buffer.from([keys.encryption ? MODE_AES_GCM : MODE_PLAIN])]);
  const flagByte = Buffer.from([flag]);
  let sealed: Buffer;
  if (!keys.encryption) {
    const sum = createHash('sha256')
      .update(associatedData(header, type, id))
      .update(flagByte)
      .update(body)
      .digest();
    sealed = Buffer.concat([header, sum, flagByte, body]);
  } else {
    const nonce = randomBytes(NONCE_LEN);
    const cipher = createCipheriv('aes-256-gcm', objectKey(keys.encryption, type, id), nonce);
    cipher.setAAD(associatedData(header, type, id));
    const c1 = cipher.update(flagByte);
    const c2 = cipher.update(body);
    const c3 = cipher.final();
    sealed = Buffer.concat([header, nonce, c1, c2, c3, cipher.getAuthTag()]);
    release(c2);
  }
  if (packed) release(packed);
  return sealed;
}

/** Smallest zstd output buffer seal() asks for: never a slice of Node's shared Buffer pool. */
const SEAL_CHUNK_MIN = 64 * 1024;

/** Largest plaintext a non-chunk object (manifest, config, lock) may decompress to. */
export const MAX_OBJECT_SIZE = 512 * 1024 * 1024;

/**
 * Authenticates, decrypts and decompresses one object; throws EnvelopeError on any mismatch. `maxSize` bounds
 * decompression, so a crafted object (in an unencrypted repository) cannot exhaust memory.
 */
export function unseal(
  keys: MasterKeys,
  type: ObjectType,
  id: string,
  sealed: Uint8Array,
  maxSize: number = MAX_OBJECT_SIZE,
  /** The plaintext size the caller expects (a chunk's recorded size): decompression then allocates it once. */
  expectedSize?: number,
  /**
   * Memory to decompress into instead (its whole ArrayBuffer, from offset 0), so that a restore reuses the memory
   * of chunks it is done with. The result is then a view of its start, when the plaintext fits; otherwise `into`
   * is left unused and the result is memory of its own, as without it.
   */
  into?: Uint8Array,
): Buffer {
  const buf = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < HEADER_LEN || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EnvelopeError(`${type} ${id}: not a backdrill object (bad magic)`);
  }
  const mode = buf[MAGIC.length];
  const header = buf.subarray(0, HEADER_LEN);
  let inner: Buffer;
  if (mode === MODE_AES_GCM) {
    if (!keys.encryption) {
      throw new EnvelopeError(`${type} ${id}: encrypted, but the repository is opened without a key`);
    }
    if (buf.length < HEADER_LEN + NONCE_LEN + TAG_LEN + 1) throw new EnvelopeError(`${type} ${id}: truncated`);
    const nonce = buf.subarray(HEADER_LEN, HEADER_LEN + NONCE_LEN);
    const tag = buf.subarray(buf.length - TAG_LEN);
    const decipher = createDecipheriv('aes-256-gcm', objectKey(keys.encryption, type, id), nonce);
    decipher.setAAD(associatedData(header, type, id));
    decipher.setAuthTag(tag);
    try {
      inner = decipher.update(buf.subarray(HEADER_LEN + NONCE_LEN, buf.length - TAG_LEN));
      const last = decipher.final();
      if (last.length > 0) inner = Buffer.concat([inner, last]);
    } catch {
      throw new EnvelopeError(`${type} ${id}: authentication failed (damaged, truncated or tampered with)`);
    }
  } else if (mode === MODE_PLAIN) {
    if (keys.encryption) {
      // Fail closed: an encrypted repository never accepts a plaintext object in place of an encrypted one.
      throw new EnvelopeError(`${type} ${id}: stored without encryption in an encrypted repository`);
    }
    if (buf.length < HEADER_LEN + PLAIN_SUM_LEN + 1) throw new EnvelopeError(`${type} ${id}: truncated`);
    const sum = buf.subarray(HEADER_LEN, HEADER_LEN + PLAIN_SUM_LEN);
    inner = buf.subarray(HEADER_LEN + PLAIN_SUM_LEN);
    const want = createHash('sha256')
      .update(associatedData(header, type, id))
      .update(inner)
      .digest();
    if (!want.equals(sum)) throw new EnvelopeError(`${type} ${id}: checksum mismatch (damaged or truncated)`);
  } else {
    throw new EnvelopeError(`${type} ${id}: unknown envelope mode ${mode}`);
  }
  const flag = inner[0];
  const body = inner.subarray(1);
  if (flag === FLAG_RAW) return body;
  if (flag === FLAG_ZSTD) {
    try {
      if (into) {
        const n = decompressInto(body, into.subarray(0, Math.min(into.byteLength, maxSize)));
        if (n !== undefined) {
          const out = Buffer.from(into.buffer, into.byteOffset, n);
          markExclusive(out);
          return out;
        }
      }
      // Without a size, zlib collects 16 KiB pieces and concatenates them: garbage that fragments the worker's
      // malloc arena, which then holds tens of MiB for the rest of a restore.
      const sized = expectedSize !== undefined && expectedSize >= 64 && expectedSize <= maxSize;
      const out = zstdDecompressSync(body, {
        maxOutputLength: Math.max(1, maxSize),
        ...(sized ? { chunkSize: largeCapacity(expectedSize) } : {}),
      });
      // One piece (the sized case): the start of an output buffer nothing else uses.
      if (sized && out.byteLength === expectedSize) markExclusive(out);
      return out;
    } catch (err) {
      throw new EnvelopeError(`${type} ${id}: cannot decompress: ${(err as Error).message}`);
    } finally {
      // The decrypted copy is ours and done with; a plain object's `inner` is the caller's buffer.
      if (mode === MODE_AES_GCM) release(inner);
    }
  }
  throw new EnvelopeError(`${type} ${id}: unknown compression flag ${flag}`);
}

/**
 * The decompressor of decompressInto, one per thread, made on first use; null where it cannot be had. Node's zstd
 * functions only decompress into memory they allocate themselves, fresh memory the kernel zeroes as it is first
 * touched: in a restore of the PostgreSQL bench's 744 MiB dump that was 0.3-0.45 CPU-s of the workers' time (perf:
 * their clear_page from 0.89% of the machine's samples to 0.13% with this). A zlib stream's handle
 * (`_handle`, which every zlib stream has had since Node 0.x) decompresses into any memory with writeSync, which is
 * what Node's own zstdDecompressSync calls; its result is in `_writeState` (output and input bytes left). This is
 * not documented API: decompressInto checks its shape, and unseal decompresses the documented way without it.
 */
let inPlace: InPlaceDecompressor | null | undefined;

interface ZstdHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  /** Ends the frame: the next writeSync starts a new one (the stream's reset(), documented for deflate only). */
  reset(): void;
  /** Called, during writeSync, when the data is not valid zstd. */
  onerror: (message: string) => void;
}

interface InPlaceDecompressor {
  stream: ReturnType<typeof createZstdDecompress>;
  handle: ZstdHandle;
  /** [output bytes left, input bytes left] after writeSync. */
  state: Uint32Array;
  failure: string | undefined;
}

function inPlaceDecompressor(): InPlaceDecompressor | null {
  if (inPlace !== undefined) return inPlace;
  // The smallest output buffer zlib allows: the stream's own output buffer is never used.
  const stream = createZstdDecompress({ chunkSize: 64 });
  const internals = stream as unknown as { _handle?: Partial<ZstdHandle>; _writeState?: unknown };
  const handle = internals._handle;
  const state = internals._writeState;
  if (
    typeof handle?.writeSync !== 'function' ||
    typeof handle.reset !== 'function' ||
    !(state instanceof Uint32Array) ||
    state.length !== 2
  ) {
    stream.close();
    inPlace = null;
    return null;
  }
  const d: InPlaceDecompressor = { stream, handle: handle as ZstdHandle, state, failure: undefined };
  d.handle.onerror = (message: string) => {
    d.failure = message;
  };
  inPlace = d;
  return d;
}

/** A few bytes to learn whether a frame that filled its output exactly has more. */
const PROBE = Buffer.alloc(64);

/**
 * Decompresses the zstd frame `body` into `into`; returns the plaintext's length, or undefined when it does not
 * fit (or this Node offers no way to do it): the caller then decompresses the documented way. Throws, as
 * zstdDecompressSync does, when `body` is not valid zstd.
 */
function decompressInto(body: Uint8Array, into: Uint8Array): number | undefined {
  const d = inPlaceDecompressor();
  if (!d) return undefined;
  let ok = false;
  try {
    d.handle.writeSync(zc.ZSTD_e_end, body, 0, body.byteLength, into, 0, into.byteLength);
    if (d.failure !== undefined) throw new Error(d.failure);
    const outLeft = d.state[0]!;
    if (outLeft === 0) {
      // Full: the frame may have ended right there, or have more (then the caller decompresses it all again).
      const inLeft = d.state[1]!;
      d.handle.writeSync(zc.ZSTD_e_end, body, body.byteLength - inLeft, inLeft, PROBE, 0, PROBE.length);
      if (d.failure !== undefined) throw new Error(d.failure);
      if (d.state[0] !== PROBE.length) {
        ok = true;
        return undefined;
      }
    }
    ok = true;
    return into.byteLength - outLeft;
  } finally {
    // After an error the handle is done for: the next call makes a new one.
    if (ok) d.handle.reset();
    else {
      inPlace = undefined;
      d.stream.close();
    }
  }
}

/** Whether a sealed object says it is encrypted (read from its header; used to open a repository). */
export function envelopeIsEncrypted(sealed: Uint8Array): boolean | undefined {
  if (sealed.byteLength < HEADER_LEN || !Buffer.from(sealed.subarray(0, MAGIC.length)).equals(MAGIC)) return undefined;
  return sealed[MAGIC.length] === MODE_AES_GCM;
}
