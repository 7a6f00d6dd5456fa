// Reading pg_dump archives as they stream past: the header and table of contents of the custom and directory
// formats (pg_backup_archiver.c ReadHead/ReadToc, archive versions 1.12 to 1.16, i.e. PostgreSQL 9.0 to 17+),
// and their data (the custom format's data blocks, the directory format's files), whose COPY rows and large
// objects are hashed on the way to the repository (rowhash.ts). The
// fingerprint of a backup is thereby computed from the very bytes it stores.

import { createHash, type Hash } from 'node:crypto';
import { SetHash } from '../fingerprint.ts';
import { RowHasher } from './rowhash.ts';

export interface TocEntry {
  dumpId: number;
  hadDumper: boolean;
  tag: string | null;
  desc: string | null;
  namespace: string | null;
  copyStmt: string | null;
  /** The statement of the entries that set up a restore's session (ENCODING, STDSTRINGS, SEARCHPATH); others'
   * definitions are not kept. */
  defn?: string | null;
  /** 1 none (follows the entry before), 2 pre-data, 3 data, 4 post-data. */
  section: number;
  /** The dump IDs of the entries this one depends on (pg_restore -j orders by them). */
  dependencies: number[];
  /** Custom format: where in the archive the entry's data offset field is (flag byte, then offSize bytes). */
  offsetPos?: number;
  /** Directory format: the entry's data file. */
  filename?: string | null;
}

export interface ArchiveHeader {
  version: string;
  format: 'custom' | 'directory';
  compressed: boolean;
  database: string | null;
  /** Bytes of an offset in the TOC. */
  offSize: number;
  toc: TocEntry[];
}

// The format byte: 1 custom; a directory archive's toc.dat says 3 (PostgreSQL 15), 5 in some sources; both (and
// tar's) record a data file name per TOC entry.
const FORMATS: Record<number, ArchiveHeader['format']> = { 1: 'custom', 3: 'directory', 5: 'directory' };
const K_VERS_1_12 = (1 << 16) | (12 << 8);
/** The TOC entries pg_restore runs at the start of every session (pg_backup_archiver.c processEncodingEntry and
 * its siblings). */
const SESSION_ENTRIES = new Set(['ENCODING', 'STDSTRINGS', 'SEARCHPATH']);
export const BLK_DATA = 1;
/** A data block's header: its type byte and its dump ID (an int: a sign byte, then 4 bytes). */
export const BLOCK_HEADER = 6;
const BLK_BLOBS = 3;

class NeedMore extends Error {}

class Reader {
  pos: number;
  intSize = 4;
  offSize = 8;

