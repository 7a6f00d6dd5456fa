// Neo4j store against real Neo4j 5.26 Community servers (private instances: Community has one user database, so
// sharing the suite's instance would race other files). Logical backup into a real repository and exact restore
// into a fresh server, named differences after damage, neo4j-admin dump/load, honest consistency under concurrent
// writes, and the errors a user meets first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.ts';
import { BackdrillError } from '../../src/errors.ts';
import type { Snapshot } from '../../src/repo/format.ts';
import type { Repository } from '../../src/repo/repository.ts';
import { compareFingerprints, Fingerprint } from '../../src/stores/fingerprint.ts';
import { Neo4jAdapter, type Neo4jTarget } from '../../src/stores/neo4j/adapter.ts';
import { Neo4jStoreConfig } from '../../src/stores/neo4j/config.ts';
import { ExportRecord } from '../../src/stores/neo4j/format.ts';
import { backupStore, compareStore, repoSource, restoreStore } from '../../src/stores/run.ts';
import { type ArtifactSource, IncompleteRestoreError } from '../../src/stores/types.ts';
import { backendFor, initRepo, newLocation } from '../helpers/repo.ts';
import { freePort } from '../services/common.ts';
import { type Neo4jServer, startNeo4j } from '../services/neo4j.ts';
import type { Neo4jInfo } from '../services/types.ts';
import {
  autoCommit,
  DB,
  driverFor,
  EXPECTED_SERVER_CHECKS,
  graphFacts,
  q,
  seedRichGraph,
  serverSideChecks,
} from './neo4j-fixture.ts';

const LONG = 300_000;

function storeConfig(info: Neo4jInfo, extra: Record<string, unknown> = {}): Neo4jStoreConfig {
  return Neo4jStoreConfig.parse({
    kind: 'neo4j',
    name: 'graph',
    url: info.boltUrl,
    user: info.user,
    password: info.password,
    batchSize: 100,
    ...extra,
  });
}

/** The neo4j-admin of a test home: the service runs it from the shared jar cache, as the server itself. */
function adminCommand(home: string): string[] {
  const { libDir } = JSON.parse(readFileSync(join(home, 'backdrill-neo4j.json'), 'utf8')) as { libDir: string };
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return [java, '-Xmx256m', '-XX:+UseSerialGC', '-cp', join(libDir, '*'), 'org.neo4j.server.startup.Neo4jAdminCommand'];
}

function liveTarget(info: Neo4jInfo): Neo4jTarget {
  return {
    conn: { url: info.boltUrl, user: info.user, password: info.password },
    databases: [{ from: DB, to: DB }],
    mode: 'logical',
    dump: undefined,
  };
}

async function liveFingerprint(info: Neo4jInfo): Promise<Fingerprint> {
  return new Neo4jAdapter(storeConfig(info)).fingerprint(liveTarget(info));
}

async function rejection(p: Promise<unknown>): Promise<BackdrillError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the operation to fail').toBeInstanceOf(BackdrillError);
  return err as BackdrillError;
}

let source: Neo4jServer;
let target: Neo4jServer;
let repo: Repository;
let logical: Snapshot;

beforeAll(async () => {
  [source, target, repo] = await Promise.all([
    startNeo4j(),
    startNeo4j(),
    newLocation('folder').then((l) => initRepo(backendFor(l))),
  ]);
  const driver = driverFor(source.info);
  try {
    await seedRichGraph(driver);
  } finally {
    await driver.close();
  }
}, LONG);

afterAll(async () => {
  await repo?.close();
  await Promise.allSettled([source?.stop({ removeHome: true }), target?.stop({ removeHome: true })]);
}, LONG);

