// Bundles the CLI and every action entry point into dist/ (committed: GitHub runs actions from the repository
// as it is, without npm install). `--check` rebuilds into a temp dir and fails when dist/ differs (CI).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const check = process.argv.includes('--check');
const root = new URL('..', import.meta.url).pathname;
const outdir = check ? mkdtempSync(join(tmpdir(), 'backdrill-dist-')) : join(root, 'dist');

const entryPoints = {
  cli: join(root, 'src/cli/index.ts'),
  'pipeline-worker': join(root, 'src/pipeline/worker-entry.ts'),
};
const actionsDir = join(root, 'src/actions/entry');
if (existsSync(actionsDir)) {
  for (const f of readdirSync(actionsDir).filter((f) => f.endsWith('.ts'))) {
    entryPoints[`actions/${f.replace(/\.ts$/, '')}`] = join(actionsDir, f);
  }
}

if (!check) rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (pg, the AWS SDK, testcontainers' dockerode) call require() and read __dirname; ESM
  // bundles need them made. ssh2's optional native crypto binding is left out (it falls back to JavaScript).
  banner: {
    js: [
      "import { createRequire as __bdCreateRequire } from 'node:module';",
      "import { fileURLToPath as __bdFileURLToPath } from 'node:url';",
      "import { dirname as __bdDirname } from 'node:path';",
      'const require = __bdCreateRequire(import.meta.url);',
      'const __filename = __bdFileURLToPath(import.meta.url);',
      'const __dirname = __bdDirname(__filename);',
    ].join(' '),
  },
  loader: { '.node': 'empty' },
});

if (check) {
  const list = (dir, prefix = '') =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
  const want = list(outdir).sort();
  const have = existsSync(join(root, 'dist')) ? list(join(root, 'dist')).sort() : [];
  const stale = [
    ...want.filter(
      (f) => !have.includes(f) || !readFileSync(join(outdir, f)).equals(readFileSync(join(root, 'dist', f))),
    ),
    ...have.filter((f) => !want.includes(f)),
  ];
  rmSync(outdir, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(
      `dist/ is stale (${stale.length} files differ: ${stale.slice(0, 5).join(', ')}). Run \`npm run build\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is up to date');
}
