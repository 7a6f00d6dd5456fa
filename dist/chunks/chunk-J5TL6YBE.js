import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  layout,
  listAll,
  mapLimit,
  parseKeyFile
} from "./chunk-QIT5Z5FJ.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/repo/verify.ts
function parseSubset(text) {
  const slice = /^(\d+)\/(\d+)$/.exec(text);
  if (slice) {
    const n = Number(slice[1]);
    const of = Number(slice[2]);
    if (of >= 1 && n >= 1 && n <= of) return { kind: "slice", n, of };
  }
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent > 0 && percent <= 100) return { kind: "percent", percent };
  }
  throw new BackdrillError("usage", `--read-data-subset ${JSON.stringify(text)} is not a subset`, {
    hint: "use n/t (e.g. 1/7 reads the first of seven slices, so a daily run covers everything in a week) or N% (a random sample)"
  });
}
function inSubset(id, subset) {
  if (subset.kind === "all") return true;
  if (subset.kind === "slice") return Number.parseInt(id.slice(0, 8), 16) % subset.of === subset.n - 1;
  return Math.random() * 100 < subset.percent;
}
async function verifyRepository(repo, options = {}) {
  const errors = [];
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
          message: `artifact ${a.name}: chunks add up to ${sum} bytes, the manifest says ${a.size}`
        });
      }
    }
  }
  const referenced = /* @__PURE__ */ new Map();
  for (const s of snapshots) {
    for (const a of s.artifacts) {
      for (const [id, , stored] of a.chunks) {
        let r = referenced.get(id);
        if (!r) {
          r = { stored, snapshots: /* @__PURE__ */ new Set() };
          referenced.set(id, r);
        }
        r.snapshots.add(s.id);
      }
    }
  }
  const index = await repo.chunkIndex();
  const broken = /* @__PURE__ */ new Set();
  for (const [id, r] of referenced) {
    const have = index.get(id);
    if (have === void 0) {
      errors.push({ object: layout.chunk(id), snapshots: [...r.snapshots], message: "chunk is missing" });
      broken.add(id);
    } else if (have !== r.stored) {
      broken.add(id);
      errors.push({
        object: layout.chunk(id),
        snapshots: [...r.snapshots],
        message: `chunk has ${have} bytes, expected ${r.stored}`
      });
    }
  }
  let unreferenced = 0;
  for (const id of index.keys()) if (!referenced.has(id)) unreferenced++;
  let chunksRead = 0;
  let bytesRead = 0;
  if (options.readData) {
    const subset = options.subset ?? { kind: "all" };
    const toRead = [...referenced.entries()].filter(([id]) => !broken.has(id) && inSubset(id, subset));
    const plainSize = /* @__PURE__ */ new Map();
    for (const s of snapshots) for (const a of s.artifacts) for (const [id, size] of a.chunks) plainSize.set(id, size);
    await mapLimit(toRead, Math.max(2, repo.pipeline().size * 2), async ([id, r]) => {
      try {
        const data = await repo.readChunk([id, plainSize.get(id), r.stored]);
        bytesRead += r.stored;
        void data;
      } catch (err) {
        if (!(err instanceof BackdrillError)) throw err;
        errors.push({
          object: layout.chunk(id),
          snapshots: [...r.snapshots],
          message: err.message.replace(/^data\/\S+: /, "")
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
    errors
  };
}

export {
  parseSubset,
  verifyRepository
};
