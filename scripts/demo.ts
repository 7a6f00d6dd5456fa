// The README's main job on an embedded default: start throwaway servers, seed the demo knowledge-graph dataset
// (drills/demo), back it up into a local encrypted repository as one backup set, verify it, run a restore drill
// with the demo's checks (and cross-store rules), print the report and the RTO, and clean everything up.
// PostgreSQL is always in (server binaries from the OS packages); Neo4j joins when NEO4J_HOME names a Neo4j 5
// installation (and Java is installed); Qdrant joins when QDRANT_BINARY (or `qdrant` on PATH) is a Qdrant server
// binary. What is left out is named, with the reason.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { BackdrillConfig, type StoreConfig } from '../src/config/schema.ts';
import { loadChecks } from '../src/drill/checks.ts';
import { type LocalNeo4j, startLocalNeo4j } from '../src/drill/local/neo4j.ts';
import { localPostgresBinDirs, startLocalPostgres } from '../src/drill/local/postgres.ts';
import { type LocalQdrant, startLocalQdrant } from '../src/drill/local/qdrant.ts';
import { runDrill } from '../src/drill/runner.ts';
import { Repository } from '../src/repo/repository.ts';
import { verifyRepository } from '../src/repo/verify.ts';
import { formatMs, renderMarkdown } from '../src/report/markdown.ts';
import { FsBackend } from '../src/storage/fs.ts';
import { openDriver, parseNeo4jUrl } from '../src/stores/neo4j/connection.ts';
import { backupSet } from '../src/stores/set.ts';

const root = new URL('..', import.meta.url).pathname;
const say = (line: string) => process.stdout.write(`${line}\n`);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

async function seedPostgres(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE DATABASE demo_kg');
  await admin.end();
  const seed = new pg.Client({ connectionString: url.replace(/\/postgres$/, '/demo_kg') });
  await seed.connect();
  await seed.query(readFileSync(join(root, 'drills/demo/seed.sql'), 'utf8'));
  await seed.end();
}

async function seedNeo4j(server: LocalNeo4j): Promise<{ url: string; user: string; password: string }> {
  // The sandbox's URL carries its credentials: the store config gets them apart, as a user would write it.
  const { conn } = parseNeo4jUrl(server.url, 'graph', { user: 'neo4j', password: undefined });
  const creds = { user: conn.user, password: conn.password ?? '' };
  const url = conn.url;
  const driver = openDriver(conn);
  try {
    const statements = readFileSync(join(root, 'drills/demo/seed.cypher'), 'utf8')
      .split(/\n\s*\n/)
      .map((b) =>
        b
          .split('\n')
          .filter((l) => !l.trim().startsWith('//'))
          .join('\n')
          .trim(),
      )
      .filter(Boolean);
    for (const s of statements) await driver.executeQuery(s);
  } finally {
    await driver.close();
  }
  return { url, ...creds };
}

/** 2000 document embeddings (8 dimensions, deterministic), payload document_id and title. */
async function seedQdrant(server: LocalQdrant): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'api-key': server.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Qdrant ${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  await call('PUT', '/collections/documents', { vectors: { size: 8, distance: 'Cosine' } });
  for (let start = 1; start <= 2000; start += 500) {
    const points = Array.from({ length: 500 }, (_, k) => {
      const id = start + k;
      return {
        id,
        vector: Array.from({ length: 8 }, (_, d) => Math.round(Math.sin(id * (d + 1)) * 1000) / 1000),
        payload: { document_id: id, title: `Document ${id}` },
      };
    });
    await call('PUT', '/collections/documents/points?wait=true', { points });
  }
}

