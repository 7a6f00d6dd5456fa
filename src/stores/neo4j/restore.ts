// Logical restore of one database into an empty one: nodes in batched UNWIND writes (grouped by label set, several
// transactions in flight), each batch returning the new nodes' element ids into a temporary mapping held in this
// process (export ref -> element id; 16 bytes a node); relationships in batches that find their endpoints through
// it (an element id seek, the cheapest lookup there is), several transactions in flight on disjoint nodes; then the
// user's indexes and constraints, created on the loaded data (bulk population is faster than upkeep row by row, and
// a uniqueness constraint created last also proves the data satisfies it). Nothing temporary is ever written to the
// database, so nothing must be removed.
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';
import type { ArtifactSource } from '../types.ts';
import { graphCounts } from './export.ts';
import { artifacts, ExportRecord, readJsonArtifact, SchemaFile } from './format.ts';
import type { NodeRef } from './print.ts';
import { decodeProps, quoteName } from './values.ts';

/** A batch is also cut at this many bytes of export text (nodes with large embeddings). */
const BATCH_BYTES = 8 << 20;
const AWAIT_INDEX_SECONDS = 24 * 3600;

export interface LogicalRestoreInput {
  driver: Driver;
  store: string;
  from: string;
  to: string;
  source: ArtifactSource;
  batchSize: number;
  /** Write transactions in flight at once (relationship batches on disjoint nodes), plus the batch being prepared. */
  jobs: number;
  signal?: AbortSignal;
}

export interface LogicalRestoreOutcome {
  failures: string[];
  warnings: string[];
  nodes: number;
  relationships: number;
  /** Wall seconds of each phase: nodes, relationships, schema (creating and populating indexes and constraints). */
  phases: { nodes: number; relationships: number; schema: number };
}

/**
 * The lines of a byte stream, one iterable per chunk, each line decoded only when it is reached. A chunk is never
 * decoded into one string (strings of megabytes are external or large objects that V8 frees late, tens of MiB of
 * them), and the stream may free each chunk once its lines are read: what spans two chunks is copied.
 */
export async function* lineGroups(src: AsyncIterable<Buffer>): AsyncGenerator<Iterable<string>> {
  // A line begun in earlier chunks, in pieces (joined once: a line spanning many chunks is copied once).
  let carry: Buffer[] = [];
  for await (const chunk of src) {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      carry.push(Buffer.from(chunk));
      continue;
    }
    const first = chunk.indexOf(10);
    const head = carry.length > 0 ? Buffer.concat([...carry, chunk.subarray(0, first)]) : undefined;
    carry = last + 1 < chunk.length ? [Buffer.from(chunk.subarray(last + 1))] : [];
    yield linesIn(chunk, head === undefined ? 0 : first + 1, last, head);
  }
  if (carry.length > 0) yield [Buffer.concat(carry).toString()];
}

/** The lines of buf[start..end] (end is a newline), after `head` (a line begun in an earlier chunk). */
function* linesIn(buf: Buffer, start: number, end: number, head: Buffer | undefined): Generator<string> {
  if (head !== undefined) yield head.toString();
  let pos = start;
  while (pos <= end) {
    const nl = buf.indexOf(10, pos);
    yield buf.toString('utf8', pos, nl);
    pos = nl + 1;
  }
}

/** The temporary id mapping: export ref -> element id of the restored node, in typed arrays when both are numeric. */
export class IdMap {
  private refs: Float64Array;
  private ids: Float64Array;
  private n = 0;
  private sorted = true;
  private prefix: string | undefined;
  private readonly other = new Map<NodeRef, string>();

