// One measured operation of the Neo4j benchmark, bundled by bench/neo4j.mjs (no TypeScript loader in the measured
// process) and run by bench/neo4j-bench.ts under GNU time: prints one JSON line with its result and duration.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import neo4j from 'neo4j-driver';
import { Repository } from '../src/repo/repository.ts';
import { openBackend } from '../src/storage/index.ts';
import { Neo4jStoreConfig } from '../src/stores/neo4j/config.ts';
import { GraphExport } from '../src/stores/neo4j/export.ts';
import { backupStore, compareStore, restoreStore } from '../src/stores/run.ts';

export const BENCH_PASSWORD = 'bench password';

export interface ChildArgs {
  op: 'backup' | 'export' | 'restore' | 'compare';
  repo: string;
  config: unknown;
  target?: string;
  snapshot?: string;
}

async function openRepo(location: string): Promise<Repository> {
  return Repository.open(openBackend(location), { password: BENCH_PASSWORD });
}

/** One measured operation in its own process; prints one JSON line. */
async function child(args: ChildArgs): Promise<void> {
  const config = Neo4jStoreConfig.parse(args.config);
  const started = performance.now();
  const result: Record<string, unknown> = {};
  if (args.op === 'export') {
    // The adapter's export alone: Bolt, encoding and fingerprint, bytes thrown away.
    const driver = neo4j.driver(config.url, neo4j.auth.basic(config.user, config.password ?? ''), { useBigInt: true });
    try {
      const exp = new GraphExport(driver, 'neo4j');
      let bytes = 0;
      for await (const b of exp.nodes()) bytes += b.length;
      for await (const b of exp.relationships()) bytes += b.length;
      Object.assign(result, { bytes, nodes: exp.printer.nodeCount, relationships: exp.printer.relationshipCount });
    } finally {
      await driver.close();
    }
  } else {
    const repo = await openRepo(args.repo);
    try {
      if (args.op === 'backup') {
        const { snapshot, warnings } = await backupStore(repo, config);
        Object.assign(result, {
          snapshot: snapshot.id,
          warnings,
          bytesProcessed: snapshot.stats.bytesProcessed,
          bytesAdded: snapshot.stats.bytesAdded,
        });
      } else {
        const snapshot = (await repo.listSnapshots()).snapshots.find((s) => s.id === args.snapshot);
        if (!snapshot) throw new Error(`snapshot ${args.snapshot} not found`);
        if (args.op === 'restore') {
          const r = await restoreStore(repo, config, snapshot, { ...(args.target ? { target: args.target } : {}) });
          Object.assign(result, { warnings: r.warnings });
        } else {
          result.differences = await compareStore(repo, config, snapshot, args.target);
        }
      }
    } finally {
      await repo.close();
    }
  }
  result.ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// Run only as the process's entry (the orchestrator imports this module for its types and constants).
// Node resolves symlinks for the entry module's URL (node_modules may be a link), so compare real paths.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  child(JSON.parse(process.argv[2] ?? '{}') as ChildArgs).then(
    // Drivers and pools may keep handles open; the work is done.
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