  constructor(
    private readonly buf: Buffer,
    pos = 0,
  ) {
    this.pos = pos;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new NeedMore();
    return this.buf[this.pos++]!;
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new NeedMore();
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** ReadInt: a sign byte, then intSize bytes little-endian. */
  int(): number {
    const sign = this.byte();
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return sign ? -v : v;
  }

  /** ReadStr: an int length (-1: NULL), then the bytes. */
  str(): string | null {
    const n = this.int();
    if (n < 0) return null;
    return this.bytes(n).toString('utf8');
  }
}

/** Parses the header and TOC at the start of `buf`; undefined when `buf` stops before their end. */
export function parseArchiveHead(buf: Buffer): { header: ArchiveHeader; end: number } | undefined {
  try {
    return readHead(new Reader(buf));
  } catch (err) {
    if (err instanceof NeedMore) return undefined;
    throw err;
  }
}

function readHead(r: Reader): { header: ArchiveHeader; end: number } {
  if (r.bytes(5).toString('latin1') !== 'PGDMP') throw new Error('not a pg_dump archive (no PGDMP magic)');
  const [vmaj, vmin, vrev] = [r.byte(), r.byte(), r.byte()];
  const version = (vmaj << 16) | (vmin << 8) | vrev;
  if (version < K_VERS_1_12 || vmaj !== 1 || vmin > 16) {
    throw new Error(`pg_dump archive version ${vmaj}.${vmin}.${vrev} is not supported (1.12 to 1.16 are)`);
  }
  r.intSize = r.byte();
  r.offSize = r.byte();
  const format = FORMATS[r.byte()];
  if (!format) throw new Error('pg_dump archive is neither custom nor directory format');
  const compressed = vmin >= 15 ? r.byte() !== 0 : r.int() !== 0;
  for (let i = 0; i < 7; i++) r.int(); // creation time
  const database = r.str();
  r.str(); // server version
  r.str(); // pg_dump version
  const count = r.int();
  const toc: TocEntry[] = [];
  for (let i = 0; i < count; i++) {
    const dumpId = r.int();
    const hadDumper = r.int() !== 0;
    r.str(); // table oid
    r.str(); // oid
    const tag = r.str();
    const desc = r.str();
    const section = r.int();
    const defn = r.str();
    r.str(); // dropStmt
    const copyStmt = r.str();
    const namespace = r.str();
    r.str(); // tablespace
    if (vmin >= 14) r.str(); // tableam
    if (vmin >= 16) r.int(); // relkind
    r.str(); // owner
    r.str(); // "with oids"
    const dependencies: number[] = [];
    for (let dep = r.str(); dep !== null; dep = r.str()) dependencies.push(Number(dep));
    const entry: TocEntry = { dumpId, hadDumper, tag, desc, namespace, copyStmt, section, dependencies };
    if (desc !== null && SESSION_ENTRIES.has(desc)) entry.defn = defn;
    if (format === 'custom') {
      entry.offsetPos = r.pos;
      r.byte(); // offset flag
      r.bytes(r.offSize);
    } else {
      entry.filename = r.str();
    }
    toc.push(entry);
  }
  return {
    header: { version: `${vmaj}.${vmin}.${vrev}`, format, compressed, database, offSize: r.offSize, toc },
    end: r.pos,
  };
}

export interface TableRows {
  entry: TocEntry;
  count: number;
  hash: string;
}

export interface ArchiveEvents {
  /** The header and TOC were read; the data blocks start at `end`. */
  head?(header: ArchiveHeader, end: number): void;
  /** The data block of `entry` starts at `start` (its header has been read; its data follows). */
  blockStart?(entry: TocEntry, start: number): void;
  /** The data block of `entry` was read: it spans [start, end) of the archive. */
  block?(entry: TocEntry, start: number, end: number): void;
}

/**
 * Follows a custom-format archive (pg_dump -Fc -Z0) as it streams past, hashing the COPY rows of each TABLE DATA
 * entry that `wanted` accepts and telling `events` where each part lies. Feed it every byte in order with push(),
 * then call end().
 */
export class CustomArchivePrinter {
  header: ArchiveHeader | undefined;
  readonly tables: TableRows[] = [];
  private head: Buffer[] = [];
  private headLen = 0;
  private nextTry = 4096;
  /** Large objects (when `wanted` accepts the BLOBS entry): one element "<oid>:<sha256>" each. */
  readonly largeObjects = new SetHash();
  /** Bytes of a block header (type byte and dump id), a large object's oid or a chunk length, gathered across
   * pieces. */
  private pending = Buffer.alloc(0);
  private state: 'head' | 'block-header' | 'data' | 'blob-oid' | 'blob-chunk' | 'blob-data' = 'head';
  /** The large object being read: its oid, its hash (when wanted), and the bytes left in its current chunk. */
  private lo: { oid: number; hash: Hash | undefined; remaining: number } | undefined;
  private current: TocEntry | undefined;
  private readonly entries = new Map<number, TocEntry>();
  private readonly hasher = new RowHasher();
  private readonly seen = new Set<number>();
  /** Archive position of the next byte data() consumes, and of the current block's first byte. */
  private pos = 0;
  private blockStart = 0;

