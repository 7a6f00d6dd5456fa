// How a drill picks its sandboxes: `auto` means testcontainers where a Docker host answers and local binaries
// elsewhere; an explicit testcontainers drill on a machine without Docker fails by store with what to do; the
// image of each store follows the server version its snapshot recorded; external targets are parsed for the
// readiness wait with each kind's default port.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { BackdrillConfig } from '../../src/config/schema.ts';
import { freePort, tcpOpen } from '../../src/drill/process.ts';
import { endpointOf } from '../../src/drill/providers.ts';
import { runDrill } from '../../src/drill/runner.ts';
import { dockerAvailable, sandboxImage } from '../../src/drill/testcontainers.ts';
import { backupSet } from '../../src/stores/set.ts';
import { backendFor, cliEnv, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { connectionUrl } from '../services/postgres.ts';

async function drillOnce(provider: 'auto' | 'testcontainers') {
  const app = await freshDatabase('prov');
  const c = new pg.Client(app.config);
  await c.connect();
  await c.query('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10);');
  await c.end();
  const info = services().postgres;
  const config = BackdrillConfig.parse({
    version: 1,
    repository: { location: 'unused' },
    stores: [
      { name: 'app', kind: 'postgres', url: connectionUrl(info, 'postgres'), databases: [app.name], globals: false },
    ],
    drill: { provider, local: { postgresBinDir: info.binDir } },
  });
  const repo = await initRepo(backendFor(await newLocation('folder')));
  try {
    await backupSet(repo, config, config.stores);
    return await runDrill(repo, { config, drill: config.drill, checks: { checks: [], rules: [] } });
  } finally {
    await repo.close();
  }
}

describe('sandbox providers', () => {
  it('auto: testcontainers when a Docker host answers, else the local binaries', async () => {
    const docker = await dockerAvailable();
    const report = await drillOnce('auto');
    expect(report.stores[0]!.sandbox?.provider).toBe(docker ? 'testcontainers' : 'local');
    expect(report.passed, report.failures.join('\n')).toBe(true);
  });

  it('testcontainers without a Docker host: the drill fails for each store, saying what to do', async () => {
    if (await dockerAvailable()) return expect.fail('this machine has Docker: the no-Docker path cannot be shown');
    const report = await drillOnce('testcontainers');
    expect(report.passed).toBe(false);
    expect(report.failures[0]).toBe(
      'app: no sandbox (testcontainers provider): no Docker host answered for the sandbox of store app',
    );
    expect(report.stores[0]!.restore.ok).toBe(false);
  });

  it('the committed bundle loads testcontainers from its own chunk (the drill reaches the Docker question)', async () => {
    if (await dockerAvailable()) return expect.fail('this machine has Docker: the no-Docker path cannot be shown');
    const app = await freshDatabase('bundle');
    const info = services().postgres;
    const dir = tempDir('bd-bundle-drill-');
    writeFileSync(
      join(dir, 'backdrill.yml'),
      `version: 1
repository: { location: unused-the-environment-wins }
stores:
  - { name: app, kind: postgres, url: '${connectionUrl(info, 'postgres')}', databases: [${app.name}], globals: false }
drill: { provider: testcontainers }
`,
    );
    const env = cliEnv(await newLocation('folder'));
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/backdrill.js', import.meta.url)), ...args], {
        env,
        encoding: 'utf8',
      });
    const config = ['--config', join(dir, 'backdrill.yml')];
    const init = cli(['init', ...config]);
    expect(init.status, init.stderr).toBe(0);
    const backup = cli(['backup', ...config]);
    expect(backup.status, backup.stderr).toBe(0);
    const drill = cli(['drill', ...config, '--json']);
    expect(drill.status, drill.stderr).toBe(3);
    const report = JSON.parse(drill.stdout) as { failures: string[] };
    expect(report.failures).toEqual([
      'app: no sandbox (testcontainers provider): no Docker host answered for the sandbox of store app',
    ]);
  });

  it("each store's image follows the version its snapshot recorded, else the pinned default", () => {
    expect(sandboxImage('postgres', '15.18 (Debian 15.18-1.pgdg120+1)')).toBe('postgres:15');
    expect(sandboxImage('postgres', undefined)).toBe('postgres:16');
    expect(sandboxImage('neo4j', '5.26.30')).toBe('neo4j:5.26.30-community');
    expect(sandboxImage('neo4j', '5.27-aura')).toBe('neo4j:5.27-community');
    expect(sandboxImage('neo4j', undefined)).toBe('neo4j:5.26-community');
    expect(sandboxImage('qdrant', '1.17.1')).toBe('qdrant/qdrant:v1.17.1');
    expect(sandboxImage('qdrant', undefined)).toBe('qdrant/qdrant:v1.19.0');
  });

  it('external targets: host and port, with the kind default when the URL has none', () => {
    expect(endpointOf('postgres', 'postgresql://u:p@db.internal/app')).toEqual({ host: 'db.internal', port: 5432 });
    expect(endpointOf('neo4j', 'bolt://neo4j:pw@localhost:7688')).toEqual({ host: 'localhost', port: 7688 });
    expect(endpointOf('neo4j', 'neo4j+s://abcd.databases.neo4j.io')).toEqual({
      host: 'abcd.databases.neo4j.io',
      port: 7687,
    });
    expect(endpointOf('qdrant', 'http://[::1]:6334')).toEqual({ host: '::1', port: 6334 });
    expect(endpointOf('qdrant', 'not a url')).toBeUndefined();
  });
});

describe('free ports', () => {
  it('are never handed out twice in one process, though the kernel gives a closed port again', async () => {
    // Servers of one drill (and the test services) each take a port and bind it seconds later: with a thousand
    // draws from the kernel's ephemeral range, dozens would repeat.
    const ports = [];
    for (let i = 0; i < 1000; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('sandboxes outlive no drill', () => {
  it('a drill process killed with SIGKILL (no exit handler runs) leaves no local server or data directory behind', async () => {
    const script = fileURLToPath(new URL('./fixtures/orphan-sandbox.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, PG_BIN_DIR: services().postgres.binDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`the sandbox script exited (${code}) before starting`)));
    });
    const { port, root } = JSON.parse(line) as { port: number; root: string };
    expect(await tcpOpen(port)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && ((await tcpOpen(port)) || existsSync(root)))
      await new Promise((r) => setTimeout(r, 500));
    expect(await tcpOpen(port)).toBe(false);
    expect(existsSync(root)).toBe(false);
  }, 60_000);
});
