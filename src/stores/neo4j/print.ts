// The data half of a Neo4j fingerprint, computed from the same encoded entities the export writes: counts per
// label, relationship type and property key, and order-independent content hashes that never depend on internal
// ids. A node is hashed by its labels and properties; a relationship by its type, properties and the hashes of its
// two endpoint nodes, so the same graph loaded into another server (new ids) hashes the same, and identical nodes
// simply count twice (a multiset).
import { createHash, hash } from 'node:crypto';
import type { DataSetPrint } from '../fingerprint.ts';
import { quoteName } from './values.ts';

/** How a node is referred to inside one export: its element id's number when it has one, else the element id. */
export type NodeRef = number | string;

const DIGEST = 16;

/**
 * Node ref -> first 16 bytes of the node's hash. Numeric refs (every Neo4j 5 store format) live in two typed
 * arrays (24 bytes a node, sorted once, binary-searched), so a graph of millions of nodes costs tens of MiB, not a
 * Map of millions of strings.
 */
export class NodeTable {
  private ids = new Float64Array(1024);
  private digests = new Uint8Array(1024 * DIGEST);
  private n = 0;
  private sorted = true;
  private readonly other = new Map<string, Buffer>();
  /** Refs seen twice (a node id reused while the export ran). */
  duplicates = 0;

  add(ref: NodeRef, digest: Buffer): void {
    if (typeof ref === 'string') {
      if (this.other.has(ref)) this.duplicates++;
      this.other.set(ref, Buffer.from(digest.subarray(0, DIGEST)));
      return;
    }
    if (this.n === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      const digests = new Uint8Array(this.digests.length * 2);
      digests.set(this.digests);
      this.ids = ids;
      this.digests = digests;
    }
    if (this.n > 0 && ref <= this.ids[this.n - 1]!) this.sorted = false;
    this.ids[this.n] = ref;
    this.digests.set(digest.subarray(0, DIGEST), this.n * DIGEST);
    this.n++;
  }

  /** Call once all nodes are in, before get(). */
  seal(): void {
    if (!this.sorted) {
      const order = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) order[i] = i;
      const ids = this.ids;
      order.sort((a, b) => ids[a]! - ids[b]!);
      const sortedIds = new Float64Array(this.n);
      const sortedDigests = new Uint8Array(this.n * DIGEST);
      for (let i = 0; i < this.n; i++) {
        const j = order[i]!;
        sortedIds[i] = ids[j]!;
        sortedDigests.set(this.digests.subarray(j * DIGEST, (j + 1) * DIGEST), i * DIGEST);
      }
      this.ids = sortedIds;
      this.digests = sortedDigests;
      this.sorted = true;
    }
    for (let i = 1; i < this.n; i++) if (this.ids[i] === this.ids[i - 1]) this.duplicates++;
  }

  get(ref: NodeRef): Uint8Array | undefined {
    if (typeof ref === 'string') return this.other.get(ref);
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid]!;
      if (v === ref) return this.digests.subarray(mid * DIGEST, (mid + 1) * DIGEST);
      if (v < ref) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

/**
 * SetHash's order-independent sum (SHA-256 of each element, added mod 2^256; the same digest() for the same
 * elements) with the arithmetic on eight 32-bit limbs instead of a BigInt per element, and an entry point for a
 * digest already computed: graphs have millions of entities, each in several sets.
 */
export class DigestSum {
  private readonly limbs = new Uint32Array(8);
  private n = 0;

  /** Adds the SHA-256 digest of an element (32 bytes, big-endian as SetHash reads it). */
  addDigest(d: Buffer): void {
    let carry = 0;
    for (let i = 7; i >= 0; i--) {
      const v = this.limbs[i]! + d.readUInt32BE(i * 4) + carry;
      this.limbs[i] = v;
      carry = v > 0xffffffff ? 1 : 0;
    }
    this.n++;
  }

  add(element: string | Uint8Array): void {
    this.addDigest(hash('sha256', element, 'buffer'));
  }

  get count(): number {
    return this.n;
  }

  digest(): DataSetPrint {
    let hex = '';
    for (const l of this.limbs) hex += l.toString(16).padStart(8, '0');
    return { count: this.n, hash: hex };
  }
}

function sumIn<K>(map: Map<K, DigestSum>, key: K): DigestSum {
  let s = map.get(key);
  if (!s) {
    s = new DigestSum();
    map.set(key, s);
  }
  return s;
}

/** Per name (label or type), the entities' sum and a sum per property key of the values. */
class Breakdown {
  private readonly byName = new Map<string, { all: DigestSum; keys: Map<string, DigestSum> }>();

  add(name: string, digest: Buffer, entries: Array<[string, string]>): void {
    let b = this.byName.get(name);
    if (!b) {
      b = { all: new DigestSum(), keys: new Map() };
      this.byName.set(name, b);
    }
    b.all.addDigest(digest);
    for (const [k, v] of entries) sumIn(b.keys, k).add(v);
  }

  entries(prefix: string, out: Record<string, DataSetPrint>): void {
    for (const [name, b] of this.byName) {
      out[`${prefix} ${quoteName(name)}`] = b.all.digest();
      for (const [k, s] of b.keys) out[`${prefix} ${quoteName(name)} property ${quoteName(k)}`] = s.digest();
    }
  }
}

export class GraphPrinter {
  readonly nodeTable = new NodeTable();
  private readonly nodes = new DigestSum();
  private readonly unlabeled = new DigestSum();
  private readonly relationships = new DigestSum();
  private readonly labels = new Breakdown();
  private readonly types = new Breakdown();

  /** Adds a node (labels sorted, properties as encodeEntries gives them). */
  addNode(
    ref: NodeRef,
    labelsJson: string,
    labels: readonly string[],
    entries: Array<[string, string]>,
    props: string,
  ): void {
    const digest = hash('sha256', `${labelsJson}\n${props}`, 'buffer');
    this.nodeTable.add(ref, digest);
    this.nodes.addDigest(digest);
    if (labels.length === 0) this.unlabeled.addDigest(digest);
    for (const label of labels) this.labels.add(label, digest, entries);
  }

  /** Adds a relationship whose endpoints are known; returns false (and adds nothing) when one is not. */
  addRelationship(
    type: string,
    start: NodeRef,
    end: NodeRef,
    entries: Array<[string, string]>,
    props: string,
  ): boolean {
    const s = this.nodeTable.get(start);
    const e = this.nodeTable.get(end);
    if (!s || !e) return false;
    const digest = createHash('sha256')
      .update(`${JSON.stringify(type)}\n${props}\n`)
      .update(s)
      .update(e)
      .digest();
    this.relationships.addDigest(digest);
    this.types.add(type, digest, entries);
    return true;
  }

  get nodeCount(): number {
    return this.nodes.count;
  }

  get relationshipCount(): number {
    return this.relationships.count;
  }

  /** Fingerprint data entries, each name prefixed (e.g. "neo4j: "). */
  data(prefix: string): Record<string, DataSetPrint> {
    const out: Record<string, DataSetPrint> = {};
    out[`${prefix}nodes`] = this.nodes.digest();
    out[`${prefix}relationships`] = this.relationships.digest();
    if (this.unlabeled.count > 0) out[`${prefix}nodes without labels`] = this.unlabeled.digest();
    this.labels.entries(`${prefix}label`, out);
    this.types.entries(`${prefix}relationship type`, out);
    return out;
  }
}
