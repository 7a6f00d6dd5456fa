// One measured operation of the Neo4j benchmark, bundled by bench/neo4j.mjs (no TypeScript loader in the measured
// process) and run by bench/neo4j-bench.ts under GNU time: prints one JSON line with its result and duration.
import { appendFileSync, readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import neo4j from 'neo4j-driver';
import { runCommand } from '../src/command-process.ts';
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

/**
 * Resident MiB of the process's mappings by kind (/proc/self/smaps): glibc's thread arenas (64 MiB reservations),
 * the main arena ([heap]), other anonymous memory (V8 heap pages of every thread, large buffers), files (code).
 */
function residentByKind(): Record<string, number> {
  const out: Record<string, number> = { arenas: 0, brk: 0, anon: 0, files: 0 };
  const HEAP_MAX = 64 << 20;
  // A thread arena's heap is a 64 MiB-aligned reservation: a read-write part, then the unused rest (---p).
  const maps: Array<{ start: number; end: number; perms: string; name: string; rss: number }> = [];
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (m)
      maps.push({
        start: Number.parseInt(m[1]!, 16),
        end: Number.parseInt(m[2]!, 16),
        perms: m[3]!,
        name: m[4]!,
        rss: 0,
      });
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && maps.length > 0) maps.at(-1)!.rss = Number(rss[1]) / 1024;
  }
  maps.forEach((x, i) => {
    const next = maps[i + 1];
    const arena =
      x.name === '' &&
      x.start % HEAP_MAX === 0 &&
      (x.end - x.start === HEAP_MAX ||
        (next?.start === x.end && next.perms.startsWith('---') && next.end - x.start === HEAP_MAX));
    const kind = x.name === '[heap]' ? 'brk' : x.name.startsWith('/') ? 'files' : arena ? 'arenas' : 'anon';
    out[kind]! += x.rss;
  });
  for (const k of Object.keys(out)) out[k] = Math.round(out[k]!);
  return out;
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
      `${JSON.stringify({ op, t: Math.round(process.uptime()), rss: mib(m.rss), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers), spaces, resident: residentByKind() })}\n`,
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
// tuned process the CLI and the actions run in. Node resolves symlinks for the entry module's URL (node_modules
// may be a link), so compare real paths.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await runCommand(new URL(import.meta.url), async () => {
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
