import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);

// src/pipeline/buffers.ts
var HUGE_PAGE = 2 * 1024 * 1024;
var MAPPED_FROM = 1024 * 1024;
var exclusive = /* @__PURE__ */ new WeakSet();
function markExclusive(b) {
  const ab = b.buffer;
  if (b.byteOffset === 0 && ab instanceof ArrayBuffer && ab.byteLength >= MAPPED_FROM) exclusive.add(ab);
}
function ownsBuffer(b) {
  const ab = b.buffer;
  return b.byteOffset === 0 && ab instanceof ArrayBuffer && (b.byteLength === ab.byteLength || exclusive.has(ab));
}
function largeCapacity(n) {
  if (n < MAPPED_FROM) return n;
  return Math.ceil((n + 4096) / HUGE_PAGE) * HUGE_PAGE - 4096;
}
function largeBuffer(n) {
  const b = Buffer.allocUnsafeSlow(largeCapacity(n)).subarray(0, n);
  markExclusive(b);
  return b;
}
function release(b) {
  const ab = b.buffer;
  if (!(ab instanceof ArrayBuffer) || ab.detached) return;
  if (ab.byteLength <= Buffer.poolSize && !ownsBuffer(b)) return;
  ab.transfer(0);
}
var spare = [];
var SPARE_MAX = 8;
function chunkBuffer(n) {
  let best = -1;
  for (let i = 0; i < spare.length; i++) {
    const size = spare[i].byteLength;
    if (size >= n && (best < 0 || size < spare[best].byteLength)) best = i;
  }
  if (best < 0) return largeBuffer(n);
  const ab = spare.splice(best, 1)[0];
  const b = Buffer.from(ab, 0, n);
  exclusive.add(ab);
  return b;
}
function recycle(b, keepBelow = SPARE_MAX) {
  const ab = b.buffer;
  if (!ownsBuffer(b) || ab.byteLength < MAPPED_FROM || spare.length >= keepBelow) {
    release(b);
    return;
  }
  spare.push(ab.transfer());
  if (spare.length > SPARE_MAX) {
    spare.sort((x, y) => x.byteLength - y.byteLength);
    spare.shift().transfer(0);
  }
}
function releaseOwned(b) {
  if (ownsBuffer(b)) release(b);
}

export {
  MAPPED_FROM,
  markExclusive,
  ownsBuffer,
  largeCapacity,
  release,
  chunkBuffer,
  recycle,
  releaseOwned
};
