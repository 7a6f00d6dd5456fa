// Loading a table's rows from a custom-format archive straight into the server, the way pg_restore does it
// (pg_backup_archiver.c restore_toc_entry: the entry's COPY statement, then each data chunk as one CopyData
// message) but without a pg_restore process and its stdin pipe in between: backdrill writes the archive's bytes
// to the server's socket itself.
//
// A data block of a pg_dump -Z0 archive is a run of chunks, each an int length (a sign byte, then intSize bytes,
// little-endian) and that many bytes of COPY text, ended by a zero length. A CopyData message is the byte 'd' and
// an int32 length (itself included, big-endian), then the bytes. With intSize 4 both headers are 5 bytes, so a
// block becomes the protocol's messages by rewriting each header in place: the rows are never copied.
//
// The table is first emptied in the same transaction (TRUNCATE ONLY: it was created empty a moment ago, so this
// changes no data) so that COPY can load it FREEZE: rows are written frozen and all-visible, as VACUUM FREEZE
// would leave them. pg_restore does the TRUNCATE too (for wal_level=minimal's benefit) but not the FREEZE. The
// index builds after the load then read the rows without checking (and dirtying) each page's hint bits, and the
// restored database owes no anti-wraparound vacuum of every table later.
import type { Socket } from 'node:net';
import type pg from 'pg';

const COPY_DATA = 0x64; // 'd'
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]); // 'c', length 4
const HEADER = 5;
/** How pg_dump ends a COPY statement (the options, FREEZE, go after it). */
const FROM_STDIN = / FROM stdin;$/;

/** What a failed COPY reports: the server's message, and where in the data it stopped. */
export class CopyError extends Error {
  constructor(
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'CopyError';
  }
}

/**
 * Rewrites a data block's chunk headers into CopyData headers, in place, as the block passes through in pieces.
 * A header cut by the end of a piece is left for the next piece, which must start with it.
 */
export class CopyFramer {
  /** Bytes of the current chunk not yet passed. */
  private remaining = 0;
  /** The block's zero-length end marker has been read (it is not passed on). */
  done = false;

  /** Frames `buf` from its start; returns how many of its bytes are ready to send. */
  frame(buf: Buffer): number {
    let i = 0;
    while (!this.done) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length - i);
        i += n;
        this.remaining -= n;
        if (this.remaining > 0) return i;
        continue;
      }
      if (buf.length - i < HEADER) return i;
      if (buf[i] !== 0) throw new Error('a data block has a negative chunk length');
      const length = buf.readUInt32LE(i + 1);
      if (length === 0) {
        this.done = true;
        return i;
      }
      if (length > 0x7fff_fffb) throw new Error(`a data chunk of ${length} bytes is larger than COPY takes`);
      buf[i] = COPY_DATA;
      buf.writeUInt32BE(length + 4, i + 1);
      i += HEADER;
      this.remaining = length;
    }
    return i;
  }
}

/** The parts of pg's Connection a COPY writes to and hears from. */
interface Connection {
  stream: Socket;
  query(text: string): void;
}

/**
 * One `COPY ... FROM STDIN` on a pg client, as a pg "submittable" (the interface pg-copy-streams uses): started()
 * resolves once the server takes data, finished() when it has committed the COPY's command (or rejects with the
 * server's error, which may come at any time).
 */
class CopyIn {
  private connection: Connection | undefined;
  private readonly ready: Promise<Connection>;
  private readonly complete: Promise<void>;
  private onReady!: (c: Connection) => void;
  private onComplete!: () => void;
  private onError!: (err: CopyError) => void;
  failed: CopyError | undefined;

