// A drill across PostgreSQL and Neo4j, both restored into local sandboxes (PostgreSQL server binaries and the
// Neo4j 5.26 jars of the test install), with a cross-store rule over the people in both.
import neo4j from 'neo4j-driver';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackdrillConfig } from '../../src/config/schema.ts';
import { ChecksFile, expandBuiltins } from '../../src/drill/checks.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { backupSet } from '../../src/stores/set.ts';
import { backendFor, initRepo, newLocation } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { installNeo4j, type Neo4jServer, startNeo4j } from '../services/neo4j.ts';
import { connectionUrl } from '../services/postgres.ts';

let graph: Neo4jServer;
beforeAll(async () => {
  graph = await startNeo4j();
}, 300_000);
afterAll(async () => {
  await graph?.stop({ removeHome: true });
});

describe('drill across PostgreSQL and Neo4j (local sandboxes for both)', () => {
  it('restores both, matches both fingerprints, and the cross-store rule names a person missing from the graph', async () => {
    const app = await freshDatabase('people');
    const c = new pg.Client(app.config);
    await c.connect();
    await c.query(`CREATE TABLE people (id int PRIMARY KEY, name text);
                   INSERT INTO people SELECT i, 'p' || i FROM generate_series(1, 30) i;`);
    await c.end();
    const driver = neo4j.driver(graph.info.boltUrl, neo4j.auth.basic(graph.info.user, graph.info.password));
    const session = driver.session();
    await session.run('MATCH (n) DETACH DELETE n');
    await session.run('UNWIND range(1, 30) AS i WITH i WHERE i <> 13 CREATE (:Person {id: i, name: "p" + i})');
    await session.run('MATCH (a:Person), (b:Person) WHERE b.id = a.id + 1 CREATE (a)-[:KNOWS {since: 2020}]->(b)');
    await session.run('CREATE INDEX person_id IF NOT EXISTS FOR (p:Person) ON (p.id)');
    await session.close();
    await driver.close();

    const { libDir } = await installNeo4j();
    const config = BackdrillConfig.parse({
      version: 1,
      repository: { location: 'unused' },
      stores: [
        {
          name: 'app',
          kind: 'postgres',
          url: connectionUrl(services().postgres, 'postgres'),
          databases: [app.name],
          globals: false,
        },
        { name: 'graph', kind: 'neo4j', url: graph.info.boltUrl, user: graph.info.user, password: graph.info.password },
      ],
      drill: { provider: 'local', local: { postgresBinDir: services().postgres.binDir, neo4jHome: libDir } },
    });
    const checks = expandBuiltins(
      ChecksFile.parse({
        version: 1,
        checks: [
          { name: 'knows edges', store: 'graph', cypher: 'MATCH ()-[r:KNOWS]->() RETURN count(r)', expect: { min: 1 } },
        ],
        rules: [
          {
            name: 'every person is in the graph',
            kind: 'equal',
            left: { store: 'app', sql: 'SELECT id::text FROM people' },
            right: { store: 'graph', cypher: 'MATCH (p:Person) RETURN p.id' },
          },
          { name: 'no duplicate KNOWS', builtin: 'duplicate-relationships', store: 'graph', type: 'KNOWS' },
        ],
      }),
    );
    const repo = await initRepo(backendFor(await newLocation('folder')));
    try {
      await backupSet(repo, config, config.stores);
      const report = await runDrill(repo, { config, drill: config.drill, checks });
      expect(report.stores.map((s) => [s.store, s.sandbox?.provider, s.restore.ok, s.fingerprint.ok])).toEqual([
        ['app', 'local', true, true],
        ['graph', 'local', true, true],
      ]);
      expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
        ['knows edges', true],
        ['no duplicate KNOWS', true],
        ['every person is in the graph', false],
      ]);
      const rule = report.checks.find((x) => x.name === 'every person is in the graph')!;
      expect(rule.samples).toEqual(['13']);
      expect(report.passed).toBe(false);
    } finally {
      await repo.close();
    }
  }, 600_000);
});
