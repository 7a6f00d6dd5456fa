// The README's main-job command: the demo seeds, backs up, verifies and drills on an embedded PostgreSQL.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

describe('npm run demo', () => {
  it('backs up the demo dataset, verifies it and drills it green, printing the RTO', async () => {
    const env = { ...process.env };
    delete env.NEO4J_URL;
    delete env.QDRANT_URL;
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], { timeout: 240_000, env });
    expect(stdout).toContain('verify --read-data: ok');
    expect(stdout).toContain('## ✅ Restore drill passed');
    expect(stdout).toMatch(/demo: RTO [\d.]+ (ms|s|min), RPO [\d.]+ (ms|s|min), drill passed/);
    // Stores it cannot reach are named as skipped, with the reason.
    expect(stdout).toContain('skipped Neo4j: set NEO4J_URL');
    expect(stdout).toContain('skipped Qdrant: set QDRANT_URL');
  }, 300_000);
});