async function main(): Promise<number> {
  const bin = localPostgresBinDirs()[0];
  if (!bin) {
    say('demo: no PostgreSQL server binaries on this machine (install postgresql, e.g. apt-get install postgresql).');
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'backdrill-demo-'));
  const stops: Array<() => Promise<void>> = [];
  const skipped: string[] = [];
  try {
    say(`demo: starting an embedded PostgreSQL ${bin.major} (${bin.dir})`);
    const postgres = await startLocalPostgres({ binDir: bin.dir });
    stops.push(() => postgres.stop());
    await seedPostgres(postgres.url);
    say('demo: seeded PostgreSQL from drills/demo/seed.sql (20 organisations, 500 people, 2000 documents, authorship)');
    const stores: StoreConfig[] = [
      BackdrillConfig.shape.stores.element.parse({
        name: 'app',
        kind: 'postgres',
        url: postgres.url,
        databases: ['demo_kg'],
        globals: false,
      }),
    ];
    const checkFiles = ['drills/demo/checks.yml'];

    const neo4jHome = process.env.NEO4J_HOME;
    if (!neo4jHome) {
      skipped.push(
        'Neo4j: set NEO4J_HOME to a Neo4j 5 installation (a home with lib/, or a folder of its jars; Java 17/21 needed) to include it; `npm test` assembles one from Maven Central into ~/.cache/backdrill-test/neo4j-5.26.30/lib',
      );
    } else {
      try {
        say(`demo: starting an embedded Neo4j from ${neo4jHome}`);
        const server = await startLocalNeo4j({ installation: neo4jHome });
        stops.push(() => server.stop());
        const conn = await seedNeo4j(server);
        say(
          `demo: seeded Neo4j ${server.version} from drills/demo/seed.cypher (the same people and documents as a graph)`,
        );
        stores.push(BackdrillConfig.shape.stores.element.parse({ name: 'graph', kind: 'neo4j', ...conn }));
        checkFiles.push('drills/demo/checks-neo4j.yml');
      } catch (err) {
        skipped.push(`Neo4j: could not start one from ${neo4jHome}: ${(err as Error).message.split('\n')[0]}`);
      }
    }

    const qdrantBinary = process.env.QDRANT_BINARY ?? onPath('qdrant');
    if (!qdrantBinary) {
      skipped.push('Qdrant: no qdrant binary on PATH; set QDRANT_BINARY to a Qdrant server binary to include it');
    } else {
      try {
        say(`demo: starting an embedded Qdrant (${qdrantBinary})`);
        const server = await startLocalQdrant({ binary: qdrantBinary });
        stops.push(() => server.stop());
        await seedQdrant(server);
        say(`demo: seeded Qdrant ${server.version}: collection documents, one 8-dimensional embedding per document`);
        stores.push(
          BackdrillConfig.shape.stores.element.parse({
            name: 'vectors',
            kind: 'qdrant',
            url: server.url,
            apiKey: server.apiKey,
          }),
        );
        checkFiles.push('drills/demo/checks-qdrant.yml');
      } catch (err) {
        skipped.push(`Qdrant: could not start ${qdrantBinary}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    for (const s of skipped) say(`demo: skipped ${s}`);

    const config = BackdrillConfig.parse({
      version: 1,
      repository: { location: join(work, 'repo') },
      stores,
      drill: {
        provider: 'local',
        checks: checkFiles,
        rto: '10m',
        rpo: '1h',
        local: {
          postgresBinDir: bin.dir,
          ...(neo4jHome ? { neo4jHome } : {}),
          ...(qdrantBinary ? { qdrantBinary } : {}),
        },
      },
    });
    const password = 'demo password (use a real secret)';
    const { repo } = await Repository.init(new FsBackend(config.repository.location), { password });
    say(`demo: created an encrypted repository at ${repo.location}`);
    try {
      const set = await backupSet(repo, config, config.stores, { log: say });
      for (const { snapshot } of set.snapshots) {
        say(
          `demo: backed up ${snapshot.store.name} as snapshot ${snapshot.id.slice(0, 8)}: ${snapshot.stats.bytesProcessed} bytes, ` +
            `${snapshot.stats.bytesAdded} stored after compression and encryption, in ${formatMs(snapshot.timings.durationMs)}`,
        );
      }
      const verified = await verifyRepository(repo, { readData: true });
      say(
        `demo: verify --read-data: ${verified.ok ? 'ok' : `${verified.errors.length} error(s)`} (${verified.chunksRead} chunks read)`,
      );
      const report = await runDrill(repo, {
        config,
        drill: config.drill,
        checks: loadChecks(config.drill.checks, root),
        log: say,
      });
      say('');
      say(renderMarkdown(report));
      say(
        `demo: stores ${config.stores.map((s) => s.name).join(', ')}: RTO ${formatMs(report.rto.ms)}, RPO ${formatMs(report.rpo.ms)}, drill ${report.passed ? 'passed' : 'FAILED'}`,
      );
      return report.passed && verified.ok ? 0 : 3;
    } finally {
      await repo.close();
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
