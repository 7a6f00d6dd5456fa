// A Neo4j graph that holds everything the logical export must carry exactly (every Cypher value type, labels,
// types and keys that need backticks, nodes with several labels and with none, self-loops, parallel and identical
// relationships, every index and constraint kind Community has), and the facts a user would check on a restored
// copy: every entity with its value types, the schema's CREATE statements and a few queries that use the indexes.
import neo4j, { type Driver, type Node, type Relationship } from 'neo4j-driver';
import { encodeEntries, propsJson } from '../../src/stores/neo4j/values.ts';
import type { Neo4jInfo } from '../services/types.ts';

export const DB = 'neo4j';

export function driverFor(info: Neo4jInfo): Driver {
  return neo4j.driver(info.boltUrl, neo4j.auth.basic(info.user, info.password), { useBigInt: true });
}

export async function q(driver: Driver, query: string, params: Record<string, unknown> = {}) {
  return (await driver.executeQuery(query, params, { database: DB })).records;
}

/** Runs a query in an auto-commit transaction (what CALL ... IN TRANSACTIONS needs). */
export async function autoCommit(driver: Driver, query: string): Promise<void> {
  const session = driver.session({ database: DB });
  try {
    await session.run(query);
  } finally {
    await session.close();
  }
}

export const WEIRD_STRING = 'héllo wörld 🎉 "quoted" `ticked` \\ \u0000 \u2028 日本語 graph';

/** Properties of every value type, as a Cypher map literal ($s: WEIRD_STRING, $bytes: bytes). */
const ALL_TYPES = `{
  int: 9007199254740993, min: -9223372036854775808, max: 9223372036854775807,
  f: 0.1, big: 1.7976931348623157e308, tiny: 5e-324, whole: 2.0,
  nan: 0.0 / 0.0, inf: 1.0 / 0.0, ninf: -1.0 / 0.0, nz: -0.0,
  s: $s, empty_string: '', yes: true, no: false, bytes: $bytes,
  li: [1, -2, 9007199254740993], lf: [1.5, -0.0, 0.0 / 0.0, 1.0 / 0.0], ls: ['a', '', $s], lb: [true, false],
  d: date('2024-02-29'), dmin: date('-999999999-01-01'),
  t: time('12:34:56.123456789+02:00'), lt: localtime('23:59:59.999999999'),
  dt: datetime('2024-03-31T02:30:00.5-09:30'),
  dtz: datetime({year: 2022, month: 10, day: 30, hour: 2, minute: 30, second: 0, nanosecond: 1, timezone: 'Europe/Berlin'}),
  dtz_later: datetime('2022-10-30T02:30:00+01:00[Europe/Berlin]'),
  dtz_old: datetime({year: 1850, month: 1, day: 1, timezone: 'America/New_York'}),
  dtmax: datetime('+999999999-12-31T23:59:59.999999999Z'),
  ldt: localdatetime('2024-01-01T00:00:00.000000001'),
  dur: duration('P1Y2M3DT4H5M6.000000007S'), dur_neg: duration({months: -5, days: 40, seconds: -1, nanoseconds: -1}),
  p2: point({x: 1.5, y: -2.0}), p3: point({x: 1, y: 2, z: 3}),
  g2: point({longitude: 12.5, latitude: 56.1}), g3: point({longitude: -180, latitude: 90, height: 100.25}),
  l_date: [date('2020-01-01'), date('1900-12-31')], l_time: [time('00:00Z')], l_ltime: [localtime('00:00')],
  l_dt: [datetime('2020-01-01T00:00Z'), datetime({year: 1950, month: 6, day: 1, timezone: 'Asia/Kolkata'})],
  l_ldt: [localdatetime('2000-01-01T00:00')], l_dur: [duration('PT1S'), duration('P1D')],
  l_point: [point({x: 1, y: 2}), point({x: -1, y: -2})], l_empty: [],
  \`key with space\`: 1, \`back\`\`tick\`: 2, \`ключ\`: 'значение', \`__proto__\`: 'proto'
}`;

