// The online logical export of one database over Bolt: nodes, then relationships, each one streaming query whose
// records are pulled only as fast as the repository takes the bytes (driver watermarks give the backpressure), so
// memory stays flat whatever the graph's size. Every entity feeds the fingerprint as it passes, from the very text
// that is written. Relationships whose endpoint was not in the node scan (created meanwhile) are left out and
// counted, so a restore of the export is always self-consistent.
import neo4j, { type Driver, type Node, type Relationship } from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';
import type { GraphCounts } from './format.ts';
import { GraphPrinter, type NodeRef } from './print.ts';
import { encodeEntries, propsJson } from './values.ts';

/** Bytes handed to the repository at a time. */
const FLUSH_BYTES = 1 << 20;
/** Records pulled per Bolt round trip; bounded because one node may carry a large embedding. */
const FETCH_SIZE = 1000;

export async function graphCounts(driver: Driver, database: string): Promise<GraphCounts> {
  // Both counts come from the count store: constant time whatever the graph's size.
  const res = await driver.executeQuery(
    'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
    {},
    { database, routing: neo4j.routing.READ },
  );
  const r = res.records[0]!;
  return { nodes: Number(r.get('nodes')), relationships: Number(r.get('relationships')) };
}

function describe(err: unknown): string {
  if (err instanceof RangeError) {
    // The driver turns a zoned DateTime into wall-clock fields with Intl, which knows years -271821..275760 only.
    return (
      `${err.message}: a DateTime with a named time zone outside the years -271821..275760, or with a zone id ` +
      "unknown to Node's ICU data, cannot be read exactly over Bolt by this driver; the export stops rather than alter it"
    );
  }
  return err instanceof Error ? err.message : String(err);
}

export class GraphExport {
  readonly printer = new GraphPrinter();
  skippedRelationships = 0;
  private prefix: string | undefined;

  constructor(
    private readonly driver: Driver,
    readonly database: string,
  ) {}

  /** A short, stable ref for a node element id ("4:<db uuid>:123" -> 123) within this export. */
  private ref(elementId: string): NodeRef {
    if (this.prefix === undefined) this.prefix = elementId.slice(0, elementId.lastIndexOf(':') + 1);
    const p = this.prefix;
    if (elementId.length > p.length && elementId.length - p.length <= 15 && elementId.startsWith(p)) {
      let n = 0;
      for (let i = p.length; i < elementId.length; i++) {
        const c = elementId.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return elementId;
        n = n * 10 + c;
      }
      return n;
    }
    return elementId;
  }

  private async *stream(
    query: string,
    line: (record: unknown) => string | undefined,
    write: boolean,
  ): AsyncGenerator<Buffer> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: neo4j.session.READ,
      fetchSize: FETCH_SIZE,
    });
    try {
      // Each line goes straight into the outgoing buffer: lines collected as strings until a flush would all
      // survive several young-generation collections, and V8 answers steady survival by growing its young
      // generation (to 128 MiB on a large machine), which was most of the export's peak RSS.
      let out = Buffer.allocUnsafeSlow(FLUSH_BYTES);
      let used = 0;
      for await (const record of session.run(query)) {
        const text = line(record.get(0));
        if (text === undefined || !write) continue;
        // UTF-8 takes at most 3 bytes per UTF-16 code unit: count the bytes only when the line may not fit.
        if (FLUSH_BYTES - used < text.length * 3) {
          const bytes = Buffer.byteLength(text);
          if (FLUSH_BYTES - used < bytes) {
            if (used > 0) {
              // The consumer may keep what it was given (the chunker does, until its chunk completes).
              yield out.subarray(0, used);
              out = Buffer.allocUnsafeSlow(FLUSH_BYTES);
              used = 0;
            }
            if (bytes > FLUSH_BYTES) {
              yield Buffer.from(text);
              continue;
            }
          }
        }
        used += out.write(text, used);
      }
      if (used > 0) yield out.subarray(0, used);
    } finally {
      await session.close();
    }
  }

  /** The node artifact's bytes (write=false: only the fingerprint). All nodes must pass before relationships. */
  nodes(write = true): AsyncGenerator<Buffer> {
    return this.stream(
      'MATCH (n) RETURN n',
      (value) => {
        const n = value as Node;
        const labels = [...n.labels].sort();
        let entries: Array<[string, string]>;
        try {
          entries = encodeEntries(n.properties);
        } catch (err) {
          throw new BackdrillError('fatal', `database ${this.database}, node ${n.elementId}: ${describe(err)}`, {
            cause: err,
          });
        }
        const props = propsJson(entries);
        const ref = this.ref(n.elementId);
        const labelsJson = JSON.stringify(labels);
        this.printer.addNode(ref, labelsJson, labels, entries, props);
        return `{"i":${JSON.stringify(ref)},"l":${labelsJson},"p":${props}}\n`;
      },
      write,
    );
  }

  relationships(write = true): AsyncGenerator<Buffer> {
    let sealed = false;
    return this.stream(
      'MATCH ()-[r]->() RETURN r',
      (value) => {
        if (!sealed) {
          this.printer.nodeTable.seal();
          sealed = true;
        }
        const r = value as Relationship;
        let entries: Array<[string, string]>;
        try {
          entries = encodeEntries(r.properties);
        } catch (err) {
          throw new BackdrillError(
            'fatal',
            `database ${this.database}, relationship ${r.elementId}: ${describe(err)}`,
            {
              cause: err,
            },
          );
        }
        const props = propsJson(entries);
        const s = this.ref(r.startNodeElementId);
        const e = this.ref(r.endNodeElementId);
        if (!this.printer.addRelationship(r.type, s, e, entries, props)) {
          this.skippedRelationships++;
          return undefined;
        }
        return `{"s":${JSON.stringify(s)},"e":${JSON.stringify(e)},"t":${JSON.stringify(r.type)},"p":${props}}\n`;
      },
      write,
    );
  }
}
