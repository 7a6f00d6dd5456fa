// Restoring a custom-format archive while it is still coming out of the repository. The archive is written to a
// local file, and backdrill follows it as it writes it (archive.ts), restoring each part as soon as it can be read.
// Large tables whose places the backup recorded are the exception: their data blocks are read straight from the
// repository, each as a range of its own, and leave holes in the file, which is read around them.
//
//   1. pre-data (tables, types, functions) with pg_restore once the TOC is written;
//   2. the rows of each table as soon as its data block STARTS: backdrill runs the entry's COPY itself and sends
//      the block, read from the local file as it is written (or from the repository), as CopyData messages
//      (copy-in.ts). While the archive is still arriving, `jobs` - 1 tables load at a time (at least one: reading
//      the archive is a job of its own), then `jobs`; the others wait for a slot and load then, largest first
//      (small ones several to a session);
//   3. the rest of the data section (sequence values, large objects) with pg_restore once the archive is complete,
//      beside the tables still loading: each block's offset is patched into the file's TOC as the block ends, so
//      pg_restore seeks straight to them;
//   4. post-data (indexes, constraints, triggers, materialized view refreshes) with pg_restore -j. As pg_restore -j
//      does, a table's indexes and constraints go in as soon as its rows are loaded, while other tables still load:
//      once the archive is complete and no table waits for a slot, a free slot builds them (pg_restore -L, one
//      entry at a time), and the final pg_restore -j does the rest.
//
// Together the four steps restore exactly what one `pg_restore -j` run would: every TOC entry belongs to one of
// them, by the section pg_restore itself would give it.
import { type ChildProcess, spawn } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import { type ArchiveHeader, BLK_DATA, BLOCK_HEADER, CustomArchivePrinter, type TocEntry } from './archive.ts';
import { CopyError, copyBlock, dropSession } from './copy-in.ts';

const SECTION_NONE = 1;
const SECTION_PRE_DATA = 2;
const SECTION_DATA = 3;
const SECTION_POST_DATA = 4;
/**
 * Post-data entries that may go in before the others, once every entry they depend on is in: on a table, that its
 * rows are loaded. These run in pg_restore's main pass; materialized view refreshes, event triggers and ACLs wait
 * for passes of their own, and the rest (comments, triggers, rules, policies) is quick.
 */
const EARLY_POST_DATA = new Set(['INDEX', 'CONSTRAINT', 'FK CONSTRAINT']);
const K_OFFSET_POS_SET = 2;
/**
 * Bytes a table's load reads (from the file or the repository) and sends to the server at a time. Small enough to
 * stay in the core's cache between being read into the buffer and the kernel copying them into the socket: with
 * 1 MiB that copy took 0.8 CPU-s per 744 MiB on this project's VM, with 128 KiB 0.1.
 */
const FEED_BYTES = 1 << 17;

/** Where a data block lies in the archive: [start, end). */
export interface BlockPlace {
  start: number;
  end: number;
}

export interface OverlappedRestore {
  /** The archive's bytes from `start` up to `end` (its end when omitted), in order. */
  read(start: number, end?: number): AsyncIterable<Uint8Array>;
  /**
   * Data blocks (by dump ID) whose rows load straight from read(), never written to the local file: the large
   * tables, where the backup recorded their places. Each takes a read of its own; the rest of the archive is read
   * once, around them.
   */
  direct?: ReadonlyMap<number, BlockPlace> | undefined;
  /** Where to write the archive (its directory holds the -L list files too). */
  file: string;
  pgRestore: string;
  env: NodeJS.ProcessEnv;
  database: string;
  /** A new session on the target database (the tables' rows go through these). */
  connect(): Promise<pg.Client>;
  jobs: number;
  /** Runs once the TOC is known, before anything is restored (TimescaleDB's pre-restore hook). */
  beforeRestore?(header: ArchiveHeader): Promise<void>;
  /** Each table's data size by dump ID, when the backup recorded them: the largest then loads first. */
  dataBytes?: ReadonlyMap<number, number> | undefined;
}

/**
 * A data block is read straight from the archive (OverlappedRestore.direct) from this many of the source's pieces
 * on: the pieces holding its first and last bytes are read twice (the rest of the archive needs them too), and a
 * piece read twice costs about as much as writing and reading a piece's worth of the local file.
 */
