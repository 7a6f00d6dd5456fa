// vitest globalSetup: installs (first time) and starts every real test service once per test run, hands their
// connection details to the test files, and always stops them. A service that cannot start fails the run:
// nothing is skipped. The Qdrant REST double runs here too (it is a double, not a server: see test/doubles/qdrant).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startQdrantDouble } from '../doubles/qdrant/service.ts';
import { startMinio } from './minio.ts';
import { startNeo4j } from './neo4j.ts';
import { startPostgres } from './postgres.ts';

/**
 * Every temp folder of the run (test repositories, dumps, sandboxes, the CLI's own) goes under one root, removed
 * when the run ends: test files and the processes they start inherit TMPDIR. BACKDRILL_KEEP_TEST_TMP=1 keeps it.
 */
function runTempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'backdrill-test-run-'));
  chmodSync(root, 0o755); // the local PostgreSQL sandboxes run as the postgres user inside it
  process.env.TMPDIR = root;
  return () => {
    if (process.env.BACKDRILL_KEEP_TEST_TMP === '1') console.log(`test temp files kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const removeTemp = runTempRoot();
  const results = await Promise.allSettled([startPostgres(), startNeo4j(), startMinio(), startQdrantDouble()]);
  const servers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const stopAll = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    removeTemp();
  };
  if (failures.length > 0) {
    await stopAll();
    throw new Error(failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n\n'));
  }
  const [postgres, neo4j, minio, qdrant] = servers as [
    Awaited<ReturnType<typeof startPostgres>>,
    Awaited<ReturnType<typeof startNeo4j>>,
    Awaited<ReturnType<typeof startMinio>>,
    Awaited<ReturnType<typeof startQdrantDouble>>,
  ];
  project.provide('services', { postgres: postgres.info, neo4j: neo4j.info, minio: minio.info, qdrant: qdrant.info });
  console.log(
    `test services up in ${((Date.now() - started) / 1000).toFixed(1)} s: PostgreSQL ${postgres.info.version} ` +
      `:${postgres.info.port}, Neo4j ${neo4j.info.version} ${neo4j.info.boltUrl}, MinIO ${minio.info.endpoint}, Qdrant double ${qdrant.info.url}`,
  );
  return stopAll;
}
