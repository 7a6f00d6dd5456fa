// Neo4j store benchmark (run by bench/neo4j.mjs): a generated graph (1M nodes, 2M relationships by
// default) in a private Neo4j 5.26 Community server; logical backup into a fresh local repository and logical
// restore into a second, empty server, each in its own process under GNU time (wall time and peak RSS); the export
// alone (no repository) for the adapter's own throughput; a full fingerprint comparison of the restored copy
// (it must match exactly); and the offline `neo4j-admin database dump` / `load` of the same graph for comparison.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import neo4j from 'neo4j-driver';
import { TEST_KDF } from '../src/repo/keys.ts';
import { Repository } from '../src/repo/repository.ts';
import { openBackend } from '../src/storage/index.ts';
import { type Neo4jServer, neo4jAdmin, startNeo4j } from '../test/services/neo4j.ts';
import { BENCH_PASSWORD, type ChildArgs } from './neo4j-child.ts';

const RSS_LIMIT_MIB = 300;
const RATIO_TARGET = 2;

interface Options {
  nodes: number;
  relationships: number;
  out: string | undefined;
  heap: string;
  pagecache: string;
  keep: boolean;
  /** V8 flags for the measured processes (e.g. "--max-old-space-size=160"), recorded with the results. */
  childFlags: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    nodes: 1_000_000,
    relationships: 2_000_000,
    out: undefined,
    heap: '1g',
    pagecache: '1g',
    keep: false,
    childFlags: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--nodes') o.nodes = Number(next());
    else if (a === '--relationships') o.relationships = Number(next());
    else if (a === '--quick') {
      o.nodes = 100_000;
      o.relationships = 200_000;
    } else if (a === '--out') o.out = next();
    else if (a === '--heap') o.heap = next();
    else if (a === '--pagecache') o.pagecache = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--child-node-options') o.childFlags = next().split(/\s+/).filter(Boolean);
    else
      throw new Error(
        `unknown flag ${a} (flags: --nodes N --relationships N --quick --out FILE --heap 1g --pagecache 1g --keep --child-node-options "FLAGS")`,
      );
  }
  return o;
}

// ------------------------------------------------------------------------------------------------ orchestration

interface Measured {
  result: Record<string, unknown>;
  wallMs: number;
  peakRssMiB: number;
  /** User + system CPU seconds of the measured process (GNU time). */
  cpuSeconds: number;
}

function runChild(childScript: string, args: ChildArgs, flags: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const proc = spawn('/usr/bin/time', ['-v', process.execPath, ...flags, childScript, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    proc.once('error', reject);
    proc.once('close', (code) => {
      const wallMs = performance.now() - started;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !rss || !line.startsWith('{')) {
        reject(new Error(`child ${args.op} failed (exit ${code}):\n${err.slice(-3000)}\n${out.slice(-2000)}`));
        return;
      }
      const cpu = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(err)?.[1] ?? NaN);
      resolve({
        result: JSON.parse(line) as Record<string, unknown>,
        wallMs,
        peakRssMiB: Number(rss[1]) / 1024,
        cpuSeconds: cpu('User') + cpu('System'),
      });
    });
  });
}

async function configureMemory(server: Neo4jServer, heap: string, pagecache: string): Promise<void> {
  await server.stop();
  const conf = join(server.info.home, 'conf', 'neo4j.conf');
  const text = readFileSync(conf, 'utf8')
    .replace(/^server\.memory\.heap\.initial_size=.*$/m, `server.memory.heap.initial_size=${heap}`)
    .replace(/^server\.memory\.heap\.max_size=.*$/m, `server.memory.heap.max_size=${heap}`)
    .replace(/^server\.memory\.pagecache\.size=.*$/m, `server.memory.pagecache.size=${pagecache}`);
  writeFileSync(conf, text);
  await server.start();
}

