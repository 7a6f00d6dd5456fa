// The envelope every stored object travels in: optional zstd compression, then AES-256-GCM under a key derived
// per object, with the object's type and ID bound in as associated data (see docs/repository-format.md).
// This module only uses node builtins and erasable TypeScript: worker threads load it directly.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { constants as zc, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
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

/** Whether a sealed object says it is encrypted (read from its header; used to open a repository). */
export function envelopeIsEncrypted(sealed: Uint8Array): boolean | undefined {
  if (sealed.byteLength < HEADER_LEN || !Buffer.from(sealed.subarray(0, MAGIC.length)).equals(MAGIC)) return undefined;
  return sealed[MAGIC.length] === MODE_AES_GCM;
}