/** Builds the rich graph in an empty database; returns once every index is online. */
export async function seedRichGraph(driver: Driver): Promise<void> {
  const params = { s: WEIRD_STRING, bytes: new Int8Array([0, 1, -1, 127, -128]) };
  await q(
    driver,
    `CREATE (typed:Typed:\`Multi Label\`:\`ünïcödé\` {key: 'typed'})
     SET typed += ${ALL_TYPES}
     CREATE (bare)
     CREATE (nolabel {key: 'nolabel', v: 1})
     CREATE (odd:\`with space\`:\`back\`\`tick\`:\`123start\` {key: 'odd', \`key with space\`: 'x'})
     CREATE (dup1:Dup {v: 1}), (dup2:Dup {v: 1})
     CREATE (u1:User {key: 'u1', email: 'ada@example.org', first: 'Ada', last: 'Lovelace', bio: 'graph databases and engines',
                      loc: point({longitude: -0.12, latitude: 51.5}), emb: [0.1, 0.2, 0.31]})
     CREATE (u2:User {key: 'u2', email: 'alan@example.org', first: 'Alan', last: 'Turing', bio: 'machines that think',
                      loc: point({longitude: -2.24, latitude: 53.48}), emb: [0.9, 0.1, 0.0]})
     CREATE (typed)-[:\`REL TYPE\`]->(nolabel)
     CREATE (typed)-[:SELF {n: 1}]->(typed)
     CREATE (u1)-[:PAR {w: 1}]->(u2), (u1)-[:PAR {w: 1}]->(u2), (u1)-[:PAR {w: 2}]->(u2), (u2)-[:PAR {w: 1}]->(u1)
     CREATE (odd)-[:\`TYPE\`\`TICK\`]->(bare)
     CREATE (dup1)-[:\`関係\` {k: 'r1', s: 'full text body'}]->(u1), (dup2)-[:\`関係\` {k: 'r2'}]->(u1)
     CREATE (bare)-[:EMPTY]->(bare)`,
    params,
  );
  // Every value type on a relationship as well.
  await q(driver, `MATCH (t:Typed)-[r:\`REL TYPE\`]->() SET r += ${ALL_TYPES}`, params);
  for (const stmt of [
    'CREATE CONSTRAINT user_email FOR (u:User) REQUIRE u.email IS UNIQUE',
    'CREATE CONSTRAINT user_name FOR (u:User) REQUIRE (u.first, u.last) IS UNIQUE',
    'CREATE CONSTRAINT `rel key` FOR ()-[r:`関係`]-() REQUIRE r.k IS UNIQUE',
    'CREATE INDEX range_typed FOR (n:Typed) ON (n.int)',
    'CREATE INDEX `range odd` FOR (n:`with space`) ON (n.`key with space`, n.key)',
    'CREATE INDEX range_rel FOR ()-[r:PAR]-() ON (r.w)',
    'CREATE TEXT INDEX text_user FOR (n:User) ON (n.bio)',
    'CREATE TEXT INDEX text_rel FOR ()-[r:`関係`]-() ON (r.s)',
    'CREATE POINT INDEX point_user FOR (n:User) ON (n.loc)',
    'CREATE POINT INDEX point_rel FOR ()-[r:`REL TYPE`]-() ON (r.p2) OPTIONS {indexConfig: {`spatial.cartesian.min`: [-10.0, -10.0], `spatial.cartesian.max`: [10.0, 10.0]}}',
    "CREATE FULLTEXT INDEX ft_nodes FOR (n:User|Typed) ON EACH [n.bio, n.s] OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}",
    'CREATE FULLTEXT INDEX ft_rels FOR ()-[r:`関係`]-() ON EACH [r.s]',
    "CREATE VECTOR INDEX vec FOR (n:User) ON (n.emb) OPTIONS {indexConfig: {`vector.dimensions`: 3, `vector.similarity_function`: 'euclidean'}}",
  ]) {
    await q(driver, stmt);
  }
  // The user dropped the relationship lookup index: a restore must not bring the default one back.
  for (const r of await q(
    driver,
    "SHOW INDEXES YIELD name, type, entityType WHERE type = 'LOOKUP' AND entityType = 'RELATIONSHIP' RETURN name",
  )) {
    await q(driver, `DROP INDEX \`${r.get('name')}\``);
  }
  await q(driver, 'CALL db.awaitIndexes(300)');
}

function nodeText(n: Node): string {
  return `${JSON.stringify([...n.labels].sort())}${propsJson(encodeEntries(n.properties))}`;
}

