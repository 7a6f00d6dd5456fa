// The README's main job on an embedded default: start a throwaway PostgreSQL, seed the demo knowledge-graph
// dataset (drills/demo), back it up into a local encrypted repository, verify it, run a restore drill with the
// demo's checks, print the report, and clean everything up. Neo4j and Qdrant join when NEO4J_URL / QDRANT_URL
// point at servers you run; otherwise the demo says they were skipped and why.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BackdrillConfig } from '../src/config/schema.ts';
import { loadChecks } from '../src/drill/checks.ts';
import { localPostgresBinDirs, startLocalPostgres } from '../src/drill/local/postgres.ts';
import { runDrill } from '../src/drill/runner.ts';
import { Repository } from '../src/repo/repository.ts';
import { verifyRepository } from '../src/repo/verify.ts';
import { formatMs, renderMarkdown } from '../src/report/markdown.ts';
import { FsBackend } from '../src/storage/fs.ts';
import { backupSet } from '../src/stores/set.ts';

const root = new URL('..', import.meta.url).pathname;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const bin = localPostgresBinDirs()[0];
  if (!bin) {
    say('demo: no PostgreSQL server binaries on this machine (install postgresql, e.g. apt-get install postgresql).');
    return 2;
  }
  const skipped: string[] = [];
  if (!process.env.NEO4J_URL)
    skipped.push('Neo4j: set NEO4J_URL (and NEO4J_USER/NEO4J_PASSWORD) to include a Neo4j you run');
  if (!process.env.QDRANT_URL) skipped.push('Qdrant: set QDRANT_URL to include a Qdrant you run');
  const work = mkdtempSync(join(tmpdir(), 'backdrill-demo-'));
  say(`demo: starting an embedded PostgreSQL ${bin.major} (${bin.dir})`);
  const server = await startLocalPostgres({ binDir: bin.dir });
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE DATABASE demo_kg');
    await client.end();
    const seed = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/demo_kg') });
    await seed.connect();
    await seed.query(readFileSync(join(root, 'drills/demo/seed.sql'), 'utf8'));
    await seed.end();
    say('demo: seeded drills/demo/seed.sql (20 organisations, 500 people, 2000 documents, authorship)');
    for (const s of skipped) say(`demo: skipped ${s}`);

    const config = BackdrillConfig.parse({
      version: 1,
      repository: { location: join(work, 'repo') },
      stores: [{ name: 'app', kind: 'postgres', url: server.url, databases: ['demo_kg'], globals: false }],
      drill: {
        provider: 'local',
        checks: ['drills/demo/checks.yml'],
        rto: '10m',
        rpo: '1h',
        local: { postgresBinDir: bin.dir },
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
        `demo: RTO ${formatMs(report.rto.ms)}, RPO ${formatMs(report.rpo.ms)}, drill ${report.passed ? 'passed' : 'FAILED'}`,
      );
      return report.passed && verified.ok ? 0 : 3;
    } finally {
      await repo.close();
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
