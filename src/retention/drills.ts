// The retention side of drill records: reading drills/<id> so `forget` keeps the newest snapshots that a passed
// drill restored. restore-drill writes the records (writeDrillRecord is the one way to write them).
import { randomBytes } from 'node:crypto';
import { BackdrillError } from '../errors.ts';
import { DrillRecord, drillLayout, HEX64 } from '../repo/format.ts';
import { mapLimit, type Repository } from '../repo/repository.ts';
import { isStorageError, listAll } from '../storage/backend.ts';

/** What the plan needs of a passed drill. */
export interface DrillPass {
  id: string;
  time: string;
  snapshots: string[];
}

export interface DrillRecords {
  records: Array<DrillRecord & { id: string }>;
  damaged: Array<{ key: string; message: string }>;
}

export async function readDrillRecords(repo: Repository): Promise<DrillRecords> {
  const objects = await listAll(repo.backend, drillLayout.prefix);
  const records: DrillRecords['records'] = [];
  const damaged: DrillRecords['damaged'] = [];
  await mapLimit(objects, 8, async (o) => {
    const id = o.key.slice(drillLayout.prefix.length);
    if (!HEX64.test(id)) {
      damaged.push({ key: o.key, message: 'not a drill record ID' });
      return;
    }
    try {
      records.push({ id, ...(await repo.getJson('drill', id, o.key, DrillRecord)) });
    } catch (err) {
      if (isStorageError(err, 'not-found')) return; // deleted while we listed
      if (!(err instanceof BackdrillError)) throw err;
      damaged.push({ key: o.key, message: err.message });
    }
  });
  records.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  return { records, damaged };
}

export function passedDrills(records: DrillRecords['records']): DrillPass[] {
  return records.filter((r) => r.result === 'passed').map((r) => ({ id: r.id, time: r.time, snapshots: r.snapshots }));
}

/** Stores a drill record (create-only). For restore-drill, and for tests until it lands. */
export async function writeDrillRecord(repo: Repository, record: DrillRecord): Promise<string> {
  const parsed = DrillRecord.parse(record);
  const id = randomBytes(32).toString('hex');
  await repo.putJson('drill', id, drillLayout.record(id), parsed, true);
  return id;
}