  /** `expected`: the node count the export recorded, so the arrays are sized once instead of grown by copying. */
  constructor(expected = 1024) {
    // Bounded: a damaged record must not allocate gigabytes up front (beyond this the arrays grow as needed).
    const capacity = Math.min(Math.max(1024, expected), 1 << 21);
    this.refs = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  set(ref: NodeRef, elementId: string): void {
    if (this.prefix === undefined) this.prefix = elementId.slice(0, elementId.lastIndexOf(':') + 1);
    const p = this.prefix;
    const tail = elementId.slice(p.length);
    if (
      typeof ref === 'number' &&
      elementId.startsWith(p) &&
      tail.length > 0 &&
      tail.length <= 15 &&
      /^\d+$/.test(tail)
    ) {
      if (this.n === this.refs.length) {
        const refs = new Float64Array(this.n * 2);
        refs.set(this.refs);
        const ids = new Float64Array(this.n * 2);
        ids.set(this.ids);
        this.refs = refs;
        this.ids = ids;
      }
      if (this.n > 0 && ref <= this.refs[this.n - 1]!) this.sorted = false;
      this.refs[this.n] = ref;
      this.ids[this.n] = Number(tail);
      this.n++;
    } else {
      this.other.set(ref, elementId);
    }
  }

  get size(): number {
    return this.n + this.other.size;
  }

  /** Call once every node is in, before get(). */
  seal(): void {
    if (this.sorted) return;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    const refs = this.refs;
    order.sort((a, b) => refs[a]! - refs[b]!);
    const sortedRefs = new Float64Array(this.n);
    const sortedIds = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      sortedRefs[i] = refs[order[i]!]!;
      sortedIds[i] = this.ids[order[i]!]!;
    }
    this.refs = sortedRefs;
    this.ids = sortedIds;
    this.sorted = true;
  }

  get(ref: NodeRef): string | undefined {
    if (typeof ref === 'number') {
      let lo = 0;
      let hi = this.n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.refs[mid]!;
        if (v === ref) return `${this.prefix}${this.ids[mid]}`;
        if (v < ref) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return this.other.get(ref);
  }
}

/** Write transactions with a bounded number in flight; the first failure stops everything. */
class Writer {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly driver: Driver,
    private readonly database: string,
    private readonly limit: number,
  ) {}

  /**
   * Starts a write transaction; `done` runs with its result once it has committed (never for a retried attempt),
   * `settled` once it has ended either way.
   */
  async submit<T>(
    work: (tx: ManagedTransaction) => Promise<T>,
    done?: (result: T) => void,
    settled?: () => void,
  ): Promise<void> {
    while (this.inFlight.size >= this.limit && this.failure === undefined) await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
    const session = this.driver.session({ database: this.database });
    const p: Promise<void> = session
      .executeWrite(work)
      .then((result) => done?.(result))
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(async () => {
        settled?.();
        this.inFlight.delete(p);
        await session.close();
      });
    this.inFlight.add(p);
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }

  async abandon(): Promise<void> {
    await Promise.allSettled(this.inFlight);
  }
}

function parseLine(line: string, artifact: string, lineNo: number): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(line);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BackdrillError('integrity', `artifact ${artifact}, line ${lineNo}: not a valid export line`);
}

function refOf(ref: unknown, artifact: string, lineNo: number): NodeRef {
  if ((typeof ref === 'number' && Number.isSafeInteger(ref)) || typeof ref === 'string') return ref;
  throw new BackdrillError('integrity', `artifact ${artifact}, line ${lineNo}: bad node reference`);
}

/** Rows of one write transaction, grouped by label set or relationship type (one query each). */
interface Batch<Group> {
  groups: Map<string, Group>;
  rows: number;
  bytes: number;
}

function newBatch<Group>(): Batch<Group> {
  return { groups: new Map(), rows: 0, bytes: 0 };
}