export const DIRECT_MIN_PIECES = 16;

/** One step of a restore: a pg_restore run (its exit code and stderr), or backdrill's own load of tables' rows. */
export interface PgRestoreRun {
  what: string;
  code: number;
  stderr: string;
  /** The objects that failed, when the step names them itself (otherwise they are read from stderr). */
  failed?: string[];
}

/** Whether the archive installs TimescaleDB (whose pre/post-restore hooks must wrap the restore). */
export function hasTimescale(header: ArchiveHeader): boolean {
  return header.toc.some((e) => e.desc === 'EXTENSION' && e.tag === 'timescaledb');
}

export interface PgRestoreHooks {
  /** Sees the child as soon as it is spawned. */
  onSpawn?(proc: ChildProcess): void;
}

/** Runs pg_restore to its end; never rejects (a failure to start is exit code 127). */
export function runPgRestore(
  bin: string,
  what: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  hooks: PgRestoreHooks = {},
): Promise<PgRestoreRun> {
  const proc = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  hooks.onSpawn?.(proc);
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

/**
 * The post-data section, and which of its entries can go in early: an entry in EARLY_POST_DATA once everything it
 * depends on is in. pg_restore -j counts a post-data entry's dependency on a table as one on the table's rows
 * (repoint_table_dependencies), and so does this: such a dependency holds once backdrill has loaded the table's data
 * block. A table whose rows come otherwise (none, INSERTs, a load that failed) keeps its entries for the final run.
 */
export class PostDataPlan {
  /** The post-data entries, in TOC order. */
  readonly entries: TocEntry[];
  /** Entries given to an early run. */
  readonly taken = new Set<number>();
  /** Entries whose early run succeeded (a failed run's entries satisfy no dependency). */
  readonly done = new Set<number>();
  private readonly byId = new Map<number, TocEntry>();
  /** A TABLE's dump ID -> its TABLE DATA's. */
  private readonly dataOf = new Map<number, number>();

  constructor(
    toc: TocEntry[],
    private readonly sections: Map<TocEntry, number>,
  ) {
    for (const e of toc) this.byId.set(e.dumpId, e);
    for (const e of toc) {
      if (e.desc !== 'TABLE DATA') continue;
      for (const dep of e.dependencies) if (this.byId.get(dep)?.desc === 'TABLE') this.dataOf.set(dep, e.dumpId);
    }
    this.entries = toc.filter((e) => sections.get(e) === SECTION_POST_DATA);
  }

  /**
   * The first entry, in TOC order, that can go in now, given the TABLE DATA entries loaded. One at a time: the
   * final run waits for the early one under way (pg_restore -j keeps apart entries that lock the same tables; two
   * runs know nothing of each other), and one entry is one index or constraint's work.
   */
  next(loaded: ReadonlySet<number>): TocEntry | undefined {
    return this.entries.find(
      (e) =>
        EARLY_POST_DATA.has(e.desc ?? '') &&
        !this.taken.has(e.dumpId) &&
        e.dependencies.some((d) => this.dataOf.has(d)) &&
        e.dependencies.every((d) => this.satisfied(d, loaded)),
    );
  }

  /** The entries no early run took. */
  rest(): TocEntry[] {
    return this.entries.filter((e) => !this.taken.has(e.dumpId));
  }

  private satisfied(dep: number, loaded: ReadonlySet<number>): boolean {
    const d = this.byId.get(dep);
    if (!d) return false;
    if (d.desc === 'TABLE') {
      const data = this.dataOf.get(dep);
      return data !== undefined && loaded.has(data);
    }
    const section = this.sections.get(d);
    if (section === SECTION_PRE_DATA) return true;
    if (section === SECTION_DATA) return loaded.has(dep);
    return this.done.has(dep);
  }
}

/** A data block in the archive: where it starts, and once it has been read, where it ends. */
interface Block {
  entry: TocEntry;
  start: number;
  end?: number;
  /** Its rows load straight from the archive (OverlappedRestore.direct), not from the local file. */
  direct: boolean;
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

  const pgRestore = async (what: string, args: string[]): Promise<PgRestoreRun | undefined> => {
    if (aborted) return undefined; // checked in the same tick as the spawn: the abort below kills every child it starts
    let child: ChildProcess | undefined;
    const onSpawn = (proc: ChildProcess) => {
      child = proc;
      children.add(proc);
    };
    const run = await runPgRestore(o.pgRestore, what, [...args, '--dbname', o.database], o.env, { onSpawn });
    if (child) children.delete(child);
    runs.push(run);
    return run;
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

  // The direct blocks in archive order. Recorded places that cannot be data blocks (damaged or edited records) fail
  // the restore before anything is read.
  const direct = [...(o.direct ?? [])].sort((a, b) => a[1].start - b[1].start);
  let after = 0;
  for (const [id, place] of direct) {
    if (place.start < after || place.end - place.start < BLOCK_HEADER) {
      throw new Error(
        `the backup recorded an impossible place for the data of entry ${id} (bytes ${place.start}-${place.end}): ` +
          'it overlaps another or is too short',
      );
    }
    after = place.end;
  }
  const directAt = new Map(direct.map(([id, place]) => [place.start, { id, ...place }]));
  const fh = await open(o.file, 'w+');
  // Sessions for the tables' rows, set up as pg_restore sets up its own; idle ones are reused, and the abort below
  // drops the busy ones (the server then rolls their COPY back).
  const idle: pg.Client[] = [];
  const busy = new Set<pg.Client>();
  let session = '';
  let mayFreeze = false;
  const take = async (): Promise<pg.Client> => {
    let client = idle.pop();
    if (!client) {
      const fresh = await o.connect();
      fresh.on('error', () => {}); // a dropped connection fails the COPY under way, which reports it
      await fresh.query(session).catch(async (err: unknown) => {
        await dropSession(fresh);
        throw err;
      });
      client = fresh;
    }
    busy.add(client);
    return client;
  };
  const drop = (client: pg.Client) => {
    busy.delete(client);
    return dropSession(client);
  };
  // The bytes of a block after its header, from the file as far as it has been written, until the block's end.
  const reader = (b: Block) => async (buf: Buffer, pos: number) => {
    const at = b.start + BLOCK_HEADER + pos;
    for (;;) {
      if (aborted) throw new Error('the restore was stopped');
      const limit = Math.min(b.end ?? written, written);
      if (at < limit) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, limit - at), at);
        if (bytesRead === 0) throw new Error(`${o.file} ends at ${at}, before the ${written} bytes written`);
        return bytesRead;
      }
      // The block's end is known as soon as the archive piece holding it is parsed, before that piece is on disk:
      // only bytes past the end mean the block ends inside one of its chunks.
      if (b.end !== undefined && at >= b.end) throw new Error(`the data block of ${b.entry.tag} ends inside a chunk`);
      await more();
    }
  };
  // The bytes of a direct block after its header, read straight from the archive. The header is checked first: the
  // block must be where the backup said it is.
  const directReader = (b: Block) => {
    const pieces = o.read(b.start, b.end)[Symbol.asyncIterator]();
    let piece: Buffer = Buffer.alloc(0);
    const next = async (): Promise<boolean> => {
      if (aborted) throw new Error('the restore was stopped');
      const r = await pieces.next();
      if (r.done) return false;
      piece = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
      return true;
    };
    let checked = false;
    const checkHeader = async () => {
      const header = Buffer.alloc(BLOCK_HEADER);
      let have = 0;
      while (have < BLOCK_HEADER && (piece.length > 0 || (await next()))) {
        const n = piece.copy(header, have);
        have += n;
        piece = piece.subarray(n);
      }
      if (
        have < BLOCK_HEADER ||
        header[0] !== BLK_DATA ||
        header[1] !== 0 ||
        header.readUInt32LE(2) !== b.entry.dumpId
      ) {
        throw new Error(
          `the data of ${qualified(b.entry)} is not where the backup recorded it (bytes ${b.start}-${b.end} of the archive)`,
        );
      }
      checked = true;
    };
    return {
      read: async (buf: Buffer): Promise<number> => {
        if (!checked) await checkHeader();
        while (piece.length === 0) {
          if (!(await next())) throw new Error(`the data block of ${qualified(b.entry)} ends before its end marker`);
        }
        const n = piece.copy(buf);
        piece = piece.subarray(n);
        return n;
      },
      close: async () => {
        await pieces.return?.(undefined);
      },
    };
  };
  // Loads whole tables one after the other on one session. A table the server refuses is listed and the next one
  // goes on; a failure to read the archive stops the restore.
  const load = async (batch: Block[]) => {
    const failed: string[] = [];
    let client: pg.Client | undefined;
    try {
      for (const b of batch) {
        const copyStmt = b.entry.copyStmt!;
        client ??= await take();
        const straight = b.direct ? directReader(b) : undefined;
        try {
          await copyBlock(client, { copyStmt, mayFreeze, read: straight?.read ?? reader(b) }, FEED_BYTES);
          loaded.add(b.entry.dumpId);
        } catch (err) {
          if (aborted || !isServerError(err)) throw err;
          failed.push(`COPY failed for table ${qualified(b.entry)}: ${describeServerError(err)}`);
          await drop(client); // its session is inside a failed COPY or transaction
          client = undefined;
        } finally {
          await straight?.close();
        }
      }
    } catch (err) {
      if (client) await drop(client);
      throw err;
    }
    if (client) {
      busy.delete(client);
      idle.push(client);
    }
    const what = `data of ${batch.map((b) => b.entry.tag).join(', ')}`;
    runs.push({ what, code: failed.length > 0 ? 1 : 0, stderr: '', failed });
  };

  // Tables whose blocks have started wait in `waiting`, in archive order, for pre-data and a free job slot.
  const waiting: Block[] = [];
  const blocks = new Map<TocEntry, Block>();
  let loading = 0;
  let preDataDone = false;
  // TABLE DATA entries loaded, and the post-data section (known with the TOC); early post-data runs one at a time,
  // and only when pre-data went in without an error.
  const loaded = new Set<number>();
  let postData: PostDataPlan | undefined;
  let early = false;
  let earlyRunning = false;
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
      // waiting bytes, so small tables do not cost a session each; a share counts every slot, busy ones too, or
      // the tables left would go to one session while the others soon idle.
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
      const batch = waiting.splice(0, taken);
      loading++;
      track(
        load(batch).finally(() => {
          loading--;
          pump();
        }),
      );
    }
    // The archive is complete, no table waits, and a slot is free while others load: a table loaded already gets
    // its indexes and constraints now. Once nothing loads, the final post-data run takes over.
    if (early && !streaming && !earlyRunning && !aborted && waiting.length === 0 && loading > 0 && loading < o.jobs) {
      const entry = postData!.next(loaded);
      if (!entry) return;
      postData!.taken.add(entry.dumpId);
      earlyRunning = true;
      loading++;
      const run = async () => {
        const r = await pgRestore(`post-data (early: ${entry.desc} ${entry.tag})`, [
          '-L',
          await listFile([entry]),
          o.file,
        ]);
        if (r?.code === 0) postData!.done.add(entry.dumpId);
      };
      track(
        run().finally(() => {
          earlyRunning = false;
          loading--;
          pump();
        }),
      );
    }
  };

  let header: ArchiveHeader | undefined;
  /** The section pg_restore gives each TOC entry (effectiveSections), once the TOC is known. */
  let sections: Map<TocEntry, number> | undefined;
  let preData: Promise<void> | undefined;
  const events: Array<() => Promise<void>> = [];
  const printer = new CustomArchivePrinter(() => false, {
    head: (h) => {
      events.push(async () => {
        header = h;
        session = sessionSetup(h);
        sections = effectiveSections(h.toc);
        postData = new PostDataPlan(h.toc, sections);
        // TimescaleDB's chunks are left to its own restore hooks: loaded as pg_restore loads them.
        mayFreeze = !hasTimescale(h);
        await o.beforeRestore?.(h);
        preData = pgRestore('pre-data', ['--section=pre-data', o.file]).then((run) => {
          preDataDone = true;
          early = run?.code === 0 && !hasTimescale(h);
          pump();
        });
        track(preData);
      });
    },
    blockStart: (entry, start) => {
      // A table dumped as INSERT statements (no COPY) goes with the rest of the data section, to pg_restore.
      if (entry.desc !== 'TABLE DATA' || !entry.copyStmt) return;
      const b = { entry, start, direct: o.direct?.has(entry.dumpId) === true };
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
  // The archive is read once around the direct blocks (they leave holes in the local file); the printer is told
  // to pass over each one as the reading gets to its start.
  async function* around(): AsyncGenerator<Uint8Array> {
    let at = 0;
    for (const [, place] of direct) {
      if (place.start > at) yield* o.read(at, place.start);
      at = place.end;
    }
    yield* o.read(at);
  }
  let pos = 0;
  const passDirect = () => {
    for (let d = directAt.get(pos); d; d = directAt.get(pos)) {
      const entry = printer.passOver(d.id, d.start, d.end);
      if (!blocks.has(entry)) throw new Error(`entry ${d.id} (${entry.desc} ${entry.tag}) holds no COPY rows to load`);
      pos = d.end;
    }
  };
  try {
    for await (const chunk of around()) {
      // Parse first (events wait), write, act on what is now on disk, then let the feeds read it.
      passDirect();
      printer.push(chunk);
      let done = 0;
      while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done, pos + done)).bytesWritten;
      pos += chunk.length;
      for (const ev of events.splice(0)) await ev();
      written = pos;
      wake();
      pump();
    }
    passDirect();
    printer.end();
    for (const ev of events.splice(0)) await ev();
    streaming = false;
    pump();
    // The rest of the data section (sequence values, large objects, tables dumped as INSERTs) needs only the schema
    // and the whole archive: it goes in beside the tables still loading, as pg_restore -j would run it.
    const otherData = header!.toc.filter((e) => sections!.get(e) === SECTION_DATA && !blocks.has(e));
    if (otherData.length > 0) {
      const list = await listFile(otherData);
      track(preData!.then(() => pgRestore('data (other)', ['-L', list, o.file]).then(() => {})));
    }
    while (active.size > 0) await Promise.race(active);
    // Then the rest of post-data, as one pg_restore -j would order it.
    const rest = postData!.rest();
    if (postData!.taken.size === 0) await pgRestore('post-data', ['-j', String(o.jobs), '--section=post-data', o.file]);
    else if (rest.length > 0) await pgRestore('post-data', ['-j', String(o.jobs), '-L', await listFile(rest), o.file]);
    return runs;
  } catch (err) {
    aborted = true;
    wake();
    for (const c of children) c.kill('SIGTERM');
    for (const c of busy) void dropSession(c);
    await Promise.allSettled([...active]);
    throw err;
  } finally {
    await Promise.allSettled([...idle, ...busy].map((c) => c.end()));
    await fh.close();
  }
}

