// Restore drills through the local provider against the real PostgreSQL binaries: a clean set drills green,
// and each injected fault fails the drill with the right reason. No sandbox may outlive its drill.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackdrillConfig } from '../../src/config/schema.ts';
import { BackdrillConfig as ConfigSchema } from '../../src/config/schema.ts';
import { ChecksFile, expandBuiltins } from '../../src/drill/checks.ts';
import { runDrill } from '../../src/drill/runner.ts';
import type { Repository } from '../../src/repo/repository.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { DrillReport } from '../../src/report/report.ts';
import { backupSet } from '../../src/stores/set.ts';
import { backendFor, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { connectionUrl } from '../services/postgres.ts';

async function sql(config: pg.ClientConfig, text: string): Promise<unknown[]> {
  const c = new pg.Client(config);
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Sandboxes of this test get their own TMPDIR (other suites run servers on this machine at the same time), so
 * anything left in it, or any process running from it, is a leak of this drill.
 */
function privateTmp(): string {
  const dir = sharedTmp();
  process.env.TMPDIR = dir;
  return dir;
}

/** Like /tmp: the server runs as the postgres user and must reach its own folder inside. */
function sharedTmp(): string {
  const dir = tempDir('bd-drill-tmp-');
  chmodSync(dir, 0o1777);
  return dir;
}

function leftovers(dir: string): { dirs: string[]; procs: string } {
  // tsx-* is tsx's compile cache (the CLI runs from source here), not a sandbox.
  const dirs = readdirSync(dir).filter((d) => !d.startsWith('tsx-'));
  let procs = '';
  try {
    procs = execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' });
  } catch {
    procs = '';
  }
  return { dirs, procs };
}

afterEach(() => {
  if (ORIGINAL_TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = ORIGINAL_TMPDIR;
});
const ORIGINAL_TMPDIR = process.env.TMPDIR;

const checksYaml = ChecksFile.parse({
  version: 1,
  checks: [{ name: 'customers restored', store: 'app', sql: 'SELECT count(*) FROM customers', expect: { min: 3 } }],
  rules: [
    {
      name: 'every customer is in the warehouse',
      kind: 'subset',
      left: { store: 'app', sql: 'SELECT id::text FROM customers' },
      right: { store: 'warehouse', sql: 'SELECT customer_id::text FROM dim_customer' },
    },
    {
      name: 'no orphan orders',
      builtin: 'orphans',
      children: { store: 'app', sql: 'SELECT customer_id::text FROM orders' },
      parents: { store: 'app', sql: 'SELECT id::text FROM customers' },
    },
    { name: 'customers have emails', builtin: 'nulls', store: 'app', table: 'customers', fields: ['email'] },
  ],
});

interface Fixture {
  repo: Repository;
  config: BackdrillConfig;
  app: pg.ClientConfig;
  warehouse: pg.ClientConfig;
}

async function fixture(drill: Record<string, unknown> = {}): Promise<Fixture> {
  const info = services().postgres;
  const app = await freshDatabase('app');
  const warehouse = await freshDatabase('wh');
  await sql(
    app.config,
    `CREATE TABLE customers (id int PRIMARY KEY, email text);
    INSERT INTO customers SELECT i, 'c' || i || '@example.com' FROM generate_series(1, 50) i;
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id));
    INSERT INTO orders SELECT i, 1 + i % 50 FROM generate_series(1, 200) i;
    CREATE INDEX orders_customer ON orders (customer_id);`,
  );
  await sql(
    warehouse.config,
    `CREATE TABLE dim_customer (customer_id int PRIMARY KEY);
    INSERT INTO dim_customer SELECT i FROM generate_series(1, 50) i;`,
  );
  const config = ConfigSchema.parse({
    version: 1,
    repository: { location: 'unused' },
    stores: [
      { name: 'app', kind: 'postgres', url: connectionUrl(info, 'postgres'), databases: [app.name], globals: false },
      {
        name: 'warehouse',
        kind: 'postgres',
        url: connectionUrl(info, 'postgres'),
        databases: [warehouse.name],
        globals: false,
      },
    ],
    drill: { provider: 'local', local: { postgresBinDir: info.binDir }, ...drill },
  });
  const repo = await initRepo(backendFor(await newLocation('folder')));
  return { repo, config, app: app.config, warehouse: warehouse.config };
}

async function drill(f: Fixture, extra: Partial<Parameters<typeof runDrill>[1]> = {}) {
  return runDrill(f.repo, { config: f.config, drill: f.config.drill, checks: expandBuiltins(checksYaml), ...extra });
}

describe('restore drills (local PostgreSQL sandboxes)', () => {
  it('a clean backup set drills green with a complete report, and the result is recorded', async () => {
    const f = await fixture({ rto: '10m', rpo: '1h' });
    const tmp = privateTmp();
    const set = await backupSet(f.repo, f.config, f.config.stores);
    const report = await drill(f);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(true);
    expect(DrillReport.parse(report)).toEqual(report);
    expect(report.set.id).toBe(set.backupSet);
    expect(report.stores.map((s) => [s.store, s.restore.ok, s.fingerprint.ok, s.sandbox?.provider])).toEqual([
      ['app', true, true, 'local'],
      ['warehouse', true, true, 'local'],
    ]);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['customers restored', true],
      ['customers have emails', true],
      ['every customer is in the warehouse', true],
      ['no orphan orders', true],
    ]);
    expect(report.rto.ms).toBeGreaterThan(0);
    expect(report.rto.ok && report.rpo.ok).toBe(true);
    const md = renderMarkdown(report);
    expect(md).toContain('Restore drill passed');
    expect(md).toContain('| app | postgres |');
    // The next drill sees this one in its history (RTO trend).
    const second = await drill(f);
    expect(second.history.length).toBeGreaterThanOrEqual(2);
    expect(renderMarkdown(second)).toContain('xychart-beta');
    expect(leftovers(tmp)).toEqual({ dirs: [], procs: '' });
  });

  it('a row missing in one store only fails the cross-store rule and names the key', async () => {
    const f = await fixture();
    await sql(f.warehouse, 'DELETE FROM dim_customer WHERE customer_id = 42');
    await backupSet(f.repo, f.config, f.config.stores);
    const report = await drill(f);
    expect(report.passed).toBe(false);
    const rule = report.checks.find((c) => c.name === 'every customer is in the warehouse')!;
    expect(rule.ok).toBe(false);
    expect(rule.samples).toEqual(['42']);
    expect(rule.message).toBe('1 key(s) in app missing from warehouse');
    expect(report.failures).toContain(
      'rule "every customer is in the warehouse": 1 key(s) in app missing from warehouse (e.g. 42)',
    );
  });

  it('a changed value and a dropped index in the restored copy fail the fingerprint comparison, named', async () => {
    const f = await fixture();
    await backupSet(f.repo, f.config, f.config.stores);
    const report = await drill(f, {
      afterRestore: async (store, sandbox) => {
        if (store.name !== 'app') return;
        const db = f.app.database as string;
        const c = { connectionString: `${sandbox.target}/${db}` };
        await sql(c, "UPDATE customers SET email = 'changed@example.com' WHERE id = 7; DROP INDEX orders_customer;");
      },
    });
    expect(report.passed).toBe(false);
    const app = report.stores.find((s) => s.store === 'app')!;
    expect(app.fingerprint.differences.map((d) => [d.object.replace(/^[^:]+: /, ''), d.problem])).toEqual([
      ['index public.orders_customer', 'missing'],
      ['all tables', 'changed'],
      ['table public.customers', 'changed'],
    ]);
    expect(report.stores.find((s) => s.store === 'warehouse')!.fingerprint.ok).toBe(true);
  });

  it('a partial restore (an extension missing in the sandbox) fails the drill and lists what failed', async () => {
    const f = await fixture();
    const info = services().postgres;
    const sharedir = execFileSync(join(info.binDir, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim();
    const files = [
      join(sharedir, 'extension', 'backdrill_drillext.control'),
      join(sharedir, 'extension', 'backdrill_drillext--1.0.sql'),
    ];
    writeFileSync(files[0]!, "default_version = '1.0'\nrelocatable = true\n");
    writeFileSync(files[1]!, 'CREATE FUNCTION drillext_fn() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n');
    try {
      await sql(f.app, 'CREATE EXTENSION backdrill_drillext');
      await backupSet(f.repo, f.config, f.config.stores);
    } finally {
      for (const file of files) rmSync(file, { force: true });
    }
    const report = await drill(f);
    expect(report.passed).toBe(false);
    const app = report.stores.find((s) => s.store === 'app')!;
    expect(app.restore.ok).toBe(false);
    expect(app.restore.failures.join('\n')).toContain('backdrill_drillext');
    expect(report.failures.join('\n')).toMatch(/app: restore failed: store app: \d+ object\(s\) failed to restore/);
  });

  it('a restore exceeding its timeout and a set older than the RPO target fail the drill with those reasons', async () => {
    const f = await fixture({ restoreTimeout: '1ms', rpo: '1ms' });
    await backupSet(f.repo, f.config, f.config.stores);
    const tmp = privateTmp();
    const report = await drill(f);
    expect(report.passed).toBe(false);
    // A failed drill leaves nothing behind either (a restore cut off by the timeout finishes failing and cleans
    // up its temp files within moments of the sandbox going away).
    await expect.poll(() => leftovers(tmp), { timeout: 10_000 }).toEqual({ dirs: [], procs: '' });
    expect(report.failures).toContain('app: restore failed: restore of app exceeded its timeout of 1 ms');
    expect(report.failures.some((x) => /^RPO: the backup set is \d+ min old, older than the target 1ms$/.test(x))).toBe(
      true,
    );
    expect(report.rpo.ok).toBe(false);
  });

  it('an interrupted drill (SIGINT) leaves no servers, ports or temp dirs behind', async () => {
    const f = await fixture();
    await backupSet(f.repo, f.config, f.config.stores);
    const dir = tempDir();
    const configFile = join(dir, 'backdrill.yml');
    writeFileSync(
      configFile,
      JSON.stringify({
        ...f.config,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: backdrill.yml's own interpolation syntax
        repository: { location: f.repo.location, password: '${BACKDRILL_PASSWORD}' },
      }),
    );
    const tmp = sharedTmp();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'drill', '--config', configFile], {
      env: {
        ...process.env,
        TMPDIR: tmp,
        BACKDRILL_PASSWORD: 'correct horse battery staple',
        BACKDRILL_INSECURE_TEST_KDF: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const sawRestore = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('restoring')) resolve();
      });
    });
    await sawRestore;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', (c, sig) => r(c ?? (sig ? 130 : null))));
    expect(code).not.toBe(0);
    expect(stderr).toContain('SIGINT: disposing sandboxes');
    expect(leftovers(tmp)).toEqual({ dirs: [], procs: '' });
  }, 120_000);
});