async function generate(
  server: Neo4jServer,
  nodes: number,
  relationships: number,
): Promise<{ ms: number; nodes: number; relationships: number }> {
  const driver = neo4j.driver(server.info.boltUrl, neo4j.auth.basic(server.info.user, server.info.password));
  const session = driver.session({ database: 'neo4j' });
  const started = performance.now();
  try {
    // A fresh record-format store numbers nodes from 0, so relationships can find their endpoints by id.
    await session.run(
      `UNWIND range(0, $n - 1) AS i WITH i WHERE i % 5 = 0 CALL (i) {
         CREATE (:Company {id: i, name: 'company ' + toString(i), revenue: toFloat(i) * 1.5,
                           founded: date({year: 1900 + i % 120, month: 1 + i % 12, day: 1 + i % 28})})
       } IN TRANSACTIONS OF 20000 ROWS`,
      { n: neo4j.int(nodes) },
    );
    await session.run(
      `UNWIND range(0, $n - 1) AS i WITH i WHERE i % 5 <> 0 CALL (i) {
         CREATE (:Person {id: i, name: 'person ' + toString(i), score: toFloat(i % 1000) / 7.0, active: i % 2 = 0,
                          tags: ['t' + toString(i % 10), 't' + toString(i % 7)]})
       } IN TRANSACTIONS OF 20000 ROWS`,
      { n: neo4j.int(nodes) },
    );
    const first = await session.run('MATCH (n) RETURN min(id(n)) AS first');
    const base = first.records[0]!.get('first');
    await session.run(
      `UNWIND range(0, $r - 1) AS j CALL (j) {
         MATCH (a) WHERE id(a) = $base + j % $n
         MATCH (b) WHERE id(b) = $base + (j * 7919 + 104729) % $n
         FOREACH (_ IN CASE WHEN j % 3 = 0 THEN [1] ELSE [] END | CREATE (a)-[:WORKS_AT {since: 1990 + j % 30, weight: toFloat(j % 100) / 100.0}]->(b))
         FOREACH (_ IN CASE WHEN j % 3 <> 0 THEN [1] ELSE [] END | CREATE (a)-[:KNOWS {since: 2000 + j % 20}]->(b))
       } IN TRANSACTIONS OF 20000 ROWS`,
      { r: neo4j.int(relationships), n: neo4j.int(nodes), base },
    );
    await session.run('CREATE CONSTRAINT person_id FOR (p:Person) REQUIRE p.id IS UNIQUE');
    await session.run('CREATE INDEX company_name FOR (c:Company) ON (c.name)');
    await session.run('CREATE TEXT INDEX person_name FOR (p:Person) ON (p.name)');
    await session.run('CALL db.awaitIndexes(3600)');
    const counts = await session.run(
      'CALL () { MATCH (n) RETURN count(n) AS n } CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r',
    );
    const got = { nodes: Number(counts.records[0]!.get('n')), relationships: Number(counts.records[0]!.get('r')) };
    if (got.nodes !== nodes || got.relationships !== relationships) {
      throw new Error(
        `generated ${got.nodes} nodes and ${got.relationships} relationships, wanted ${nodes} and ${relationships}`,
      );
    }
    return { ms: performance.now() - started, ...got };
  } finally {
    await session.close();
    await driver.close();
  }
}

function dirSize(path: string): number {
  return statSync(path).size;
}