  constructor(readonly text: string) {
    let fail: Array<(err: CopyError) => void> = [];
    this.ready = new Promise((resolve, reject) => {
      this.onReady = resolve;
      fail.push(reject);
    });
    this.complete = new Promise((resolve, reject) => {
      this.onComplete = resolve;
      fail.push(reject);
    });
    this.onError = (err) => {
      for (const f of fail) f(err);
      fail = [];
    };
    // Either may be rejected before anyone awaits it.
    this.ready.catch(() => {});
    this.complete.catch(() => {});
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  started(): Promise<Connection> {
    return this.ready;
  }

  finished(): Promise<void> {
    return this.complete;
  }

  handleCopyInResponse(): void {
    this.onReady(this.connection!);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.onComplete();
  }

  handleError(err: Error & { where?: string }): void {
    this.failed = new CopyError(err.message, err.where);
    this.onError(this.failed);
  }

  // Not expected during a COPY FROM; pg calls them on any query that gets these messages.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Where a COPY statement's table name ends: the first space outside double quotes. */
function copyTarget(copyStmt: string): string {
  if (!copyStmt.startsWith('COPY ')) throw new Error(`not a COPY statement: ${copyStmt.slice(0, 80)}`);
  let quoted = false;
  for (let i = 5; i < copyStmt.length; i++) {
    const ch = copyStmt[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ' ' && !quoted) return copyStmt.slice(5, i);
  }
  throw new Error(`not a COPY statement: ${copyStmt.slice(0, 80)}`);
}

export interface CopyBlock {
  /** The TOC entry's COPY statement: `COPY schema.table (columns) FROM stdin;`. */
  copyStmt: string;
  /**
   * Whether the table may be loaded frozen (TRUNCATE ONLY, then COPY FREEZE, in one transaction): it was created
   * empty by this restore. copyBlock still checks that it is a plain table (not partitioned, not foreign).
   */
  mayFreeze: boolean;
  /**
   * Reads the block's bytes after its header, from `pos` on, into `buf`: resolves with how many (at least one,
   * waiting for them if need be), rejects when there are none to come. They are rewritten in place, then sent.
   */
  read(buf: Buffer, pos: number): Promise<number>;
}

/** Whether the COPY can load FREEZE: the statement ends as pg_dump ends it and names a plain table. */
async function canFreeze(client: pg.Client, stmt: string): Promise<boolean> {
  if (!FROM_STDIN.test(stmt)) return false;
  const r = await client.query('SELECT relkind FROM pg_catalog.pg_class WHERE oid = $1::regclass', [copyTarget(stmt)]);
  return r.rows[0]?.relkind === 'r';
}

/**
 * Loads one data block into the table its COPY statement names. Rejects with CopyError when the server refuses
 * the rows, or with the server's error when it refuses the statements around them (the session is then in an
 * unknown state: dropSession), with the reader's error when reading fails.
 */
export async function copyBlock(client: pg.Client, block: CopyBlock, bufSize: number): Promise<void> {
  let stmt = block.copyStmt.trimEnd();
  const freeze = block.mayFreeze && (await canFreeze(client, stmt));
  if (freeze) {
    await client.query('BEGIN');
    await client.query(`TRUNCATE ONLY ${copyTarget(stmt)}`);
    stmt = `${stmt.replace(FROM_STDIN, '')} FROM stdin WITH (FREEZE)`;
  }
  const copy = new CopyIn(stmt);
  client.query(copy as unknown as pg.QueryConfig);
  const connection = await copy.started();
  const socket = connection.stream;
  const framer = new CopyFramer();
  const buf = Buffer.allocUnsafe(bufSize);
  let pos = 0;
  let carried = 0;
  while (!framer.done) {
    if (copy.failed) throw copy.failed;
    const n = await block.read(buf.subarray(carried), pos);
    const piece = buf.subarray(0, carried + n);
    pos += n;
    const ready = framer.frame(piece);
    if (ready > 0) await write(socket, piece.subarray(0, ready));
    // A header cut by the end of the piece goes first next time.
    carried = piece.length - ready;
    if (framer.done) break;
    if (carried > 0) buf.copy(buf, 0, ready, piece.length);
  }
  socket.write(COPY_DONE);
  await copy.finished();
  if (freeze) await client.query('COMMIT');
}

/**
 * Ends a session at once, whatever it is in the middle of (a COPY cut mid-message cannot be ended politely): the
 * server rolls back what it had not committed.
 */
export async function dropSession(client: pg.Client): Promise<void> {
  (client as unknown as { connection: Connection }).connection.stream.destroy();
  await client.end().catch(() => {});
}

function write(socket: Socket, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
