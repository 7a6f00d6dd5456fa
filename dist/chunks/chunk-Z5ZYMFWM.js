import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  MAPPED_FROM,
  chunkBuffer,
  largeCapacity,
  markExclusive,
  ownsBuffer,
  recycle,
  release,
  releaseOwned
} from "./chunk-VBP2FRQE.js";

// src/pipeline/pool.ts
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// src/pipeline/envelope.ts
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { createZstdDecompress, constants as zc, zstdCompressSync, zstdDecompressSync } from "node:zlib";
var MAGIC = Buffer.from("BDR1", "latin1");
var MODE_PLAIN = 0;
var MODE_AES_GCM = 1;
var FLAG_RAW = 0;
var FLAG_ZSTD = 1;
var HEADER_LEN = MAGIC.length + 1;
var NONCE_LEN = 12;
var TAG_LEN = 16;
var PLAIN_SUM_LEN = 32;
function minSealedSize(encrypted) {
  return HEADER_LEN + (encrypted ? NONCE_LEN + TAG_LEN : PLAIN_SUM_LEN) + 1;
}
var EnvelopeError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "EnvelopeError";
  }
};
function chunkIdOf(keys, data) {
  return createHmac("sha256", keys.chunkId).update(data).digest("hex");
}
function objectKey(master, type, id) {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `backdrill/v1/object-key/${type}/${id}`, 32));
}
function associatedData(header, type, id) {
  return Buffer.concat([header, Buffer.from(`backdrill/v1/${type}/${id}`, "utf8")]);
}
function seal(keys, type, id, plaintext, compressionLevel) {
  let flag = FLAG_RAW;
  let body = plaintext;
  let packed;
  if (compressionLevel !== null && plaintext.byteLength > 64) {
    packed = zstdCompressSync(plaintext, {
      params: { [zc.ZSTD_c_compressionLevel]: compressionLevel },
      // One output buffer of the input's size (the output is kept only when smaller) instead of a list of 16 KiB
      // pieces to concatenate: no garbage, and the memory under `packed` is all ours to release below.
      chunkSize: largeCapacity(Math.max(plaintext.byteLength, SEAL_CHUNK_MIN))
    });
    if (packed.byteLength < plaintext.byteLength - (plaintext.byteLength >> 6)) {
      flag = FLAG_ZSTD;
      body = packed;
    }
  }
  const header = Buffer.concat([MAGIC, Buffer.from([keys.encryption ? MODE_AES_GCM : MODE_PLAIN])]);
  const flagByte = Buffer.from([flag]);
  let sealed;
  if (!keys.encryption) {
    const sum = createHash("sha256").update(associatedData(header, type, id)).update(flagByte).update(body).digest();
    sealed = Buffer.concat([header, sum, flagByte, body]);
  } else {
    const nonce = randomBytes(NONCE_LEN);
    const cipher = createCipheriv("aes-256-gcm", objectKey(keys.encryption, type, id), nonce);
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
var SEAL_CHUNK_MIN = 64 * 1024;
var MAX_OBJECT_SIZE = 512 * 1024 * 1024;
function unseal(keys, type, id, sealed, maxSize = MAX_OBJECT_SIZE, expectedSize, into) {
  const buf = Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (buf.length < HEADER_LEN || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EnvelopeError(`${type} ${id}: not a backdrill object (bad magic)`);
  }
  const mode = buf[MAGIC.length];
  const header = buf.subarray(0, HEADER_LEN);
  let inner;
  if (mode === MODE_AES_GCM) {
    if (!keys.encryption) {
      throw new EnvelopeError(`${type} ${id}: encrypted, but the repository is opened without a key`);
    }
    if (buf.length < HEADER_LEN + NONCE_LEN + TAG_LEN + 1) throw new EnvelopeError(`${type} ${id}: truncated`);
    const nonce = buf.subarray(HEADER_LEN, HEADER_LEN + NONCE_LEN);
    const tag = buf.subarray(buf.length - TAG_LEN);
    const decipher = createDecipheriv("aes-256-gcm", objectKey(keys.encryption, type, id), nonce);
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
      throw new EnvelopeError(`${type} ${id}: stored without encryption in an encrypted repository`);
    }
    if (buf.length < HEADER_LEN + PLAIN_SUM_LEN + 1) throw new EnvelopeError(`${type} ${id}: truncated`);
    const sum = buf.subarray(HEADER_LEN, HEADER_LEN + PLAIN_SUM_LEN);
    inner = buf.subarray(HEADER_LEN + PLAIN_SUM_LEN);
    const want = createHash("sha256").update(associatedData(header, type, id)).update(inner).digest();
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
        if (n !== void 0) {
          const out2 = Buffer.from(into.buffer, into.byteOffset, n);
          markExclusive(out2);
          return out2;
        }
      }
      const sized = expectedSize !== void 0 && expectedSize >= 64 && expectedSize <= maxSize;
      const out = zstdDecompressSync(body, {
        maxOutputLength: Math.max(1, maxSize),
        ...sized ? { chunkSize: largeCapacity(expectedSize) } : {}
      });
      if (sized && out.byteLength === expectedSize) markExclusive(out);
      return out;
    } catch (err) {
      throw new EnvelopeError(`${type} ${id}: cannot decompress: ${err.message}`);
    } finally {
      if (mode === MODE_AES_GCM) release(inner);
    }
  }
  throw new EnvelopeError(`${type} ${id}: unknown compression flag ${flag}`);
}
var inPlace;
function inPlaceDecompressor() {
  if (inPlace !== void 0) return inPlace;
  const stream = createZstdDecompress({ chunkSize: 64 });
  const internals = stream;
  const handle = internals._handle;
  const state = internals._writeState;
  if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array) || state.length !== 2) {
    stream.close();
    inPlace = null;
    return null;
  }
  const d = { stream, handle, state, failure: void 0 };
  d.handle.onerror = (message) => {
    d.failure = message;
  };
  inPlace = d;
  return d;
}
var PROBE = Buffer.alloc(64);
function decompressInto(body, into) {
  const d = inPlaceDecompressor();
  if (!d) return void 0;
  let ok = false;
  try {
    d.handle.writeSync(zc.ZSTD_e_end, body, 0, body.byteLength, into, 0, into.byteLength);
    if (d.failure !== void 0) throw new Error(d.failure);
    const outLeft = d.state[0];
    if (outLeft === 0) {
      const inLeft = d.state[1];
      d.handle.writeSync(zc.ZSTD_e_end, body, body.byteLength - inLeft, inLeft, PROBE, 0, PROBE.length);
      if (d.failure !== void 0) throw new Error(d.failure);
      if (d.state[0] !== PROBE.length) {
        ok = true;
        return void 0;
      }
    }
    ok = true;
    return into.byteLength - outLeft;
  } finally {
    if (ok) d.handle.reset();
    else {
      inPlace = void 0;
      d.stream.close();
    }
  }
}
function envelopeIsEncrypted(sealed) {
  if (sealed.byteLength < HEADER_LEN || !Buffer.from(sealed.subarray(0, MAGIC.length)).equals(MAGIC)) return void 0;
  return sealed[MAGIC.length] === MODE_AES_GCM;
}

