// The Qdrant store through the CLI, driven by backdrill.yml, as an operator runs it, against the Qdrant REST double
// (a double: no real Qdrant server can be obtained here). Exit codes are the documented ones.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QdrantDouble } from '../doubles/qdrant/index.ts';
import { runCli } from '../helpers/cli.ts';
import { cliEnv, newLocation, tempDir } from '../helpers/repo.ts';
import { services } from '../services/context.ts';
import { qdrantRequest, seedRich } from './qdrant-fixture.ts';

async function setup(url: string, collections: string[], mode: 'snapshot' | 'logical') {
  const dir = tempDir();
  const config = join(dir, 'backdrill.yml');
  const location = await newLocation('folder');
  writeFileSync(
    config,
    `version: 1
repository:
  location: ${location}
  password: \${BACKDRILL_PASSWORD}
stores:
  - name: vectors
    kind: qdrant
    url: ${url}
    apiKey: \${QDRANT_API_KEY}
    mode: ${mode}
    collections: [${collections.join(', ')}]
`,
  );
  const env = { ...cliEnv(''), BACKDRILL_REPOSITORY: '', BACKDRILL_CONFIG: config };
  expect((await runCli(['init'], { env: { ...env, BACKDRILL_REPOSITORY: location } })).code).toBe(0);
  return { env, config };
}

describe('backdrill backup / restore / compare of a Qdrant store (Qdrant double)', () => {
  it('backs up, restores, compares; names a lost point (exit 3); refuses other versions and wrong keys (exit 2)', async () => {
    const q = services().qdrant;
    const data = await seedRich({ url: q.url, apiKey: q.apiKey }, `cli_${randomBytes(3).toString('hex')}`, 20);
    const { env, config } = await setup(q.url, [data.plain, data.named], 'snapshot');
    const withKey = { ...env, QDRANT_API_KEY: q.apiKey };

    const backup = await runCli(['backup', '--json'], { env: withKey });
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout).snapshots[0]).toMatchObject({ store: 'vectors', kind: 'qdrant' });
    expect(backup.stdout + backup.stderr).not.toContain(q.apiKey);

    await using target = await QdrantDouble.start({ version: q.version });
    const restored = await runCli(['restore', 'latest', '--store', 'vectors', '--target', target.url], {
      env: withKey,
    });
    expect(restored.code, restored.stderr).toBe(0);
    const same = await runCli(['compare', 'latest', '--store', 'vectors', '--target', target.url, '--json'], {
      env: withKey,
    });
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ match: true, differences: [] });

    await qdrantRequest(
      { url: target.url },
      'POST',
      `/collections/${data.plain}/points/delete?wait=true`,
      `{"points":[${data.plainIds[0]}]}`,
    );
    const differs = await runCli(['compare', 'latest', '--store', 'vectors', '--target', target.url], { env: withKey });
    expect(differs.code).toBe(3);
    expect(differs.stdout).toContain(`collection ${data.plain}: 20 rows/entities, expected 21`);

    await using other = await QdrantDouble.start({ version: '1.18.4' });
    const refused = await runCli(['restore', 'latest', '--store', 'vectors', '--target', other.url], { env: withKey });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/runs Qdrant 1\.18\.4\. A snapshot restores only into the same minor version/);
    expect(refused.stderr).toMatch(/mode: logical/);

    const wrongKey = await runCli(['backup'], { env: { ...env, QDRANT_API_KEY: 'not-the-key' } });
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/store vectors: Qdrant at http:\/\/127\.0\.0\.1:\d+ rejected the request/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the file keeps the variable, not the key
    expect(readFileSync(config, 'utf8')).toContain('${QDRANT_API_KEY}');
  });

  it('an unreachable server is exit 2 and names the URL', async () => {
    const dead = await QdrantDouble.start();
    const url = dead.url;
    await dead.stop();
    const { env } = await setup(url, ['docs'], 'logical');
    const r = await runCli(['backup'], { env: { ...env, QDRANT_API_KEY: 'k' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`store vectors: Qdrant at ${url} is unreachable (ECONNREFUSED)`);
  });
});