async function loadNodes(input: LogicalRestoreInput, ids: IdMap): Promise<number> {
  const name = artifacts.nodes(input.from);
  const writer = new Writer(input.driver, input.to, Math.max(1, input.jobs));
  const queries = new Map<string, string>();
  type Group = { refs: NodeRef[]; rows: Array<{ p: Record<string, unknown> }> };
  let batch = newBatch<Group>();
  let total = 0;
  let lineNo = 0;
  const flush = async (b: Batch<Group>) => {
    const groups = [...b.groups].map(([key, g]) => {
      let q = queries.get(key);
      if (!q) {
        const labels = (JSON.parse(key) as string[]).map((l) => `:${quoteName(l)}`).join('');
        // UNWIND keeps the rows' order, so the n-th element id is the n-th row's node.
        q = `UNWIND $rows AS row CREATE (n${labels}) SET n = row.p RETURN collect(elementId(n)) AS ids`;
        queries.set(key, q);
      }
      return { q, g };
    });
    await writer.submit(
      async (tx) => {
        const out: string[][] = [];
        for (const { q, g } of groups) out.push((await tx.run(q, { rows: g.rows })).records[0]?.get('ids') as string[]);
        return out;
      },
      (out) => {
        groups.forEach(({ g }, i) => {
          const created = out[i] ?? [];
          for (let j = 0; j < g.refs.length; j++) {
            const id = created[j];
            if (id !== undefined) ids.set(g.refs[j]!, id);
          }
        });
      },
    );
  };
  try {
    for await (const lines of lineGroups(input.source.open(name, { releaseConsumed: true }))) {
      input.signal?.throwIfAborted();
      for (const line of lines) {
        lineNo++;
        if (line.length === 0) continue;
        const o = parseLine(line, name, lineNo);
        if (!Array.isArray(o.l) || !o.l.every((l) => typeof l === 'string')) {
          throw new BackdrillError('integrity', `artifact ${name}, line ${lineNo}: bad labels`);
        }
        const key = JSON.stringify(o.l);
        let g = batch.groups.get(key);
        if (!g) {
          g = { refs: [], rows: [] };
          batch.groups.set(key, g);
        }
        g.refs.push(refOf(o.i, name, lineNo));
        g.rows.push({ p: decodeProps(o.p) });
        batch.rows++;
        batch.bytes += line.length;
        total++;
        if (batch.rows >= input.batchSize || batch.bytes >= BATCH_BYTES) {
          const full = batch;
          batch = newBatch();
          await flush(full);
        }
      }
    }
    if (batch.rows > 0) await flush(batch);
    await writer.drain();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  ids.seal();
  return total;
}

async function loadRelationships(input: LogicalRestoreInput, ids: IdMap, failures: string[]): Promise<number> {
  const name = artifacts.relationships(input.from);
  // Up to `jobs` transactions at once, on disjoint sets of nodes: creating a relationship locks both of its nodes,
  // and transactions that share nodes lock them in different orders and deadlock (retried, but the work is lost).
  // A batch takes no row with a node in a batch whose transaction is running; such rows wait for a later batch.
  const writer = new Writer(input.driver, input.to, Math.max(1, input.jobs));
  const queries = new Map<string, string>();
  type Row = { s: string; e: string; p: Record<string, unknown> };
  type Waiting = { type: string; row: Row; bytes: number };
  type RelBatch = Batch<Row[]> & { nodes: Set<string> };
  const newRelBatch = (): RelBatch => ({ ...newBatch<Row[]>(), nodes: new Set() });
  let batch = newRelBatch();
  /** The nodes of each batch whose transaction has not ended. */
  const running = new Set<Set<string>>();
  /** Rows that share a node with a running batch, in the order they came. */
  let waiting: Waiting[] = [];
  let created = 0;
  let lineNo = 0;
  const unmatched = new Map<string, number>();
  const miss = (type: string, n: number) => unmatched.set(type, (unmatched.get(type) ?? 0) + n);
  const flush = async (b: RelBatch) => {
    const groups = [...b.groups].map(([type, rows]) => {
      let q = queries.get(type);
      if (!q) {
        q =
          'UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.e ' +
          `CREATE (a)-[r:${quoteName(type)}]->(b) SET r = row.p RETURN count(r) AS n`;
        queries.set(type, q);
      }
      return { type, q, rows };
    });
    running.add(b.nodes);
    await writer.submit(
      async (tx) => {
        const counts: number[] = [];
        for (const g of groups) counts.push(Number((await tx.run(g.q, { rows: g.rows })).records[0]?.get('n') ?? 0));
        return counts;
      },
      (counts) => {
        groups.forEach((g, i) => {
          const got = counts[i] ?? 0;
          created += got;
          if (got !== g.rows.length) miss(g.type, g.rows.length - got);
        });
      },
      () => running.delete(b.nodes),
    );
  };
  const full = () => batch.rows >= input.batchSize || batch.bytes >= BATCH_BYTES;
  /** Adds a row to the batch; false when one of its nodes is in a running batch. */
  const place = ({ type, row, bytes }: Waiting): boolean => {
    for (const n of running) if (n.has(row.s) || n.has(row.e)) return false;
    let rows = batch.groups.get(type);
    if (!rows) {
      rows = [];
      batch.groups.set(type, rows);
    }
    rows.push(row);
    batch.nodes.add(row.s);
    batch.nodes.add(row.e);
    batch.rows++;
    batch.bytes += bytes;
    return true;
  };
  /** Moves the waiting rows that no longer share a node with a running batch into the batch (until it is full). */
  const fill = () => {
    const still: Waiting[] = [];
    for (const w of waiting) if (full() || !place(w)) still.push(w);
    waiting = still;
  };
  /** Submits the batch and starts the next one with the rows that waited. */
  const next = async () => {
    const b = batch;
    batch = newRelBatch();
    await flush(b);
    fill();
  };
  try {
    for await (const lines of lineGroups(input.source.open(name, { releaseConsumed: true }))) {
      input.signal?.throwIfAborted();
      for (const line of lines) {
        lineNo++;
        if (line.length === 0) continue;
        const o = parseLine(line, name, lineNo);
        if (typeof o.t !== 'string')
          throw new BackdrillError('integrity', `artifact ${name}, line ${lineNo}: bad type`);
        const start = ids.get(refOf(o.s, name, lineNo));
        const end = ids.get(refOf(o.e, name, lineNo));
        if (start === undefined || end === undefined) {
          miss(o.t, 1);
          continue;
        }
        const w = { type: o.t, row: { s: start, e: end, p: decodeProps(o.p) }, bytes: line.length };
        if (!place(w)) waiting.push(w);
        if (waiting.length >= input.batchSize) {
          // Rows keep meeting busy nodes (a node in most relationships) and must not pile up: once every running
          // transaction has ended, they fit.
          await writer.drain();
          fill();
        }
        if (full()) await next();
      }
    }
    while (batch.rows > 0 || waiting.length > 0) {
      if (batch.rows === 0) {
        // Only rows that waited are left: once every transaction has ended, they all fit.
        await writer.drain();
        fill();
      }
      await next();
    }
    await writer.drain();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  for (const [type, n] of unmatched) {
    failures.push(
      `${input.from}: ${n} relationship(s) of type ${quoteName(type)} found no endpoint node (the node export lacks them)`,
    );
  }
  return created;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** Creates the user's indexes and constraints on the loaded data; returns what failed, by name. */
/**
 * Creates the recorded constraints and indexes of one entity kind (constraints first: a failed uniqueness check is
 * the more important news); returns nothing, records what failed by name.
 */
async function createDefinitions(
  driver: Driver,
  database: string,
  schema: SchemaFile,
  entityType: 'NODE' | 'RELATIONSHIP',
  failures: string[],
  from: string,
): Promise<void> {
  const run = (q: string) => driver.executeQuery(q, {}, { database });
  for (const c of schema.constraints.filter((x) => x.entityType === entityType)) {
    try {
      await run(c.createStatement);
    } catch (err) {
      failures.push(`${from}: constraint ${quoteName(c.name)}: ${firstLine(err)}`);
    }
  }
  for (const i of schema.indexes.filter((x) => x.entityType === entityType)) {
    if (i.owningConstraint !== null || i.type === 'LOOKUP') continue;
    try {
      await run(i.createStatement);
    } catch (err) {
      failures.push(`${from}: index ${quoteName(i.name)}: ${firstLine(err)}`);
    }
  }
}

/** Matches the token lookup indexes to the backup, waits for every index, and checks each is online. */
async function finishSchema(driver: Driver, database: string, schema: SchemaFile, failures: string[], from: string) {
  const run = (q: string) => driver.executeQuery(q, {}, { database });
  // One token lookup index per entity type: keep the target's when the backup had the same, else match the backup.
  const present = await run("SHOW INDEXES YIELD name, type, entityType WHERE type = 'LOOKUP' RETURN name, entityType");
  const wanted = schema.indexes.filter((i) => i.type === 'LOOKUP');
  for (const r of present.records) {
    const name = String(r.get('name'));
    if (!wanted.some((w) => w.name === name)) await run(`DROP INDEX ${quoteName(name)}`);
  }
  for (const w of wanted) {
    if (present.records.some((r) => r.get('name') === w.name)) continue;
    try {
      await run(w.createStatement);
    } catch (err) {
      failures.push(`${from}: index ${quoteName(w.name)}: ${firstLine(err)}`);
    }
  }
  try {
    await run(`CALL db.awaitIndexes(${AWAIT_INDEX_SECONDS})`);
  } catch (err) {
    failures.push(`${from}: waiting for index population: ${firstLine(err)}`);
  }
  const states = await run('SHOW INDEXES YIELD name, state, failureMessage RETURN name, state, failureMessage');
  for (const r of states.records) {
    if (r.get('state') !== 'ONLINE') {
      failures.push(
        `${from}: index ${quoteName(String(r.get('name')))} is ${r.get('state')}: ${r.get('failureMessage') ?? ''}`,
      );
    }
  }
  if (schema.indexes.some((i) => i.type === 'FULLTEXT')) {
    // Eventually consistent full-text indexes: make what was restored searchable before the drill queries it.
    await run('CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()').catch(() => {});
  }
}

export async function restoreLogical(input: LogicalRestoreInput): Promise<LogicalRestoreOutcome> {
  const { driver, from, to, source } = input;
  const record = await readJsonArtifact(source, artifacts.record(from), ExportRecord);
  const schema = await readJsonArtifact(source, artifacts.schema(from), SchemaFile);
  const failures: string[] = [];
  const warnings: string[] = [];
  if (record.changed) {
    warnings.push(
      `${input.store}/${from}: the graph changed while this backup was exported; it restores what the export saw, ` +
        'which is not a point-in-time copy',
    );
  }
  const ids = new IdMap(record.exported.nodes);
  const seconds = (since: number) => Math.round(performance.now() - since) / 1000;
  let t = performance.now();
  const nodes = await loadNodes(input, ids);
  const phases = { nodes: seconds(t), relationships: 0, schema: 0 };
  t = performance.now();
  const relationships = await loadRelationships(input, ids, failures);
  phases.relationships = seconds(t);
  input.signal?.throwIfAborted();
  t = performance.now();
  // Measured: creating the node indexes while relationships load only slows both down on a small server.
  await createDefinitions(driver, to, schema, 'NODE', failures, from);
  await createDefinitions(driver, to, schema, 'RELATIONSHIP', failures, from);
  await finishSchema(driver, to, schema, failures, from);
  phases.schema = seconds(t);

  if (nodes !== record.exported.nodes) {
    failures.push(`${from}: the node artifact holds ${nodes} node(s), the export record says ${record.exported.nodes}`);
  }
  const now = await graphCounts(driver, to);
  if (now.nodes !== record.exported.nodes || now.relationships !== record.exported.relationships) {
    failures.push(
      `${from}: database ${to} holds ${now.nodes} node(s) and ${now.relationships} relationship(s) after the restore, ` +
        `the backup has ${record.exported.nodes} and ${record.exported.relationships}`,
    );
  }
  return { failures, warnings, nodes, relationships, phases };
}

/** Empties a database for a forced restore: constraints, indexes (not the token lookups), then the data in batches. */
export async function clearDatabase(driver: Driver, database: string): Promise<void> {
  const run = (q: string) => driver.executeQuery(q, {}, { database });
  for (const r of (await run('SHOW CONSTRAINTS YIELD name RETURN name')).records) {
    await run(`DROP CONSTRAINT ${quoteName(String(r.get('name')))} IF EXISTS`);
  }
  for (const r of (await run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")).records) {
    await run(`DROP INDEX ${quoteName(String(r.get('name')))} IF EXISTS`);
  }
  // CALL ... IN TRANSACTIONS needs an auto-commit transaction: a session's run, not executeQuery.
  const session = driver.session({ database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}
