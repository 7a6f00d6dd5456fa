// Restoring a custom-format archive while it is still coming out of the repository. pg_restore needs a seekable
// file, so the archive is written to a local one; instead of waiting for all of it, backdrill follows the archive
// as it writes it (archive.ts) and starts pg_restore on each part as soon as that part is on disk:
//
//   1. pre-data (tables, types, functions) once the TOC is written;
//   2. the rows of each table once its data block is written: the block's offset is patched into the TOC entry
//      (a dump piped out of pg_dump has none), and `pg_restore --data-only -L <those entries>` seeks straight to
//      it, up to `jobs` at a time, so the big tables load while the rest of the archive is still being read;
//   3. the rest of the data section (sequence values, large objects) once the archive is complete;
//   4. post-data (indexes, constraints, triggers, materialized view refreshes) with pg_restore -j.
//
// Together the four steps restore exactly what one `pg_restore -j` run would: every TOC entry belongs to one of
// them, by the section pg_restore itself would give it.
import { type ChildProcess, spawn } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ArchiveHeader, CustomArchivePrinter, type TocEntry } from './archive.ts';

const SECTION_NONE = 1;
const SECTION_PRE_DATA = 2;
const SECTION_DATA = 3;
const K_OFFSET_POS_SET = 2;

export interface OverlappedRestore {
  /** The archive's bytes, in order. */
  source: AsyncIterable<Uint8Array>;
  /** Where to write the archive (its directory holds the -L list files too). */
  file: string;
  pgRestore: string;
  env: NodeJS.ProcessEnv;
  database: string;
  jobs: number;
  /** Runs once the TOC is known, before anything is restored (TimescaleDB's pre-restore hook). */
  beforeRestore?(header: ArchiveHeader): Promise<void>;
}

export interface PgRestoreRun {
  what: string;
  code: number;
  stderr: string;
}

/** Whether the archive installs TimescaleDB (whose pre/post-restore hooks must wrap the restore). */
export function hasTimescale(header: ArchiveHeader): boolean {
  return header.toc.some((e) => e.desc === 'EXTENSION' && e.tag === 'timescaledb');
}

/** Runs pg_restore to its end; never rejects (a failure to start is exit code 127). `onSpawn` sees the child. */
export function runPgRestore(
  bin: string,
  what: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onSpawn?: (proc: ChildProcess) => void,
): Promise<PgRestoreRun> {
  const proc = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  onSpawn?.(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => {
    proc.once('error', (err) => resolve({ what, code: 127, stderr: `${stderr}${err.message}\n` }));
    proc.once('close', (code) => resolve({ what, code: code ?? 1, stderr }));
  });
}

/** The section pg_restore gives each entry: its own, or for entries without one, that of the entry before. */
function effectiveSections(toc: TocEntry[]): Map<TocEntry, number> {
  const out = new Map<TocEntry, number>();
  let current = SECTION_PRE_DATA;
  for (const e of toc) {
    if (e.section !== SECTION_NONE) current = e.section;
    out.set(e, current);
  }
  return out;
}

/** Restores the archive as it is written; resolves with every pg_restore run (the caller reads their errors). */
export async function overlappedRestore(o: OverlappedRestore): Promise<PgRestoreRun[]> {
  const runs: PgRestoreRun[] = [];
  const children = new Set<ChildProcess>();
  const active = new Set<Promise<void>>();
  let lists = 0;

  const pgRestore = async (what: string, args: string[]): Promise<void> => {
    let child: ChildProcess | undefined;
    const run = await runPgRestore(o.pgRestore, what, [...args, '--dbname', o.database, o.file], o.env, (proc) => {
      child = proc;
      children.add(proc);
    });
    if (child) children.delete(child);
    runs.push(run);
  };
  const listFile = async (entries: TocEntry[]): Promise<string> => {
    const path = join(dirname(o.file), `list-${lists++}.txt`);
    await writeFile(path, entries.map((e) => `${e.dumpId};\n`).join(''));
    return path;
  };
  const track = (p: Promise<void>) => {
    active.add(p);
    p.finally(() => active.delete(p));
  };

  // Loading table rows: blocks on disk wait in `ready`; each free job slot takes its share of the waiting bytes.
  const ready: Array<{ entry: TocEntry; bytes: number }> = [];
  const loaded = new Set<TocEntry>();
  let loading = 0;
  let preData: Promise<void> | undefined;
  let preDataDone = false;
  const pump = () => {
    while (preDataDone && loading < o.jobs && ready.length > 0) {
      const share = ready.reduce((n, r) => n + r.bytes, 0) / (o.jobs - loading);
      let taken = 0;
      let bytes = 0;
      while (taken < ready.length && (taken === 0 || bytes + ready[taken]!.bytes <= share))
        bytes += ready[taken++]!.bytes;
      const batch = ready.splice(0, taken).map((r) => r.entry);
      for (const e of batch) loaded.add(e);
      loading++;
      track(
        listFile(batch)
          .then((list) => pgRestore(`data of ${batch.map((e) => e.tag).join(', ')}`, ['--data-only', '-L', list]))
          .finally(() => {
            loading--;
            pump();
          }),
      );
    }
  };

  const fh = await open(o.file, 'w');
  let header: ArchiveHeader | undefined;
  const events: Array<() => Promise<void>> = [];
  const printer = new CustomArchivePrinter(() => false, {
    head: (h) => {
      events.push(async () => {
        header = h;
        await o.beforeRestore?.(h);
        preData = pgRestore('pre-data', ['--section=pre-data']).then(() => {
          preDataDone = true;
          pump();
        });
        track(preData);
      });
    },
    block: (entry, start, end) => {
      events.push(async () => {
        if (entry.offsetPos === undefined || !header) return;
        // Tell pg_restore where the block is: K_OFFSET_POS_SET, then the offset, little-endian.
        const field = Buffer.alloc(1 + header.offSize);
        field[0] = K_OFFSET_POS_SET;
        for (let i = 0, v = start; i < header.offSize; i++, v = Math.floor(v / 256)) field[1 + i] = v % 256;
        await fh.write(field, 0, field.length, entry.offsetPos);
        if (entry.desc === 'TABLE DATA') {
          ready.push({ entry, bytes: end - start });
          pump();
        }
      });
    },
  });
  try {
    try {
      for await (const chunk of o.source) {
        // Parse first (events wait), write, then act on what is now on disk.
        printer.push(chunk);
        let done = 0;
        while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done)).bytesWritten;
        for (const ev of events.splice(0)) await ev();
      }
      printer.end();
      for (const ev of events.splice(0)) await ev();
    } finally {
      await fh.close();
    }
    while (active.size > 0) await Promise.race(active);
    // The rest of the data section, then post-data, as one pg_restore -j would order them.
    const sections = effectiveSections(header!.toc);
    const rest = header!.toc.filter((e) => sections.get(e) === SECTION_DATA && !loaded.has(e));
    if (rest.length > 0) await pgRestore('data (other)', ['-L', await listFile(rest)]);
    await pgRestore('post-data', ['-j', String(o.jobs), '--section=post-data']);
    return runs;
  } catch (err) {
    for (const c of children) c.kill('SIGTERM');
    await Promise.allSettled([...active]);
    throw err;
  }
}