async function orchestrate(childScript: string, o: Options): Promise<void> {
  const load = () => loadavg().map((l) => Number(l.toFixed(2)));
  const loadBefore = load();
  const tmp = mkdtempSync(join(tmpdir(), 'backdrill-neo4j-bench-'));
  const entities = o.nodes + o.relationships;
  console.log(`Neo4j bench: ${o.nodes} nodes, ${o.relationships} relationships; load ${loadBefore.join(' ')}`);
  const [source, target] = await Promise.all([startNeo4j(), startNeo4j()]);
  try {
    await Promise.all([configureMemory(source, o.heap, o.pagecache), configureMemory(target, o.heap, o.pagecache)]);
    const generated = await generate(source, o.nodes, o.relationships);
    const generateMs = generated.ms;
    console.log(`generated in ${(generateMs / 1000).toFixed(1)} s`);

    const location = join(tmp, 'repo');
    const { repo } = await Repository.init(openBackend(location), { password: BENCH_PASSWORD, kdf: TEST_KDF });
    await repo.close();
    const config = {
      kind: 'neo4j',
      name: 'graph',
      url: source.info.boltUrl,
      user: 'neo4j',
      password: source.info.password,
    };

    const exportOnly = await runChild(childScript, { op: 'export', repo: location, config }, o.childFlags);
    console.log(
      `export (no repository): ${(exportOnly.wallMs / 1000).toFixed(1)} s, ${exportOnly.cpuSeconds.toFixed(1)} CPU-s, ${exportOnly.peakRssMiB.toFixed(0)} MiB`,
    );
    const backup = await runChild(childScript, { op: 'backup', repo: location, config }, o.childFlags);
    console.log(
      `backup: ${(backup.wallMs / 1000).toFixed(1)} s, ${backup.cpuSeconds.toFixed(1)} CPU-s, ${backup.peakRssMiB.toFixed(0)} MiB`,
    );
    const snapshot = String(backup.result.snapshot);
    const restore = await runChild(
      childScript,
      {
        op: 'restore',
        repo: location,
        config,
        snapshot,
        target: target.info.boltUrl,
      },
      o.childFlags,
    );
    console.log(
      `restore: ${(restore.wallMs / 1000).toFixed(1)} s, ${restore.cpuSeconds.toFixed(1)} CPU-s, ${restore.peakRssMiB.toFixed(0)} MiB, phases ${JSON.stringify(restore.result.phases ?? {})}`,
    );
    const compare = await runChild(
      childScript,
      {
        op: 'compare',
        repo: location,
        config,
        snapshot,
        target: target.info.boltUrl,
      },
      o.childFlags,
    );
    const differences = compare.result.differences as unknown[];
    console.log(`compare: ${(compare.wallMs / 1000).toFixed(1)} s, ${differences.length} difference(s)`);

    // The physical comparison point: neo4j-admin with the DBMS stopped (Community has no online dump).
    await source.stop();
    const dumpDir = join(tmp, 'dump');
    mkdirSync(dumpDir);
    let t = performance.now();
    const dump = await neo4jAdmin(source.info.home, ['database', 'dump', 'neo4j', `--to-path=${dumpDir}`]);
    const dumpMs = performance.now() - t;
    if (dump.code !== 0) throw new Error(`neo4j-admin dump failed: ${dump.stderr}`);
    await target.stop();
    t = performance.now();
    const loadRes = await neo4jAdmin(target.info.home, [
      'database',
      'load',
      'neo4j',
      `--from-path=${dumpDir}`,
      '--overwrite-destination=true',
    ]);
    const loadMs = performance.now() - t;
    if (loadRes.code !== 0) throw new Error(`neo4j-admin load failed: ${loadRes.stderr}`);
    console.log(`neo4j-admin dump: ${(dumpMs / 1000).toFixed(1)} s, load: ${(loadMs / 1000).toFixed(1)} s`);

    const rate = (ms: number) => Math.round(entities / (ms / 1000));
    const ratio = restore.wallMs / backup.wallMs;
    const peak = Math.max(exportOnly.peakRssMiB, backup.peakRssMiB, restore.peakRssMiB, compare.peakRssMiB);
    const results = {
      bench: 'neo4j',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
      server: { version: source.info.version, edition: 'community', heap: o.heap, pagecache: o.pagecache },
      childNodeOptions: o.childFlags,
      loadAverage: { before: loadBefore, after: load() },
      graph: { nodes: o.nodes, relationships: o.relationships, generateSeconds: generateMs / 1000 },
      exportOnly: {
        seconds: exportOnly.wallMs / 1000,
        entitiesPerSecond: rate(exportOnly.wallMs),
        peakRssMiB: exportOnly.peakRssMiB,
        cpuSeconds: exportOnly.cpuSeconds,
        bytes: exportOnly.result.bytes,
      },
      backup: {
        seconds: backup.wallMs / 1000,
        entitiesPerSecond: rate(backup.wallMs),
        peakRssMiB: backup.peakRssMiB,
        cpuSeconds: backup.cpuSeconds,
        bytesProcessed: backup.result.bytesProcessed,
        bytesAdded: backup.result.bytesAdded,
        warnings: backup.result.warnings,
      },
      restore: {
        seconds: restore.wallMs / 1000,
        entitiesPerSecond: rate(restore.wallMs),
        peakRssMiB: restore.peakRssMiB,
        cpuSeconds: restore.cpuSeconds,
        phases: restore.result.phases,
      },
      compare: { seconds: compare.wallMs / 1000, differences: differences.length, peakRssMiB: compare.peakRssMiB },
      ratios: {
        restoreOverBackup: ratio,
        restoreOverExportOnly: restore.wallMs / exportOnly.wallMs,
        backupOverOfflineDump: backup.wallMs / dumpMs,
      },
      neo4jAdmin: {
        dumpSeconds: dumpMs / 1000,
        loadSeconds: loadMs / 1000,
        dumpBytes: dirSize(join(dumpDir, 'neo4j.dump')),
      },
      targets: {
        restoreOverBackup: { target: `<= ${RATIO_TARGET}`, pass: ratio <= RATIO_TARGET },
        peakRss: { target: `< ${RSS_LIMIT_MIB} MiB`, pass: peak < RSS_LIMIT_MIB },
        exactRestore: { target: '0 differences', pass: differences.length === 0 },
      },
    };
    const row = (k: string, v: string) => console.log(`${k.padEnd(44)} ${v}`);
    console.log('');
    row(
      'export, no repository (entities/s)',
      `${results.exportOnly.entitiesPerSecond} (${results.exportOnly.seconds.toFixed(1)} s)`,
    );
    row(
      'backup into the repository (entities/s)',
      `${results.backup.entitiesPerSecond} (${results.backup.seconds.toFixed(1)} s)`,
    );
    row(
      'restore from the repository (entities/s)',
      `${results.restore.entitiesPerSecond} (${results.restore.seconds.toFixed(1)} s)`,
    );
    row(
      'restore / backup',
      `${ratio.toFixed(2)} (target <= ${RATIO_TARGET}: ${ratio <= RATIO_TARGET ? 'PASS' : 'FAIL'})`,
    );
    row('restore / export alone', results.ratios.restoreOverExportOnly.toFixed(2));
    row(
      'offline neo4j-admin dump / load',
      `${results.neo4jAdmin.dumpSeconds.toFixed(1)} s / ${results.neo4jAdmin.loadSeconds.toFixed(1)} s`,
    );
    row('backup / offline dump', results.ratios.backupOverOfflineDump.toFixed(2));
    row(
      'peak RSS (export, backup, restore, compare)',
      `${[exportOnly, backup, restore, compare].map((m) => m.peakRssMiB.toFixed(0)).join(', ')} MiB (target < ${RSS_LIMIT_MIB}: ${peak < RSS_LIMIT_MIB ? 'PASS' : 'FAIL'})`,
    );
    row(
      'restored copy vs backup fingerprint',
      `${differences.length} difference(s) ${differences.length === 0 ? 'PASS' : 'FAIL'}`,
    );
    row('load average before / after', `${loadBefore.join(' ')} / ${results.loadAverage.after.join(' ')}`);
    // The launcher runs this with the project root as the working directory.
    const out = o.out ?? join('bench', 'results', `neo4j${o.nodes === 1_000_000 ? '' : `-${o.nodes}`}.json`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${out}`);
  } finally {
    await Promise.allSettled([source.stop({ removeHome: !o.keep }), target.stop({ removeHome: !o.keep })]);
    if (!o.keep) rmSync(tmp, { recursive: true, force: true });
  }
}

const childScript = process.env.BACKDRILL_BENCH_CHILD;
if (!childScript) {
  console.error('run the benchmark through its launcher: node bench/neo4j.mjs');
  process.exit(2);
}
orchestrate(childScript, parseArgs(process.argv.slice(2))).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
