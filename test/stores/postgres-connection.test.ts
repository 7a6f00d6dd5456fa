// connect() against a server that stops as the session starts: PostgreSQL's fast shutdown can send its FATAL
// (57P01) in the same packet as the ReadyForQuery that completes the connection. The server here is a few bytes of
// the wire protocol on a loopback socket, since a real one cannot be made to time its shutdown that closely.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, parsePgUrl } from '../../src/stores/postgres/connection.ts';

/** One backend message: its type byte, an int32 length (itself included), the body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const authOk = message('R', Buffer.from([0, 0, 0, 0]));
const readyForQuery = message('Z', Buffer.from('I'));
const fatal = message(
  'E',
  Buffer.from('SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0', 'latin1'),
);

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});

describe('connecting to PostgreSQL', () => {
  it('a server that stops right as the session starts fails the next query, not the process', async () => {
    const server = createServer((socket) => {
      sockets.push(socket);
      // The startup message arrives first; the answer is the connection completing and the shutdown at once.
      socket.once('data', () => socket.write(Buffer.concat([authOk, readyForQuery, fatal])));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await connect(parsePgUrl(`postgresql://u:p@127.0.0.1:${port}/db`, 'app'), 'app');
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught).toEqual([]);
      await expect(client.query('SELECT 1')).rejects.toThrow();
      await client.end().catch(() => {});
    } finally {
      process.off('uncaughtException', onUncaught);
      server.close();
    }
  });
});
