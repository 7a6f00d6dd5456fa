// Smoke test of the Neo4j test service itself: a real server takes writes, and neo4j-admin dump/load round-trips
// its database with the DBMS stopped, which is what the Neo4j store adapter relies on for Community.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearNeo4j, NEO4J_VERSION, type Neo4jServer, neo4jAdmin, startNeo4j } from './neo4j.ts';

const LONG = 180_000;

describe('Neo4j test service', () => {
  let server: Neo4jServer;
  const dumpDir = mkdtempSync(join(tmpdir(), 'backdrill-neo4j-dump-'));

  beforeAll(async () => {
    server = await startNeo4j();
  }, LONG);

  afterAll(async () => {
    await server?.stop({ removeHome: true });
    rmSync(dumpDir, { recursive: true, force: true });
  }, LONG);

  function connect(): Driver {
    return neo4j.driver(server.info.boltUrl, neo4j.auth.basic(server.info.user, server.info.password));
  }

  async function people(driver: Driver): Promise<string[]> {
    const res = await driver.executeQuery(
      'MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN a.name + "->" + b.name AS edge ORDER BY edge',
      {},
      { database: 'neo4j' },
    );
    return res.records.map((r) => r.get('edge') as string);
  }

  it(
    'serves Bolt with auth and keeps what it is given',
    async () => {
      expect(server.info.version).toBe(NEO4J_VERSION);
      expect(server.info.boltUrl).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
      const driver = connect();
      try {
        await driver.executeQuery(
          "CREATE (:Person {name: 'ada'})-[:KNOWS {since: 1843}]->(:Person {name: 'charles'})",
          {},
          { database: 'neo4j' },
        );
        await driver.executeQuery(
          'CREATE CONSTRAINT person_name FOR (p:Person) REQUIRE p.name IS UNIQUE',
          {},
          {
            database: 'neo4j',
          },
        );
        expect(await people(driver)).toEqual(['ada->charles']);

        const wrong = neo4j.driver(server.info.boltUrl, neo4j.auth.basic('neo4j', 'not-the-password'));
        await expect(wrong.executeQuery('RETURN 1')).rejects.toThrow(/authentication|unauthorized/i);
        await wrong.close();
      } finally {
        await driver.close();
      }
    },
    LONG,
  );

  it(
    'dumps and loads the database with the DBMS stopped',
    async () => {
      await server.stop();
      const dump = await neo4jAdmin(server.info.home, ['database', 'dump', 'neo4j', `--to-path=${dumpDir}`]);
      expect(dump.code, dump.stderr + dump.stdout).toBe(0);
      const dumpFile = join(dumpDir, 'neo4j.dump');
      expect(existsSync(dumpFile), `files in ${dumpDir}: ${readdirSync(dumpDir).join(', ')}`).toBe(true);
      expect(statSync(dumpFile).size).toBeGreaterThan(0);

      const load = await neo4jAdmin(server.info.home, [
        'database',
        'load',
        'neo4j',
        `--from-path=${dumpDir}`,
        '--overwrite-destination=true',
      ]);
      expect(load.code, load.stderr + load.stdout).toBe(0);

      await server.start();
      const driver = connect();
      try {
        expect(await people(driver)).toEqual(['ada->charles']);
        const constraints = await driver.executeQuery(
          'SHOW CONSTRAINTS YIELD name RETURN name',
          {},
          {
            database: 'neo4j',
          },
        );
        expect(constraints.records.map((r) => r.get('name'))).toEqual(['person_name']);
      } finally {
        await driver.close();
      }
    },
    LONG,
  );

  it(
    'clears data, constraints and indexes but keeps the token lookup indexes',
    async () => {
      const driver = connect();
      try {
        await driver.executeQuery('CREATE INDEX person_age FOR (p:Person) ON (p.age)', {}, { database: 'neo4j' });
        await clearNeo4j(server.info);
        const count = await driver.executeQuery('MATCH (n) RETURN count(n) AS n', {}, { database: 'neo4j' });
        expect(Number(count.records[0]?.get('n'))).toBe(0);
        const idx = await driver.executeQuery('SHOW INDEXES YIELD type RETURN type', {}, { database: 'neo4j' });
        expect(idx.records.map((r) => r.get('type'))).toEqual(['LOOKUP', 'LOOKUP']);
        const cons = await driver.executeQuery('SHOW CONSTRAINTS', {}, { database: 'neo4j' });
        expect(cons.records).toHaveLength(0);
      } finally {
        await driver.close();
      }
    },
    LONG,
  );
});
