// Which post-data entries a restore may run before the others (overlapped.ts PostDataPlan): an index or constraint
// once every entry it depends on is in, a dependency on a table counting as one on its loaded rows.
import { describe, expect, it } from 'vitest';
import type { TocEntry } from '../../src/stores/postgres/archive.ts';
import { PostDataPlan } from '../../src/stores/postgres/overlapped.ts';

function entry(dumpId: number, desc: string, tag: string, section: number, dependencies: number[] = []): TocEntry {
  return { dumpId, hadDumper: false, tag, desc, namespace: 'public', copyStmt: null, section, dependencies };
}

// A TOC as pg_dump writes it: a, b and the partitioned p (no rows of its own) in pre-data, their rows, then the
// post-data entries; the comment has no section of its own (it follows the entry before it).
const toc = [
  entry(1, 'TABLE', 'a', 2),
  entry(2, 'TABLE', 'b', 2),
  entry(3, 'TABLE', 'p', 2),
  entry(4, 'MATERIALIZED VIEW', 'm', 2, [1]),
  entry(10, 'TABLE DATA', 'a', 3, [1]),
  entry(11, 'TABLE DATA', 'b', 3, [2]),
  entry(20, 'CONSTRAINT', 'a a_pkey', 4, [1]),
  entry(21, 'INDEX', 'a_v_idx', 4, [1]),
  entry(22, 'COMMENT', 'INDEX a_v_idx', 1, [21]),
  entry(23, 'FK CONSTRAINT', 'b b_a_fk', 4, [2, 20]),
  entry(24, 'INDEX', 'p_idx', 4, [3]),
  entry(25, 'TRIGGER', 'a a_trg', 4, [1]),
  entry(26, 'MATERIALIZED VIEW DATA', 'm', 4, [4]),
];
const sections = new Map(
  toc.map((e, i) => [e, e.section === 1 ? toc[i - 1]!.section : e.section] as [TocEntry, number]),
);

describe('post-data entries that may go in early', () => {
  it('nothing before the rows of a table the entry is on are loaded', () => {
    expect(new PostDataPlan(toc, sections).next(new Set())).toBeUndefined();
  });

  it("a table's indexes and constraints once its rows are loaded, one at a time, in TOC order", () => {
    const plan = new PostDataPlan(toc, sections);
    const loaded = new Set([10]);
    const first = plan.next(loaded)!;
    expect(first.tag).toBe('a a_pkey');
    plan.taken.add(first.dumpId);
    expect(plan.next(loaded)!.tag).toBe('a_v_idx');
    plan.taken.add(21);
    // Not the trigger (not an index or constraint), not the foreign key (b's rows are not in).
    expect(plan.next(loaded)).toBeUndefined();
  });

  it('a foreign key once both tables are loaded and the key it references is built', () => {
    const plan = new PostDataPlan(toc, sections);
    const loaded = new Set([10, 11]);
    for (const id of [20, 21]) plan.taken.add(id);
    // a_pkey was taken but its run has not succeeded: the foreign key waits.
    expect(plan.next(loaded)).toBeUndefined();
    plan.done.add(20);
    expect(plan.next(loaded)!.tag).toBe('b b_a_fk');
  });

  it('never an entry on a table without rows of its own, nor a materialized view refresh', () => {
    const plan = new PostDataPlan(toc, sections);
    for (const id of [20, 21, 23]) plan.taken.add(id);
    plan.done.add(20);
    expect(plan.next(new Set([10, 11]))).toBeUndefined();
    expect(plan.rest().map((e) => e.dumpId)).toEqual([22, 24, 25, 26]);
  });

  it('the final run gets every post-data entry no early run took, comments that follow them included', () => {
    const plan = new PostDataPlan(toc, sections);
    expect(plan.rest().map((e) => e.dumpId)).toEqual([20, 21, 22, 23, 24, 25, 26]);
    plan.taken.add(21);
    expect(plan.rest().map((e) => e.dumpId)).toEqual([20, 22, 23, 24, 25, 26]);
  });
});