/** What a user would compare on two copies of the graph, as sorted text. */
export async function graphFacts(driver: Driver) {
  const nodes = (await q(driver, 'MATCH (n) RETURN n, [k IN keys(n) | k + ": " + valueType(n[k])] AS types')).map(
    (r) => `${nodeText(r.get('n') as Node)} ${JSON.stringify((r.get('types') as string[]).sort())}`,
  );
  const relationships = (
    await q(driver, 'MATCH (a)-[r]->(b) RETURN a, r, b, [k IN keys(r) | k + ": " + valueType(r[k])] AS types')
  ).map((rec) => {
    const r = rec.get('r') as Relationship;
    return [
      nodeText(rec.get('a') as Node),
      `-[${JSON.stringify(r.type)} ${propsJson(encodeEntries(r.properties))} ${JSON.stringify((rec.get('types') as string[]).sort())}]->`,
      nodeText(rec.get('b') as Node),
    ].join(' ');
  });
  const indexes = (await q(driver, 'SHOW INDEXES YIELD name, state, createStatement RETURN * ORDER BY name')).map(
    (r) => `${r.get('name')} ${r.get('state')} ${r.get('createStatement')}`,
  );
  const constraints = (await q(driver, 'SHOW CONSTRAINTS YIELD name, createStatement RETURN * ORDER BY name')).map(
    (r) => `${r.get('name')} ${r.get('createStatement')}`,
  );
  const fulltextNodes = (
    await q(
      driver,
      "CALL db.index.fulltext.queryNodes('ft_nodes', 'graph') YIELD node, score RETURN node.key AS k, score ORDER BY k",
    )
  ).map((r) => `${r.get('k')} ${r.get('score')}`);
  const fulltextRels = (
    await q(
      driver,
      "CALL db.index.fulltext.queryRelationships('ft_rels', 'body') YIELD relationship RETURN relationship.k AS k",
    )
  ).map((r) => String(r.get('k')));
  const vector = (
    await q(
      driver,
      "CALL db.index.vector.queryNodes('vec', 2, [0.1, 0.2, 0.3]) YIELD node, score RETURN node.key AS k, score",
    )
  ).map((r) => `${r.get('k')} ${r.get('score')}`);
  const shapes = (
    await q(
      driver,
      `CALL () { MATCH (a)-[r]->(a) RETURN count(r) AS selfLoops }
       CALL () { MATCH (:User {key: 'u1'})-[r:PAR]->(:User {key: 'u2'}) RETURN count(r) AS parallel }
       CALL () { MATCH (n) WHERE size(labels(n)) = 0 RETURN count(n) AS unlabeled }
       CALL () { MATCH (n:\`back\`\`tick\`:\`with space\`) RETURN collect(n.key) AS odd }
       RETURN selfLoops, parallel, unlabeled, odd`,
    )
  ).map((r) => JSON.stringify(r.toObject(), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  return {
    nodes: nodes.sort(),
    relationships: relationships.sort(),
    indexes,
    constraints,
    fulltextNodes,
    fulltextRels,
    vector,
    shapes,
  };
}

/** Exactness checks the server itself makes on the typed node (independent of backdrill's own encoding). */
export async function serverSideChecks(driver: Driver): Promise<Record<string, unknown>> {
  const [r] = await q(
    driver,
    `MATCH (n:Typed)-[rel:\`REL TYPE\`]->()
     RETURN n.int = 9007199254740993 AS int, n.min = -9223372036854775808 AS min, isNaN(n.nan) AS nan,
            n.inf = 1.0 / 0.0 AS inf, 1.0 / n.nz = -1.0 / 0.0 AS negativeZero, n.whole = 2.0 AND valueType(n.whole) STARTS WITH 'FLOAT' AS whole,
            n.dtz.timezone AS zone, n.dtz.offset AS offset, n.dtz_later.offset AS laterOffset, n.dtz.nanosecond AS ns,
            n.dtmax = datetime('+999999999-12-31T23:59:59.999999999Z') AS dtmax, n.dmin = date('-999999999-01-01') AS dmin,
            n.t = time('12:34:56.123456789+02:00') AS time, n.dur = duration('P1Y2M3DT4H5M6.000000007S') AS dur,
            n.g3 = point({longitude: -180, latitude: 90, height: 100.25}) AS g3, n.s = $s AS string,
            n.\`__proto__\` AS proto, rel.int = 9007199254740993 AND 1.0 / rel.nz < 0 AS relValues`,
    { s: WEIRD_STRING },
  );
  return Object.fromEntries(Object.entries(r!.toObject()).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
}

export const EXPECTED_SERVER_CHECKS = {
  int: true,
  min: true,
  nan: true,
  inf: true,
  negativeZero: true,
  whole: true,
  zone: 'Europe/Berlin',
  offset: '+02:00',
  laterOffset: '+01:00',
  ns: 1,
  dtmax: true,
  dmin: true,
  time: true,
  dur: true,
  g3: true,
  string: true,
  proto: 'proto',
  relValues: true,
};
