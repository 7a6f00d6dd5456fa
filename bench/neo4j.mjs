// Neo4j store benchmark launcher. Bundles the measured operations (bench/neo4j-child.ts and the pipeline worker)
// with esbuild, as the CLI is bundled, so that the measured processes carry no TypeScript loader; then runs the
// orchestration (bench/neo4j-bench.ts: test servers, data, timing) from source with the pinned Node 24.
//
//   node bench/neo4j.mjs                  1M nodes, 2M relationships (writes bench/results/neo4j.json)
//   node bench/neo4j.mjs --quick          100k nodes, 200k relationships (bench/results/neo4j-100000.json)
//   node bench/neo4j.mjs --nodes N --relationships N [--heap 1g] [--pagecache 1g] [--out FILE] [--keep]
//                         [--child-node-options "--max-old-space-size=160"]   V8 flags for the measured processes
//
// Needs Java 17 (the Neo4j test service installs the server jars into ~/.cache/backdrill-test) and GNU time
// (/usr/bin/time; Debian: apt-get install time) for the peak RSS of each measured process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// Inside node_modules, so that the bundle's external imports (neo4j-driver, zod, ...) resolve from the project.
const outdir = join(root, 'node_modules', '.cache', 'backdrill-bench', 'neo4j');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'package.json'), '{"type":"module"}\n');

if (!existsSync('/usr/bin/time')) {
  console.error('GNU time is missing (/usr/bin/time): apt-get install -y time');
  process.exit(1);
}

await build({
  entryPoints: {
    'neo4j-child': join(root, 'bench/neo4j-child.ts'),
    'pipeline-worker': join(root, 'src/pipeline/worker-entry.ts'),
  },
  outdir,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// The orchestration (test servers, data generation) runs from source; only the measured children are bundled.
const node = join(root, 'node_modules', 'node', 'bin', 'node');
const run = spawnSync(
  existsSync(node) ? node : process.execPath,
  ['--import', 'tsx', join(root, 'bench/neo4j-bench.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, BACKDRILL_BENCH_CHILD: join(outdir, 'neo4j-child.js') } },
);
process.exit(run.status ?? 1);
