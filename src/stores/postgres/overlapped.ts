// Restoring a custom-format archive while it is still coming out of the repository. The archive is written to a
// local file, and backdrill follows it as it writes it (archive.ts), starting pg_restore on each part as soon as
// that part can be read:
//
//   1. pre-data (tables, types, functions) once the TOC is written;
//   2. the rows of each table as soon as its data block STARTS: `pg_restore --data-only -L <entry>` reads the
//      archive from its stdin, which gets the header and TOC as pg_dump wrote them and then the table's block,
//      read from the local file as it is written. A piped dump has no data offsets in its TOC, and from a pipe
//      pg_restore reads block after block until it meets the one it wants (pg_backup_custom.c _PrintTocData), so
//      it takes the rows as they come. While the archive is still arriving, `jobs` - 1 tables load at a time (at
//      least one: reading the archive is a job of its own), then `jobs`; the others wait for a slot and are fed
//      from the file then, largest first (small ones several to a pg_restore);
//   3. the rest of the data section (sequence values, large objects) once the archive is complete: each block's
//      offset is patched into the file's TOC as the block ends, so this pg_restore seeks straight to them;
//   4. post-data (indexes, constraints, triggers, materialized view refreshes) with pg_restore -j.
//
// Together the four steps restore exactly what one `pg_restore -j` run would: every TOC entry belongs to one of
// them, by the section pg_restore itself would give it.
import { type ChildProcess, spawn } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { type ArchiveHeader, CustomArchivePrinter, type TocEntry } from './archive.ts';

const SECTION_NONE = 1;
const SECTION_PRE_DATA = 2;
const SECTION_DATA = 3;
const K_OFFSET_POS_SET = 2;
/** Bytes a table's feed reads from the file and hands to its pg_restore at a time (feeding 800 MiB this way
 * costs node about 0.35 CPU-s in 1 MiB steps, 0.5 in 256 KiB ones, 1.1 in 64 KiB ones). */
const FEED_BYTES = 1 << 20;

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
  /** Each table's data size by dump ID, when the backup recorded them: the largest then loads first. */
  dataBytes?: ReadonlyMap<number, number> | undefined;
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

export interface PgRestoreHooks {
  /** Sees the child as soon as it is spawned. */
  onSpawn?(proc: ChildProcess): void;
  /** Writes the archive to pg_restore's stdin (which is closed when it resolves). Without it stdin is empty. */
  feed?(stdin: Writable): Promise<void>;
}

