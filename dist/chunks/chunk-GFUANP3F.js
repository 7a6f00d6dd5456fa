import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  DrillRecord,
  HEX64,
  drillLayout,
  isStorageError,
  listAll,
  mapLimit
} from "./chunk-QIT5Z5FJ.js";
import {
  BackdrillError
} from "./chunk-KTEVNYR4.js";

// src/retention/drills.ts
import { randomBytes } from "node:crypto";
async function readDrillRecords(repo) {
  const objects = await listAll(repo.backend, drillLayout.prefix);
  const records = [];
  const damaged = [];
  await mapLimit(objects, 8, async (o) => {
    const id = o.key.slice(drillLayout.prefix.length);
    if (!HEX64.test(id)) {
      damaged.push({ key: o.key, message: "not a drill record ID" });
      return;
    }
    try {
      records.push({ id, ...await repo.getJson("drill", id, o.key, DrillRecord) });
    } catch (err) {
      if (isStorageError(err, "not-found")) return;
      if (!(err instanceof BackdrillError)) throw err;
      damaged.push({ key: o.key, message: err.message });
    }
  });
  records.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  return { records, damaged };
}
function passedDrills(records) {
  return records.filter((r) => r.result === "passed").map((r) => ({ id: r.id, time: r.time, snapshots: r.snapshots }));
}
async function writeDrillRecord(repo, record) {
  const parsed = DrillRecord.parse(record);
  const id = randomBytes(32).toString("hex");
  await repo.putJson("drill", id, drillLayout.record(id), parsed, true);
  return id;
}

export {
  readDrillRecords,
  passedDrills,
  writeDrillRecord
};