  constructor(
    private readonly wanted: (entry: TocEntry) => boolean,
    private readonly events: ArchiveEvents = {},
  ) {}

  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.state !== 'head') {
      this.data(buf);
      return;
    }
    this.head.push(Buffer.from(buf)); // copied: the stream's buffer moves on to the repository
    this.headLen += buf.length;
    // Parse only when the gathered bytes have doubled since the last try: linear however large the TOC is.
    if (this.headLen < this.nextTry) return;
    const rest = this.parseHead();
    if (rest) this.data(rest);
    else this.nextTry = this.headLen * 2;
  }

  /** The bytes after the TOC once the gathered ones hold all of it. */
  private parseHead(): Buffer | undefined {
    const all = Buffer.concat(this.head);
    this.head = [all];
    const parsed = parseArchiveHead(all);
    if (!parsed) return undefined;
    this.header = parsed.header;
    if (parsed.header.format !== 'custom') throw new Error('expected a custom-format archive');
    if (parsed.header.compressed) throw new Error('the archive is compressed: backdrill runs pg_dump with -Z0');
    for (const e of parsed.header.toc) this.entries.set(e.dumpId, e);
    this.head = [];
    this.state = 'block-header';
    this.pos = parsed.end;
    this.events.head?.(parsed.header, parsed.end);
    return all.subarray(parsed.end);
  }

  private data(input: Buffer): void {
    let buf = input;
    while (buf.length > 0) {
      if (this.state === 'data') {
        const used = this.hasher.block(buf);
        buf = buf.subarray(used);
        this.pos += used;
        if (!this.hasher.blockDone) return;
        this.finishTable();
        this.endBlock();
        continue;
      }
      if (this.state === 'blob-data') {
        const lo = this.lo!;
        const n = Math.min(lo.remaining, buf.length);
        lo.hash?.update(buf.subarray(0, n));
        buf = buf.subarray(n);
        this.pos += n;
        lo.remaining -= n;
        if (lo.remaining === 0) this.state = 'blob-chunk';
        continue;
      }
      // Small fixed-size fields: a block header (type byte + int dump id), or an int: a large object's oid or the
      // length of its next chunk of data.
      const need = this.state === 'block-header' ? BLOCK_HEADER : 5;
      if (this.state === 'block-header' && this.pending.length === 0) this.blockStart = this.pos;
      const take = Math.min(need - this.pending.length, buf.length);
      this.pending = Buffer.concat([this.pending, buf.subarray(0, take)]);
      buf = buf.subarray(take);
      this.pos += take;
      if (this.pending.length < need) return;
      const field = this.pending;
      this.pending = Buffer.alloc(0);
      if (this.state === 'block-header') {
        this.startBlock(field);
        continue;
      }
      if (field[0] !== 0) throw new Error('a negative length or oid in a large objects block');
      const value = field.readUInt32LE(1);
      if (this.state === 'blob-oid') {
        if (value === 0) this.endBlock();
        else {
          this.lo = { oid: value, hash: this.wanted(this.current!) ? createHash('sha256') : undefined, remaining: 0 };
          this.state = 'blob-chunk';
        }
      } else if (value === 0) {
        const lo = this.lo!;
        if (lo.hash) this.largeObjects.add(`${lo.oid}:${lo.hash.digest('hex')}`);
        this.state = 'blob-oid';
      } else {
        this.lo!.remaining = value;
        this.state = 'blob-data';
      }
    }
  }

  /**
   * Passes over the data block of entry `dumpId`, which spans [start, end) of the archive and is read elsewhere
   * (nothing of it is hashed): every byte before `start` has been pushed, and the next one pushed is the one at
   * `end`. Its events fire as for a block read.
   */
  passOver(dumpId: number, start: number, end: number): TocEntry {
    if (this.state === 'head') {
      const rest = this.parseHead();
      if (!rest) throw new Error(`the archive's TOC does not end before the data block at ${start}`);
      this.data(rest);
    }
    const entry = this.entries.get(dumpId);
    if (!entry) throw new Error(`data block for unknown TOC entry ${dumpId}`);
    if (this.state !== 'block-header' || this.pending.length > 0 || this.pos !== start || end < start) {
      throw new Error(`no data block starts at ${start} (entry ${dumpId} ${entry.desc} ${entry.tag})`);
    }
    this.current = entry;
    this.blockStart = start;
    this.seen.add(dumpId);
    this.events.blockStart?.(entry, start);
    this.pos = end;
    this.endBlock();
    return entry;
  }

  private startBlock(field: Buffer): void {
    const type = field[0];
    const id = field.readUInt32LE(2);
    const entry = this.entries.get(id);
    if (!entry || field[1] !== 0) throw new Error(`data block for unknown TOC entry ${id}`);
    if (type === BLK_DATA) {
      this.current = entry;
      this.hasher.reset(!(entry.desc === 'TABLE DATA' && this.wanted(entry)));
      this.state = 'data';
    } else if (type === BLK_BLOBS) {
      this.current = entry;
      this.state = 'blob-oid';
    } else {
      throw new Error(`unknown data block type ${type}`);
    }
    this.seen.add(id);
    this.events.blockStart?.(entry, this.blockStart);
  }

  private endBlock(): void {
    this.state = 'block-header';
    this.events.block?.(this.current!, this.blockStart, this.pos);
  }

  private finishTable(): void {
    const entry = this.current!;
    if (entry.desc !== 'TABLE DATA' || !this.wanted(entry)) return;
    if (!this.hasher.ended) throw new Error(`the data of ${entry.namespace}.${entry.tag} does not end with "\\."`);
    this.tables.push({ entry, ...this.hasher.digest() });
  }

  /** Checks that the archive was complete: every entry with data had its block. */
  end(): void {
    if (this.state === 'head') {
      const rest = this.parseHead();
      if (!rest) throw new Error('the archive ended inside its header');
      this.data(rest);
    }
    if (this.state !== 'block-header' || this.pending.length > 0)
      throw new Error('the archive ended inside a data block');
    const missing = this.header!.toc.filter((e) => e.hadDumper && !this.seen.has(e.dumpId));
    if (missing.length > 0) {
      throw new Error(`the archive has no data for ${missing.map((e) => `${e.desc} ${e.tag}`).join(', ')}`);
    }
  }
}