describe('Neo4j logical backup and restore on real Neo4j 5.26 Community', () => {
  it(
    'restores every Cypher type, label, relationship, index and constraint into a fresh server exactly',
    async () => {
      const config = storeConfig(source.info);
      const probe = await new Neo4jAdapter(config).probe();
      expect(probe.version).toBe('5.26.30');
      expect(probe.details).toMatchObject({
        edition: 'community',
        apoc: false,
        databases: [{ name: DB, status: 'online' }],
      });

      const backup = await backupStore(repo, config, { tags: ['test'] });
      logical = backup.snapshot;
      expect(backup.warnings).toEqual([]);
      expect(logical.artifacts.map((a) => a.name).sort()).toEqual([
        'databases/neo4j/export.json',
        'databases/neo4j/nodes.jsonl',
        'databases/neo4j/relationships.jsonl',
        'databases/neo4j/schema.json',
      ]);
      const capture = logical.capture as {
        serverVersion: string;
        details: { pointInTime: boolean; databases: unknown[] };
      };
      expect(capture.serverVersion).toBe('5.26.30');
      expect(capture.details.pointInTime).toBe(true);
      const record = ExportRecord.parse(capture.details.databases[0]);
      expect(record).toMatchObject({
        changed: false,
        skippedRelationships: 0,
        exported: { nodes: 8, relationships: 10 },
      });
      expect(record.before).toEqual(record.exported);
      expect(record.after).toEqual(record.exported);

      // The fingerprint names what a drill will compare: per label, type, property key and schema object.
      const fp = Fingerprint.parse(logical.fingerprint);
      expect(fp.data['neo4j: nodes']?.count).toBe(8);
      expect(fp.data['neo4j: relationships']?.count).toBe(10);
      expect(fp.data['neo4j: label `Dup`']?.count).toBe(2);
      expect(fp.data['neo4j: nodes without labels']?.count).toBe(2);
      expect(fp.data['neo4j: label `back``tick`']?.count).toBe(1);
      expect(fp.data['neo4j: relationship type `PAR`']?.count).toBe(4);
      expect(fp.data['neo4j: relationship type `関係` property `k`']?.count).toBe(2);
      expect(fp.data['neo4j: label `Typed` property `key with space`']?.count).toBe(1);
      for (const name of ['user_email', 'user_name', 'rel key'])
        expect(fp.schema[`neo4j: constraint \`${name}\``]).toBeDefined();
      for (const name of [
        'range_typed',
        'range odd',
        'range_rel',
        'text_user',
        'text_rel',
        'point_user',
        'point_rel',
        'ft_nodes',
        'ft_rels',
        'vec',
      ]) {
        expect(fp.schema[`neo4j: index \`${name}\``], name).toBeDefined();
      }

      const restored = await restoreStore(repo, config, logical, { target: target.info.boltUrl });
      expect(restored.warnings).toEqual([]);
      expect(restored.safety).toBeUndefined();
      // The RTO breakdown a user sees after the restore: each phase timed, within the whole restore's duration.
      expect(Object.keys(restored.phases ?? {})).toEqual(['neo4j nodes', 'neo4j relationships', 'neo4j schema']);
      const phaseSum = Object.values(restored.phases ?? {}).reduce((a, b) => a + b, 0);
      expect(phaseSum * 1000).toBeLessThanOrEqual(restored.durationMs + 1);
      expect(await compareStore(repo, config, logical, target.info.boltUrl)).toEqual([]);

      const [src, dst] = [driverFor(source.info), driverFor(target.info)];
      try {
        const [want, got] = await Promise.all([graphFacts(src), graphFacts(dst)]);
        expect(got.nodes).toEqual(want.nodes);
        expect(got.relationships).toEqual(want.relationships);
        expect(got.indexes).toEqual(want.indexes);
        expect(got.constraints).toEqual(want.constraints);
        expect(got.fulltextNodes).toEqual(want.fulltextNodes);
        expect(got.fulltextNodes.length).toBeGreaterThan(0);
        expect(got.fulltextRels).toEqual(['r1']);
        expect(got.vector).toEqual(want.vector);
        expect(got.vector[0]).toMatch(/^u1 /);
        expect(got.shapes).toEqual(want.shapes);
        expect(JSON.parse(got.shapes[0]!)).toEqual({ selfLoops: 2, parallel: 3, unlabeled: 2, odd: ['odd'] });
        // Exactness as the server itself sees it, independent of backdrill's own encoding.
        expect(await serverSideChecks(dst)).toEqual(EXPECTED_SERVER_CHECKS);
        // The temporary id mapping never touched the database: no label, property key or index of backdrill's.
        const [tokens] = await q(
          dst,
          `CALL () { CALL db.labels() YIELD label RETURN collect(label) AS labels }
           CALL () { CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS keys }
           RETURN labels, keys`,
        );
        expect(JSON.stringify(tokens!.toObject()).toLowerCase()).not.toContain('backdrill');
        expect(got.indexes.some((i) => i.toLowerCase().includes('backdrill'))).toBe(false);
      } finally {
        await Promise.all([src.close(), dst.close()]);
      }
    },
    LONG,
  );

  it(
    'names what differs when a relationship, a property or an index is lost in the restored copy',
    async () => {
      const config = storeConfig(source.info);
      const dst = driverFor(target.info);
      const compare = () => compareStore(repo, config, logical, target.info.boltUrl);
      try {
        await q(dst, "MATCH (:User {key: 'u1'})-[r:PAR {w: 2}]->() DELETE r");
        const afterDelete = await compare();
        expect(afterDelete.map((d) => d.object)).toEqual(
          expect.arrayContaining([
            'neo4j: relationships',
            'neo4j: relationship type `PAR`',
            'neo4j: relationship type `PAR` property `w`',
          ]),
        );
        expect(afterDelete.every((d) => d.area === 'data' && d.problem === 'count')).toBe(true);
        expect(afterDelete.find((d) => d.object === 'neo4j: relationship type `PAR`')?.message).toBe(
          'neo4j: relationship type `PAR`: 3 rows/entities, expected 4',
        );

        await q(dst, "MATCH (n:User {key: 'u2'}) SET n.bio = 'machines that think!'");
        const afterChange = await compare();
        const changed = afterChange.filter((d) => d.problem === 'changed').map((d) => d.object);
        expect(changed).toEqual(
          expect.arrayContaining(['neo4j: nodes', 'neo4j: label `User`', 'neo4j: label `User` property `bio`']),
        );
        // Only the property that changed is named among the User properties.
        expect(changed.filter((o) => o.startsWith('neo4j: label `User` property'))).toEqual([
          'neo4j: label `User` property `bio`',
        ]);

        await q(dst, 'DROP INDEX text_user');
        const afterDrop = await compare();
        expect(afterDrop.filter((d) => d.area === 'schema')).toEqual([
          {
            area: 'schema',
            object: 'neo4j: index `text_user`',
            problem: 'missing',
            message: 'neo4j: index `text_user` is missing after restore',
          },
        ]);
      } finally {
        await dst.close();
      }
    },
    LONG,
  );

  it(
    'refuses a non-empty target, and replaces it with --force after saving it as a safety snapshot',
    async () => {
      const config = storeConfig(source.info);
      const err = await rejection(restoreStore(repo, config, logical, { target: target.info.boltUrl }));
      expect(err.kind).toBe('usage');
      expect(err.message).toMatch(/not empty/);

      const forced = await restoreStore(repo, config, logical, { target: target.info.boltUrl, force: true });
      expect(forced.safety?.tags).toEqual(['safety']);
      // The safety snapshot holds the damaged copy as it was: it differs from the backup where the damage was.
      const safetyPrint = Fingerprint.parse(forced.safety?.fingerprint);
      const damage = compareFingerprints(Fingerprint.parse(logical.fingerprint), safetyPrint).map((d) => d.object);
      expect(damage).toEqual(expect.arrayContaining(['neo4j: index `text_user`', 'neo4j: relationship type `PAR`']));
      expect(await compareStore(repo, config, logical, target.info.boltUrl)).toEqual([]);
    },
    LONG,
  );

  it(
    'fails a restore whose export lost a node, naming the relationships that could not be restored',
    async () => {
      const config = storeConfig(source.info);
      const base = repoSource(repo, logical);
      // A damaged node artifact (the typed node's line is gone) that still reads back without an integrity error.
      const damaged: ArtifactSource = {
        names: () => base.names(),
        size: (name) => base.size(name),
        open: (name) =>
          name.endsWith('nodes.jsonl')
            ? (async function* () {
                const parts: Buffer[] = [];
                for await (const b of base.open(name)) parts.push(b);
                const lines = Buffer.concat(parts).toString('utf8').split('\n');
                yield Buffer.from(lines.filter((l) => !l.includes('"Typed"')).join('\n'));
              })()
            : base.open(name),
      };
      const adapter = new Neo4jAdapter(config);
      const t = adapter.target(target.info.boltUrl, damaged);
      const err = await adapter.restore(damaged, t, { force: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(IncompleteRestoreError);
      const failures = (err as IncompleteRestoreError).failures.join('\n');
      expect(failures).toMatch(/relationship\(s\) of type `SELF` found no endpoint node/);
      expect(failures).toMatch(/relationship\(s\) of type `REL TYPE` found no endpoint node/);
      expect(failures).toMatch(/node artifact holds 7 node\(s\), the export record says 8/);
      expect(exitCodeFor((err as IncompleteRestoreError).kind)).toBe(3);
    },
    LONG,
  );
});

describe('Neo4j dump mode: neo4j-admin dump / load on the real server', () => {
  it(
    'dumps the stopped DBMS into the repository and loads it into another one, exactly',
    async () => {
      const expected = await liveFingerprint(source.info);
      const dumpConfig = storeConfig(source.info, {
        mode: 'dump',
        dump: { home: source.info.home, adminCommand: adminCommand(source.info.home) },
      });
      // Community cannot dump a database the running server has open: the error says what to do.
      const running = await rejection(backupStore(repo, dumpConfig));
      expect(running.kind).toBe('usage');
      expect(running.message).toMatch(/cannot dump database neo4j while the server has it open/);
      expect(running.hint).toMatch(/Community: stop the DBMS/);

      await source.stop();
      let snapshot: Snapshot;
      try {
        expect((await new Neo4jAdapter(dumpConfig).probe()).version).toBe('5.26.30');
        const backup = await backupStore(repo, dumpConfig);
        snapshot = backup.snapshot;
        expect(backup.warnings.join('\n')).toMatch(/dump mode records no fingerprint/);
      } finally {
        await source.start();
      }
      expect(snapshot.artifacts.map((a) => a.name)).toEqual(['databases/neo4j.dump']);
      expect(snapshot.artifacts[0]!.size).toBeGreaterThan(1000);
      expect(snapshot.capture).toMatchObject({
        serverVersion: '5.26.30',
        details: { mode: 'dump', pointInTime: true },
      });

      // The target runs a restored copy: stop it, and --force loads the dump over it (after a safety dump).
      const targetSpec = `${target.info.boltUrl}?home=${encodeURIComponent(target.info.home)}`;
      await target.stop();
      try {
        const notEmpty = await rejection(restoreStore(repo, dumpConfig, snapshot, { target: targetSpec }));
        expect(notEmpty.message).toMatch(/not empty/);
        const loaded = await restoreStore(repo, dumpConfig, snapshot, { target: targetSpec, force: true });
        expect(loaded.safety?.artifacts.map((a) => a.name)).toEqual(['databases/neo4j.dump']);
        expect(loaded.warnings.join('\n')).toMatch(/start the DBMS/);
      } finally {
        await target.start();
      }
      expect(compareFingerprints(expected, await liveFingerprint(target.info))).toEqual([]);
      const dst = driverFor(target.info);
      try {
        expect(await serverSideChecks(dst)).toEqual(EXPECTED_SERVER_CHECKS);
      } finally {
        await dst.close();
      }
    },
    LONG,
  );
});

describe('Neo4j logical export under concurrent writes', () => {
  it(
    'warns that the export is not point-in-time, and still restores exactly what it recorded',
    async () => {
      const src = driverFor(source.info);
      const writer = driverFor(source.info);
      let stop = false;
      let writes = 0;
      try {
        await autoCommit(src, 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
        await autoCommit(
          src,
          `UNWIND range(1, 20000) AS i CALL (i) { CREATE (:Bulk {i: i})-[:LINK {i: i}]->(:Bulk {i: -i}) } IN TRANSACTIONS OF 5000 ROWS`,
        );
        await q(src, 'CREATE INDEX bulk_i FOR (n:Bulk) ON (n.i)');
        await q(src, 'CALL db.awaitIndexes(300)');
        const load = (async () => {
          while (!stop) {
            // New nodes tied to old ones: some of these land between the node scan and the relationship scan.
            await writer.executeQuery(
              `MATCH (old:Bulk {i: toInteger(rand() * 20000) + 1}) CREATE (old)-[:LATE]->(:Late {at: timestamp()})`,
              {},
              { database: DB },
            );
            writes++;
          }
        })();
        const config = storeConfig(source.info, { batchSize: 5000 });
        let backup: Awaited<ReturnType<typeof backupStore>>;
        try {
          backup = await backupStore(repo, config);
        } finally {
          stop = true;
          await load;
        }
        expect(writes).toBeGreaterThan(0);
        expect(backup.warnings.join('\n')).toMatch(
          /the graph changed while it was exported .*not a point-in-time copy/,
        );
        expect(backup.warnings.join('\n')).toMatch(/quiesce writers|read replica|stopped copy/);
        const details = (backup.snapshot.capture as { details: { pointInTime: boolean; databases: unknown[] } })
          .details;
        expect(details.pointInTime).toBe(false);
        const record = ExportRecord.parse(details.databases[0]);
        expect(record.changed).toBe(true);
        expect(record.after.nodes).toBeGreaterThan(record.before.nodes);

        // Self-consistent: the restored copy is exactly what the export recorded, whatever moved meanwhile.
        const restored = await restoreStore(repo, config, backup.snapshot, {
          target: target.info.boltUrl,
          force: true,
        });
        expect(restored.warnings.join('\n')).toMatch(/not a point-in-time copy/);
        expect(await compareStore(repo, config, backup.snapshot, target.info.boltUrl)).toEqual([]);
      } finally {
        stop = true;
        await Promise.all([src.close(), writer.close()]);
      }
    },
    LONG,
  );
});

describe('Neo4j logical restore with relationships sharing nodes across batches', () => {
  it(
    'writes batches concurrently on disjoint nodes and restores every relationship once (a hub in most of them)',
    async () => {
      const src = driverFor(source.info);
      try {
        await autoCommit(src, 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
        // 1500 relationships to and from one hub (more than a batch can leave waiting), 1500 in a chain, and
        // parallel ones: batches of 100 rows meet the hub's busy node again and again.
        await q(
          src,
          `CREATE (h:Hub {name: 'hub'})
           WITH h UNWIND range(1, 1500) AS i
           CREATE (n:Spoke {i: i})
           CREATE (n)-[:TO {i: i}]->(h)
           FOREACH (_ IN CASE WHEN i % 3 = 0 THEN [1] ELSE [] END | CREATE (h)-[:BACK {i: i}]->(n))`,
        );
        await q(src, 'MATCH (a:Spoke), (b:Spoke) WHERE b.i = a.i + 1 CREATE (a)-[:NEXT {i: a.i}]->(b)');
        await q(src, 'MATCH (a:Spoke) WHERE a.i <= 50 CREATE (a)-[:TWIN]->(a), (a)-[:TWIN]->(a)');
        const config = storeConfig(source.info, { batchSize: 100 });
        const backup = await backupStore(repo, config);
        // A relationship that found no endpoint, or failed, would fail the restore (IncompleteRestoreError).
        await restoreStore(repo, config, backup.snapshot, { target: target.info.boltUrl, force: true });
        expect(await compareStore(repo, config, backup.snapshot, target.info.boltUrl)).toEqual([]);
        const tgt = driverFor(target.info);
        try {
          const counts = await q(
            tgt,
            'MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n, count(DISTINCT r.i) AS distinct ORDER BY t',
          );
          expect(counts.map((r) => [r.get('t'), Number(r.get('n')), Number(r.get('distinct'))])).toEqual([
            ['BACK', 500, 500],
            ['NEXT', 1499, 1499],
            ['TO', 1500, 1500],
            ['TWIN', 100, 0],
          ]);
        } finally {
          await tgt.close();
        }
      } finally {
        await src.close();
      }
    },
    LONG,
  );
});

describe('Neo4j store: bad input', () => {
  it(
    'explains an unreachable server, wrong credentials and an unknown database (exit code 2), never showing the password',
    async () => {
      const port = await freePort();
      const unreachable = await rejection(
        backupStore(repo, storeConfig({ ...source.info, boltUrl: `bolt://127.0.0.1:${port}` })),
      );
      expect(unreachable.kind).toBe('usage');
      expect(exitCodeFor(unreachable.kind)).toBe(2);
      expect(unreachable.message).toMatch(
        new RegExp(`^store graph: bolt://127\\.0\\.0\\.1:${port} \\(user neo4j\\): cannot reach the server`),
      );
      expect(unreachable.hint).toMatch(/check the url/);

      const secret = 'not-the-password-42';
      const wrong = await rejection(backupStore(repo, storeConfig({ ...source.info, password: secret })));
      expect(wrong.kind).toBe('usage');
      expect(wrong.message).toMatch(/authentication failed/);
      expect(`${wrong.message} ${wrong.hint}`).not.toContain(secret);

      const unknown = await rejection(backupStore(repo, storeConfig(source.info, { databases: ['nope'] })));
      expect(unknown.kind).toBe('usage');
      expect(unknown.message).toMatch(/database\(s\) nope do not exist on bolt:\/\/127\.0\.0\.1:\d+ \(user neo4j\)/);
      expect(unknown.hint).toMatch(/the server has: neo4j/);

      // Community has one user database: a restore into another name says so.
      const other = await rejection(
        restoreStore(repo, storeConfig(source.info), logical, { target: `${target.info.boltUrl}/elsewhere` }),
      );
      expect(other.kind).toBe('usage');
      expect(other.message).toMatch(/database elsewhere does not exist .* cannot be created/);
      expect(other.hint).toMatch(/Community Edition has one user database/);
    },
    LONG,
  );

  it('rejects a bad store section with the field at fault', () => {
    const bad = Neo4jStoreConfig.safeParse({ kind: 'neo4j', name: 'g', url: 'http://localhost:7474' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['url'], message: expect.stringMatching(/bolt:\/\//) });
    const noHome = Neo4jStoreConfig.safeParse({
      kind: 'neo4j',
      name: 'g',
      url: 'neo4j+s://x.databases.neo4j.io',
      mode: 'dump',
    });
    expect(noHome.error?.issues[0]).toMatchObject({ path: ['dump'], message: expect.stringMatching(/dump.home/) });
    const aura = Neo4jStoreConfig.parse({
      kind: 'neo4j',
      name: 'g',
      url: 'neo4j+s://x.databases.neo4j.io',
      password: 'p',
    });
    expect(aura).toMatchObject({ user: 'neo4j', mode: 'logical', batchSize: 10_000 });
  });
});
