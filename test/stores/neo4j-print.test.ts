// The arithmetic under the Neo4j fingerprint (no server): the fast set sum agrees with SetHash bit for bit, the
// node table finds every node whatever order the scan delivered them in, and the restore's id map does the same.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SetHash } from '../../src/stores/fingerprint.ts';
import { DigestSum, GraphPrinter, NodeTable } from '../../src/stores/neo4j/print.ts';
import { IdMap } from '../../src/stores/neo4j/restore.ts';

describe('Neo4j fingerprint arithmetic', () => {
  it('sums exactly like SetHash, including carries across every limb', () => {
    const elements = [
      ...Array.from({ length: 500 }, () => randomBytes(1 + Math.floor(Math.random() * 40))),
      Buffer.from('same'),
      Buffer.from('same'),
    ];
    const reference = new SetHash();
    const fast = new DigestSum();
    const viaDigest = new DigestSum();
    for (const e of elements) {
      reference.add(e);
      fast.add(e);
      viaDigest.addDigest(createHash('sha256').update(e).digest());
    }
    expect(fast.digest()).toEqual(reference.digest());
    expect(viaDigest.digest()).toEqual(reference.digest());
    expect(new DigestSum().digest()).toEqual(new SetHash().digest());
  });

  it('finds nodes by ref whatever order they arrived in, with string refs alongside', () => {
    const table = new NodeTable();
    const refs = Array.from({ length: 5000 }, (_, i) => i * 3 + 1).sort(() => Math.random() - 0.5);
    for (const r of refs) table.add(r, createHash('sha256').update(String(r)).digest());
    table.add('5:opaque:element-id', createHash('sha256').update('s').digest());
    table.seal();
    for (const r of refs) {
      expect(Buffer.from(table.get(r)!)).toEqual(createHash('sha256').update(String(r)).digest().subarray(0, 16));
    }
    expect(table.get(2)).toBeUndefined();
    expect(table.get('5:opaque:element-id')).toBeDefined();
    expect(table.duplicates).toBe(0);
    table.add(4, createHash('sha256').update('again').digest());
    table.seal();
    expect(table.duplicates).toBe(1);
  });

  it('hashes the same graph the same whatever ids the server gave it', () => {
    const build = (offset: number, order: number[]) => {
      const p = new GraphPrinter();
      const labels = ['["A"]', '["A"]', '[]'];
      for (const i of order) p.addNode(i + offset, labels[i]!, i < 2 ? ['A'] : [], [['k', '1']], '{"k":1}');
      p.nodeTable.seal();
      p.addRelationship('R', offset, offset + 2, [], '{}');
      p.addRelationship('R', offset + 1, offset + 2, [], '{}');
      return p.data('db: ');
    };
    expect(build(1000, [2, 0, 1])).toEqual(build(0, [0, 1, 2]));
  });

  it('maps export refs to restored element ids, numeric or not', () => {
    const ids = new IdMap();
    const refs = Array.from({ length: 3000 }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (const r of refs) ids.set(r, `4:db-uuid:${r + 100000}`);
    ids.set('4:other:x', '4:db-uuid:abc');
    ids.set(7.5e9, '4:db-uuid:1');
    ids.seal();
    for (const r of refs) expect(ids.get(r)).toBe(`4:db-uuid:${r + 100000}`);
    expect(ids.get('4:other:x')).toBe('4:db-uuid:abc');
    expect(ids.get(7.5e9)).toBe('4:db-uuid:1');
    expect(ids.get(999999)).toBeUndefined();
    expect(ids.size).toBe(3002);
  });
});
