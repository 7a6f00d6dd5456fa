// How a logical restore reads an export artifact back into lines (no server): whatever the chunk boundaries, and
// with each chunk freed once its lines are read, the lines are exactly those of the whole text.
import { describe, expect, it } from 'vitest';
import { lineGroups } from '../../src/stores/neo4j/restore.ts';

async function linesOf(chunks: Buffer[]): Promise<string[]> {
  async function* source() {
    for (const c of chunks) {
      yield c;
      // As readArtifact with releaseConsumed does: the chunk's memory is gone once the next one is asked for.
      c.fill(0);
    }
  }
  const out: string[] = [];
  for await (const group of lineGroups(source())) for (const line of group) out.push(line);
  return out;
}

/** The bytes of `text` cut at the given offsets. */
function cut(text: string, at: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const bounds = [0, ...at, bytes.length];
  return bounds.slice(1).map((end, i) => Buffer.from(bytes.subarray(bounds[i], end)));
}

describe('Neo4j restore lines', () => {
  const text =
    '{"i":1,"p":{"k":"ä€😀"}}\n\n{"i":2}\n{"i":3,"p":{"name":"a much longer line than the others"}}\n{"i":4}';
  const expected = text.split('\n');

  it('gives the same lines for every way of cutting the bytes into chunks, multi-byte characters included', async () => {
    const n = Buffer.byteLength(text);
    for (let a = 0; a <= n; a++) {
      for (let b = a; b <= n; b += 7) expect(await linesOf(cut(text, [a, b]))).toEqual(expected);
    }
  });

  it('reads a final line without a newline, and no empty line after a final newline', async () => {
    expect(await linesOf(cut('a\nb\n', [1]))).toEqual(['a', 'b']);
    expect(await linesOf(cut('a\nb', [3]))).toEqual(['a', 'b']);
    expect(await linesOf([])).toEqual([]);
  });
});