/**
 * Follows the files of a directory-format archive (pg_dump -Fd -Z0) as they stream past: the COPY rows of each
 * TABLE DATA entry that `wanted` accepts (its data file), and each large object (blob_<oid>.dat) when `wanted`
 * accepts the BLOBS entry. For each file: file(name), push() every byte of it, then end().
 */
export class DirectoryArchivePrinter {
  readonly tables: TableRows[] = [];
  /** Large objects: one element "<oid>:<sha256>" each, as CustomArchivePrinter has them. */
  readonly largeObjects = new SetHash();
  private readonly files = new Map<string, TocEntry>();
  private readonly blobs: boolean;

  constructor(
    readonly header: ArchiveHeader,
    wanted: (entry: TocEntry) => boolean,
  ) {
    for (const e of header.toc) if (e.desc === 'TABLE DATA' && e.filename && wanted(e)) this.files.set(e.filename, e);
    this.blobs = header.toc.some((e) => e.desc === 'BLOBS' && wanted(e));
  }

  file(name: string): { push(chunk: Uint8Array): void; end(): void } {
    const entry = this.files.get(name);
    const oid = this.blobs ? /^blob_(\d+)\.dat$/.exec(name)?.[1] : undefined;
    const rows = entry ? new RowHasher() : undefined;
    const data = oid ? createHash('sha256') : undefined;
    return {
      push: (chunk) => {
        rows?.rows(chunk);
        data?.update(chunk);
      },
      end: () => {
        if (entry && rows) {
          if (!rows.ended) throw new Error(`${name} (${entry.namespace}.${entry.tag}) does not end with "\\."`);
          this.tables.push({ entry, ...rows.digest() });
        }
        if (oid && data) this.largeObjects.add(`${oid}:${data.digest('hex')}`);
      },
    };
  }
}
