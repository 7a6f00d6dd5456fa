// The README's main-job command: the demo seeds, backs up, verifies and drills on an embedded PostgreSQL, plus
// Neo4j (NEO4J_HOME: the test suite's Neo4j 5.26 install) and Qdrant (QDRANT_BINARY: here the Qdrant double's
// command, as no real Qdrant binary can be had) when they are available, naming what it skipped otherwise.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installNeo4j } from './services/neo4j.ts';

const exec = promisify(execFile);

async function demo(extra: Record<string, string>): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of ['NEO4J_HOME', 'QDRANT_BINARY']) if (!(k in extra)) delete env[k];
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { timeout: 400_000, env });
  return stdout;
}

describe('npm run demo', () => {
  it('on PostgreSQL alone: backs up, verifies and drills green, printing the RTO and what it skipped', async () => {
    const stdout = await demo({});
    expect(stdout).toContain('verify --read-data: ok');
    expect(stdout).toContain('## ✅ Restore drill passed');
    expect(stdout).toMatch(/demo: stores app: RTO [\d.]+ (ms|s|min), RPO [\d.]+ (ms|s|min), drill passed/);
    expect(stdout).toContain('demo: skipped Neo4j: set NEO4J_HOME');
    expect(stdout).toContain('demo: skipped Qdrant: no qdrant binary on PATH; set QDRANT_BINARY');
  }, 300_000);

  it('with Neo4j and Qdrant available: one backup set of three stores, the cross-store rules hold', async () => {
    const { libDir } = await installNeo4j();
    const stdout = await demo({
      NEO4J_HOME: libDir,
      QDRANT_BINARY: fileURLToPath(new URL('./doubles/qdrant/bin/qdrant-double', import.meta.url)),
    });
    expect(stdout).not.toContain('demo: skipped');
    expect(stdout).toContain('## ✅ Restore drill passed');
    expect(stdout).toMatch(/\| graph \| neo4j \| `[0-9a-f]{8}` \| [^|]+ \| local 5\.26\.\d+ \| [^|]+ \| matches \|/);
    expect(stdout).toMatch(/\| vectors \| qdrant \| `[0-9a-f]{8}` \| [^|]+ \| local [\d.]+ \| [^|]+ \| matches \|/);
    expect(stdout).toContain(
      '| the same people in PostgreSQL and the graph | app, graph | ✅ ok: 500 key(s) in app, 500 in graph |',
    );
    expect(stdout).toContain(
      '| every document has an embedding | app, vectors | ✅ ok: 2000 key(s) in app, 2000 in vectors |',
    );
    expect(stdout).toMatch(
      /demo: stores app, graph, vectors: RTO [\d.]+ (ms|s|min), RPO [\d.]+ (ms|s|min), drill passed/,
    );
  }, 400_000);
});
