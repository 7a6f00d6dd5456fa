// One measured operation of the Neo4j benchmark, bundled by bench/neo4j.mjs (no TypeScript loader in the measured
// process) and run by bench/neo4j-bench.ts under GNU time: prints one JSON line with its result and duration.
import { appendFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import neo4j from 'neo4j-driver';
import { runOnCommandThread } from '../src/command-thread.ts';
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

/** BENCH_MEMTRACE=FILE: appends the process's memory use every second (which part grows, for the RSS target). */
function traceMemory(file: string, op: string): void {
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), Math.round(s.space_size / 1048576)]),
    );
    const mib = (n: number) => Math.round(n / 1048576);
    appendFileSync(
      file,
      `${JSON.stringify({ op, t: Math.round(process.uptime()), rss: mib(m.rss), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers), spaces })}\n`,
    );
  }, 1000);
  timer.unref();
}

/** One measured operation in its own process; prints one JSON line. */
async function child(args: ChildArgs): Promise<void> {
  if (process.env.BENCH_MEMTRACE) traceMemory(process.env.BENCH_MEMTRACE, args.op);
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
          Object.assign(result, { warnings: r.warnings, phases: r.phases });
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

// Run only as the process's entry (the orchestrator imports this module for its types and constants), on the
// command thread as the CLI and the actions run. Node resolves symlinks for the entry module's URL (node_modules
// may be a link), so compare real paths.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runOnCommandThread(new URL(import.meta.url), async () => {
    try {
      await child(JSON.parse(process.argv[2] ?? '{}') as ChildArgs);
    } catch (err) {
      console.error(err);
      process.exit(1);
    }
    // Drivers and pools may keep handles open; the work is done.
    process.exit(0);
  });
}
