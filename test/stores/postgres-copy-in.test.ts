// The archive's data chunks become the protocol's CopyData messages in place, however the block is cut into pieces.
import { describe, expect, it } from 'vitest';
import { CopyFramer } from '../../src/stores/postgres/copy-in.ts';

/** A data block's body as pg_dump -Z0 writes it: each row as a chunk (sign byte, length LE; never empty), then a
 * zero length. */
function archiveChunks(rows: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of [...rows, Buffer.alloc(0)]) {
    const h = Buffer.alloc(5);
    h.writeUInt32LE(r.length, 1);
    parts.push(h, r);
  }
  return Buffer.concat(parts);
}

/** What the server must receive: one CopyData message per row. */
function copyMessages(rows: Buffer[]): Buffer {
  return Buffer.concat(
    rows.flatMap((r) => {
      const h = Buffer.alloc(5);
      h[0] = 0x64;
      h.writeUInt32BE(r.length + 4, 1);
      return [h, r];
    }),
  );
}

/** Feeds `body` to a framer in pieces cut at `cuts`, carrying an unframed tail into the next piece as loads do. */
function frameInPieces(body: Buffer, cuts: number[]): { sent: Buffer; done: boolean } {
  const framer = new CopyFramer();
  const sent: Buffer[] = [];
  let carried = Buffer.alloc(0);
  let pos = 0;
  for (const cut of [...cuts, body.length]) {
    const piece = Buffer.concat([carried, body.subarray(pos, cut)]);
    pos = cut;
    const ready = framer.frame(piece);
    sent.push(Buffer.from(piece.subarray(0, ready)));
    carried = Buffer.from(piece.subarray(ready));
    if (framer.done) break;
  }
  return { sent: Buffer.concat(sent), done: framer.done };
}

describe('CopyFramer', () => {
  const rows = ['1\talice\n', '2\t\\N\n', '3\tbob with a longer row of text\n', '\\.\n\n\n'].map((r) => Buffer.from(r));
  const body = archiveChunks(rows);

  it('turns each chunk into a CopyData message and stops at the end marker, in one piece', () => {
    expect(frameInPieces(Buffer.from(body), [])).toEqual({ sent: copyMessages(rows), done: true });
  });

  it('gives the same messages however the block is cut, once or twice', () => {
    for (let a = 0; a <= body.length; a++) {
      for (let b = a; b <= body.length; b += 3) {
        expect(frameInPieces(Buffer.from(body), [a, b])).toEqual({ sent: copyMessages(rows), done: true });
      }
    }
  });

  it('refuses a negative chunk length', () => {
    const bad = Buffer.from(body);
    bad[0] = 1;
    expect(() => new CopyFramer().frame(bad)).toThrow(/negative chunk length/);
  });
});