// src/pipeline/pool.ts
var ROLE = "backdrill-pipeline";
function transferList(b) {
  return ownsBuffer(b) ? [b.buffer] : [];
}
function serve() {
  let keys;
  const port = parentPort;
  port.on("message", (msg) => {
    if ("keys" in msg) {
      keys = {
        encryption: msg.keys.encryption ? Buffer.from(msg.keys.encryption) : null,
        chunkId: Buffer.from(msg.keys.chunkId)
      };
      return;
    }
    const { seq, task } = msg;
    try {
      if (!keys) throw new Error("pipeline worker: a task came before the keys");
      const out = task.op === "seal" ? seal(keys, task.type, task.id, task.data, task.level) : unsealChecked(keys, task);
      const spent = task.op === "seal" ? task.recycle ? task.data : void 0 : task.into?.byteLength ? task.into : void 0;
      if (spent && out.buffer !== spent.buffer) {
        const reply2 = { seq, ok: true, data: out, spent };
        port.postMessage(reply2, [...transferList(out), spent.buffer]);
        if (spent !== task.data) release(task.data);
        return;
      }
      const reply = { seq, ok: true, data: out };
      port.postMessage(reply, transferList(out));
    } catch (err) {
      const reply = {
        seq,
        ok: false,
        message: err.message,
        envelope: err instanceof EnvelopeError
      };
      port.postMessage(reply);
    }
    release(task.data);
    if (task.op === "unseal" && task.into && task.into.byteLength > 0) releaseOwned(task.into);
  });
}
function unsealChecked(keys, task) {
  const out = unseal(keys, task.type, task.id, task.data, task.maxSize, task.expectedSize, task.into);
  if (task.checkId && chunkIdOf(keys, out) !== task.id) throw new EnvelopeError("content does not match its ID");
  return out;
}
if (!isMainThread && workerData?.role === ROLE) serve();
var PipelinePool = class {
  slots = [];
  pending = /* @__PURE__ */ new Map();
  seq = 0;
  closed = false;
  keyed = false;
  /**
   * Starts the workers. Each loads its code (about 0.1 s on a 2-core runner) until setKeys gives it the keys: a
   * repository opening its key file (scrypt, about 0.1 s too) can start them first.
   */
  constructor(size = defaultPoolSize()) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerUrl(), { workerData: { role: ROLE } });
      worker.unref();
      const slot = { worker, inFlight: 0 };
      worker.on("message", (reply) => {
        slot.inFlight--;
        if (slot.inFlight === 0) worker.unref();
        const p = this.pending.get(reply.seq);
        if (!p) return;
        this.pending.delete(reply.seq);
        if (reply.ok && reply.spent) {
          markExclusive(reply.spent);
          recycle(reply.spent);
        }
        if (reply.ok) {
          const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
          markExclusive(data);
          p.resolve(data);
        } else p.reject(reply.envelope ? new EnvelopeError(reply.message) : new Error(reply.message));
      });
      worker.on("error", (err) => this.failAll(err));
      worker.on("exit", (code) => {
        if (!this.closed) this.failAll(new Error(`pipeline worker exited unexpectedly (code ${code})`));
      });
      this.slots.push(slot);
    }
  }
  /** Gives the workers the keys they seal and unseal with; once, before any task. */
  setKeys(keys) {
    if (this.keyed) throw new Error("pipeline pool: the keys were given already");
    const wire = { encryption: keys.encryption, chunkId: keys.chunkId };
    for (const s of this.slots) s.worker.postMessage({ keys: wire });
    this.keyed = true;
    return this;
  }
  failAll(err) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
  submit(task) {
    if (this.closed) return Promise.reject(new Error("pipeline pool is closed"));
    if (!this.keyed) return Promise.reject(new Error("pipeline pool: no keys yet"));
    let slot = this.slots[0];
    for (const s of this.slots) if (s.inFlight < slot.inFlight) slot = s;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      if (slot.inFlight === 0) slot.worker.ref();
      slot.inFlight++;
      const transfer = transferList(task.data);
      if (task.op === "unseal" && task.into) transfer.push(task.into.buffer);
      slot.worker.postMessage({ seq, task }, transfer);
    });
  }
  /**
   * Compresses and encrypts. `data` is transferred when it owns its memory: do not use it afterwards. Its memory then
   * comes back, once sealed, for chunkBuffer to reuse (buffers.ts recycle).
   */
  seal(type, id, data, level) {
    return this.submit({ op: "seal", type, id, data, level, recycle: ownsBuffer(data) });
  }
  /**
   * Authenticates, decrypts and decompresses; rejects with EnvelopeError when the object is damaged. With an
   * expected size of 1 MiB and more the plaintext lands in chunk memory given back for reuse (buffers.ts recycle):
   * a consumer done with it can recycle it in turn.
   */
  unseal(type, id, data, maxSize, expectedSize) {
    return this.submitUnseal(type, id, data, maxSize, expectedSize, false);
  }
  /**
   * unseal() of a chunk that also proves its plaintext is the one its ID names (HMAC), or rejects with
   * EnvelopeError.
   */
  unsealChunk(id, data, maxSize, expectedSize) {
    return this.submitUnseal("chunk", id, data, maxSize, expectedSize, true);
  }
  submitUnseal(type, id, data, maxSize, expectedSize, checkId) {
    const into = expectedSize !== void 0 && expectedSize >= MAPPED_FROM ? chunkBuffer(expectedSize) : void 0;
    return this.submit({
      op: "unseal",
      type,
      id,
      data,
      maxSize,
      ...expectedSize !== void 0 ? { expectedSize } : {},
      ...into ? { into: Buffer.from(into.buffer, 0, into.buffer.byteLength) } : {},
      ...checkId ? { checkId } : {}
    });
  }
  get size() {
    return this.slots.length;
  }
  async close() {
    this.closed = true;
    this.failAll(new Error("pipeline pool closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
};
function workerUrl() {
  const self = new URL(import.meta.url);
  if (self.pathname.endsWith(".ts")) return self;
  for (const rel of ["./pipeline-worker.js", "../pipeline-worker.js"]) {
    const candidate = new URL(rel, self);
    if (existsSync(candidate)) return candidate;
  }
  return self;
}
function defaultPoolSize() {
  const env = Number(process.env.BACKDRILL_WORKERS);
  if (Number.isInteger(env) && env > 0) return env;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export {
  minSealedSize,
  EnvelopeError,
  chunkIdOf,
  seal,
  unseal,
  envelopeIsEncrypted,
  PipelinePool
};
