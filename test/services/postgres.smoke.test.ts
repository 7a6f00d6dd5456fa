import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase, services } from './context.ts';

const exec = promisify(execFile);

describe('real PostgreSQL test service', () => {
  it('gives each test a fresh database that the real pg client can write and read', async () => {
    const a = await freshDatabase();
    const b = await freshDatabase();
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client(a.config);
    await client.connect();
    try {
      await client.query('CREATE TABLE t (id int primary key, note text)');
      await client.query("INSERT INTO t VALUES (1, 'first'), (2, 'zweite ✓')");
      const { rows } = await client.query('SELECT note FROM t ORDER BY id');
      expect(rows.map((r) => r.note)).toEqual(['first', 'zweite ✓']);
      const other = new pg.Client(b.config);
      await other.connect();
      const tables = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      await other.end();
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('ships pg_dump of the same major version as the server', async () => {
    const { postgres } = services();
    const { stdout } = await exec(join(postgres.binDir, 'pg_dump'), ['--version']);
    expect(stdout).toContain(`(PostgreSQL) ${postgres.version.split('.')[0]}.`);
  });

  it('rejects a wrong password, so tests exercise real authentication', async () => {
    const db = await freshDatabase();
    const client = new pg.Client({ ...db.config, password: 'wrong' });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });
});