/**
 * The statements pg_restore starts each session with (pg_backup_archiver.c _doSetFixedOutputState): no timeouts,
 * the dump's encoding, string syntax and search_path (its ENCODING, STDSTRINGS and SEARCHPATH entries, verbatim),
 * no function body checks, any XML, no notices, and row security off (a policy that would hide rows fails instead).
 */
function sessionSetup(header: ArchiveHeader): string {
  const entry = (desc: string) => header.toc.find((e) => e.desc === desc)?.defn ?? '';
  const stdStrings = entry('STDSTRINGS');
  return [
    'SET statement_timeout = 0;',
    'SET lock_timeout = 0;',
    'SET idle_in_transaction_session_timeout = 0;',
    // PostgreSQL 17's transaction_timeout, on servers that have it.
    "SELECT pg_catalog.set_config('transaction_timeout', '0', false) WHERE pg_catalog.current_setting('transaction_timeout', true) IS NOT NULL;",
    entry('ENCODING'),
    stdStrings,
    entry('SEARCHPATH'),
    'SET check_function_bodies = false;',
    'SET xmloption = content;',
    'SET client_min_messages = warning;',
    ...(/'off'/.test(stdStrings) ? ['SET escape_string_warning = off;'] : []),
    'SET row_security = off;',
  ].join('\n');
}

/** Whether the server refused something (an error it sent), as opposed to a failure on this side. */
function isServerError(err: unknown): err is Error & { where?: string } {
  return err instanceof CopyError || (err instanceof Error && 'severity' in err && 'code' in err);
}

/** The server's message and where in the rows it stopped, without the column's value (COPY's CONTEXT quotes it). */
function describeServerError(err: Error & { where?: string }): string {
  const where = err.where?.split('\n')[0]?.replace(/: ".*$/s, '');
  return where ? `${err.message} (${where})` : err.message;
}

function qualified(e: TocEntry): string {
  return e.namespace ? `${e.namespace}.${e.tag}` : `${e.tag}`;
}