/** Runs pg_restore to its end; never rejects (a failure to start is exit code 127). */
export function runPgRestore(
  bin: string,
  what: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  hooks: PgRestoreHooks = {},
): Promise<PgRestoreRun> {
  const proc = spawn(bin, args, { env, stdio: [hooks.feed ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  hooks.onSpawn?.(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let fed: Promise<Error | undefined> = Promise.resolve(undefined);
  if (hooks.feed) {
    const stdin = proc.stdin!;
    stdin.on('error', () => {}); // the feed's writes see it
    fed = hooks.feed(stdin).then(
      () => {
        stdin.end();
        return undefined;
      },
      (err: Error) => {
        stdin.destroy(); // pg_restore reads the end of its input and stops with an error
        return err;
      },
    );
  }
  return new Promise((resolve) => {
    proc.once('error', (err) => resolve({ what, code: 127, stderr: `${stderr}${err.message}\n` }));
    proc.once('close', async (code) => {
      const err = await fed;
      // A pipe that pg_restore closed is not the feed's fault: pg_restore stopped reading, and its stderr says why.
      const closed = err && ['EPIPE', 'ERR_STREAM_DESTROYED'].includes((err as NodeJS.ErrnoException).code ?? '');
      if (err && !closed)
        resolve({ what, code: code || 1, stderr: `${stderr}could not feed pg_restore: ${err.message}\n` });
      else resolve({ what, code: code ?? 1, stderr });
    });
  });
}

/** Writes `buf` and waits until the stream has taken it (so the caller may reuse the buffer). */
function write(stream: Writable, buf: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(buf, (err) => (err ? reject(err) : resolve()));
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

/** A data block in the archive: where it starts, and once it has been read, where it ends. */
interface Block {
  entry: TocEntry;
  start: number;
  end?: number;
}

/** Restores the archive as it is written; resolves with every pg_restore run (the caller reads their errors). */
export async function overlappedRestore(o: OverlappedRestore): Promise<PgRestoreRun[]> {
  const runs: PgRestoreRun[] = [];
  const children = new Set<ChildProcess>();
  const active = new Set<Promise<void>>();
  let lists = 0;
  let aborted = false;

  // Bytes of the archive on disk and parsed: a block that ends before `written` has its end set.
  let written = 0;
  let waiters: Array<() => void> = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const more = () => new Promise<void>((resolve) => waiters.push(resolve));

  const pgRestore = async (what: string, args: string[], feed?: (stdin: Writable) => Promise<void>) => {
    if (aborted) return; // checked in the same tick as the spawn: the abort below kills every child it starts
    let child: ChildProcess | undefined;
    const onSpawn = (proc: ChildProcess) => {
      child = proc;
      children.add(proc);
      proc.once('exit', wake); // a feed waiting for more of the archive sees its pg_restore gone
    };
    const run = await runPgRestore(o.pgRestore, what, [...args, '--dbname', o.database], o.env, { onSpawn, feed });
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
    const done = () => active.delete(p);
    p.then(done, done); // a rejection reaches the caller through Promise.race(active) below
  };

  const fh = await open(o.file, 'w+');
  /** The header and TOC as they came: data offsets not set, so pg_restore reads its stdin block after block. */
  let head: Buffer | undefined;
  // One table's rows (or several whole blocks, in archive order: pg_restore meets them in that order) to
  // pg_restore's stdin, each block followed in the file up to where it has been written until its end is reached.
  const feed = (batch: Block[]) => async (stdin: Writable) => {
    await write(stdin, head!);
    const buf = Buffer.allocUnsafe(FEED_BYTES);
    for (const b of batch) {
      let pos = b.start;
      while (pos < (b.end ?? Number.POSITIVE_INFINITY)) {
        if (aborted) throw new Error('the restore was stopped');
        if (stdin.destroyed) return; // pg_restore exited: its exit status says why
        const limit = Math.min(b.end ?? written, written);
        if (pos >= limit) {
          await more();
          continue;
        }
        const { bytesRead } = await fh.read(buf, 0, Math.min(FEED_BYTES, limit - pos), pos);
        if (bytesRead === 0) throw new Error(`${o.file} ends at ${pos}, before the ${written} bytes written`);
        await write(stdin, buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    }
  };

  // Tables whose blocks have started wait in `waiting`, in archive order, for pre-data and a free job slot.
  const waiting: Block[] = [];
  const blocks = new Map<TocEntry, Block>();
  const loaded = new Set<TocEntry>();
  let loading = 0;
  let preDataDone = false;
  // While the archive is still arriving, reading it (unsealing, decompressing, writing) takes a job slot of its
  // own: on a machine with `jobs` cores, `jobs` loads beside it would only slow it and each other down.
  let streaming = true;
  // A table's data size: as the backup recorded it, else as far as it has arrived (unbounded while it arrives).
  const size = (b: Block) => o.dataBytes?.get(b.entry.dumpId) ?? (b.end ?? Number.POSITIVE_INFINITY) - b.start;
  // Recorded sizes of the tables whose blocks have not started to arrive.
  const unseen = new Map(o.dataBytes ?? []);
  const largestToCome = () => Math.max(0, ...unseen.values());
  const pump = () => {
    const slots = streaming ? Math.max(1, o.jobs - 1) : o.jobs;
    // The largest tables go first, as pg_restore -j orders them: the longest load starts earliest, and the small
    // ones fill in beside it. While the archive arrives that needs the recorded sizes; without them, archive order.
    if (o.dataBytes || !streaming) waiting.sort((a, b) => size(b) - size(a));
    while (preDataDone && !aborted && waiting.length > 0) {
      // While the archive arrives, one slot is kept for a table larger than any waiting that is still to come.
      const reserve = streaming && size(waiting[0]!) < largestToCome() ? 1 : 0;
      if (loading + reserve >= slots) break;
      // A block still being written goes alone. Whole ones go together while they fit in one slot's share of the
      // waiting bytes, so small tables do not cost a pg_restore each; a share counts every slot, busy ones too, or
      // the tables left would go to one pg_restore while the others soon idle.
      const share = waiting.reduce((n, b) => n + (b.end === undefined ? 0 : size(b)), 0) / slots;
      const whole = (b: Block) => b.end !== undefined;
      let taken = 1;
      let bytes = size(waiting[0]!);
      while (
        whole(waiting[0]!) &&
        taken < waiting.length &&
        whole(waiting[taken]!) &&
        bytes + size(waiting[taken]!) <= share
      )
        bytes += size(waiting[taken++]!);
      // pg_restore reads its stdin in archive order: so are the blocks fed to it.
      const batch = waiting.splice(0, taken).sort((a, b) => a.start - b.start);
      for (const b of batch) loaded.add(b.entry);
      loading++;
      const what = `data of ${batch.map((b) => b.entry.tag).join(', ')}`;
      track(
        listFile(batch.map((b) => b.entry))
          .then((list) => pgRestore(what, ['--data-only', '--format=custom', '-L', list], feed(batch)))
          .finally(() => {
            loading--;
            pump();
          }),
      );
    }
  };

  let header: ArchiveHeader | undefined;
  const events: Array<() => Promise<void>> = [];
  const printer = new CustomArchivePrinter(() => false, {
    head: (h, end) => {
      events.push(async () => {
        header = h;
        head = Buffer.alloc(end);
        await fh.read(head, 0, end, 0);
        await o.beforeRestore?.(h);
        track(
          pgRestore('pre-data', ['--section=pre-data', o.file]).then(() => {
            preDataDone = true;
            pump();
          }),
        );
      });
    },
    blockStart: (entry, start) => {
      if (entry.desc !== 'TABLE DATA') return;
      const b = { entry, start };
      blocks.set(entry, b);
      waiting.push(b);
      unseen.delete(entry.dumpId);
    },
    block: (entry, start, end) => {
      const b = blocks.get(entry);
      if (b) b.end = end;
      events.push(async () => {
        if (entry.offsetPos === undefined || !header) return;
        // Tell pg_restore where the block is: K_OFFSET_POS_SET, then the offset, little-endian.
        const field = Buffer.alloc(1 + header.offSize);
        field[0] = K_OFFSET_POS_SET;
        for (let i = 0, v = start; i < header.offSize; i++, v = Math.floor(v / 256)) field[1 + i] = v % 256;
        await fh.write(field, 0, field.length, entry.offsetPos);
      });
    },
  });
  try {
    for await (const chunk of o.source) {
      // Parse first (events wait), write, act on what is now on disk, then let the feeds read it.
      printer.push(chunk);
      let done = 0;
      while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done)).bytesWritten;
      for (const ev of events.splice(0)) await ev();
      written += chunk.length;
      wake();
      pump();
    }
    printer.end();
    for (const ev of events.splice(0)) await ev();
    streaming = false;
    pump();
    while (active.size > 0) await Promise.race(active);
    // The rest of the data section, then post-data, as one pg_restore -j would order them.
    const sections = effectiveSections(header!.toc);
    const rest = header!.toc.filter((e) => sections.get(e) === SECTION_DATA && !loaded.has(e));
    if (rest.length > 0) await pgRestore('data (other)', ['-L', await listFile(rest), o.file]);
    await pgRestore('post-data', ['-j', String(o.jobs), '--section=post-data', o.file]);
    return runs;
  } catch (err) {
    aborted = true;
    wake();
    for (const c of children) c.kill('SIGTERM');
    await Promise.allSettled([...active]);
    throw err;
  } finally {
    await fh.close();
  }
}
