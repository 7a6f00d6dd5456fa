// The PostgreSQL store through the CLI, driven by backdrill.yml, as an operator runs it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { RepoLock } from '../../src/repo/lock.ts';
import { Repository } from '../../src/repo/repository.ts';
import { openBackend } from '../../src/storage/index.ts';
import { runCli } from '../helpers/cli.ts';
import { cliEnv, newLocation, PASSWORD, tempDir } from '../helpers/repo.ts';
import { freshDatabase, services } from '../services/context.ts';
import { connectionUrl } from '../services/postgres.ts';

async function exec(config: pg.ClientConfig, text: string): Promise<void> {
  const c = new pg.Client(config);
  await c.connect();
  await c.query(text);
  await c.end();
}

/**
 * A backdrill.yml with one PostgreSQL store, `app`, over the database `db`, a folder repository location (not yet
 * created), and the environment to run the CLI with (the database password comes from the environment).
 */
async function appConfig(db: string) {
  const info = services().postgres;
  const location = await newLocation('folder');
  const config = join(tempDir(), 'backdrill.yml');
  writeFileSync(
    config,
    `version: 1
repository:
  location: ${location}
  password: \${BACKDRILL_PASSWORD}
stores:
  - name: app
    kind: postgres
    url: postgresql://${info.user}:\${PG_PASSWORD}@${info.host}:${info.port}/postgres
    databases: [${db}]
`,
  );
  const env = { ...cliEnv(''), BACKDRILL_REPOSITORY: '', BACKDRILL_CONFIG: config, PG_PASSWORD: info.password };
  return { info, location, config, env };
}

describe('backdrill backup / restore / compare with backdrill.yml (real PostgreSQL)', () => {
  it('backs up, restores into an empty database, compares, and refuses a non-empty target', async () => {
    const db = await freshDatabase('cli');
    await exec(
      db.config,
      "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 1000) i",
    );
    const { info, location, env } = await appConfig(db.name);
    expect((await runCli(['init'], { env: { ...env, BACKDRILL_REPOSITORY: location } })).code).toBe(0);

    const backup = await runCli(['backup', '--json'], { env });
    expect(backup.code, backup.stderr).toBe(0);
    const out = JSON.parse(backup.stdout);
    expect(out.snapshots).toHaveLength(1);
    expect(out.snapshots[0]).toMatchObject({ store: 'app', kind: 'postgres', warnings: [] });
    expect(out.backup_set).toMatch(/^[0-9a-f]{32}$/);
    // Nothing secret in what the CLI printed.
    expect(backup.stdout + backup.stderr).not.toContain(info.password);

    const targetName = `${db.name}_restored`;
    const target = connectionUrl(info, targetName);
    const restored = await runCli(['restore', 'latest', '--store', 'app', '--target', target, '--json'], { env });
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ store: 'app', safety_snapshot_id: null });

    const same = await runCli(['compare', 'latest', '--store', 'app', '--target', target, '--json'], { env });
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ match: true, differences: [] });

    await exec({ ...db.config, database: targetName }, 'DELETE FROM t WHERE id = 500');
    const differs = await runCli(['compare', 'latest', '--store', 'app', '--target', target], { env });
    expect(differs.code).toBe(3);
    expect(differs.stdout).toContain(`${db.name}: table public.t: 999 rows/entities, expected 1000`);

    const refused = await runCli(['restore', 'latest', '--store', 'app', '--target', target], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not empty');
    const forced = await runCli(['restore', 'latest', '--store', 'app', '--target', target, '--force'], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(
      /saved as snapshot [0-9a-f]{8}; to roll back:\n {2}backdrill restore [0-9a-f]{64} --store app/,
    );
    expect((await runCli(['compare', 'latest', '--store', 'app', '--target', target], { env })).code).toBe(3); // latest is now the safety snapshot
    const list = JSON.parse((await runCli(['snapshots', '--json', '--store', 'app'], { env })).stdout);
    expect(list.map((s: { tags: string[] }) => s.tags)).toEqual([[], ['safety']]);
  }, 120_000);

  it('a repository that does not open, or is locked, fails the backup: nothing saved, no session left', async () => {
    const db = await freshDatabase('cliopen');
    await exec(db.config, 'CREATE TABLE t AS SELECT i, md5(i::text) AS v FROM generate_series(1, 1000) i');
    const { location, env } = await appConfig(db.name);
    const init = await runCli(['init'], { env: { ...env, BACKDRILL_REPOSITORY: location } });
    expect(init.code, init.stderr).toBe(0);
    const sessions = async () => {
      const c = new pg.Client({ ...db.config, database: 'postgres' });
      await c.connect();
      const r = await c.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [db.name],
      );
      await c.end();
      return r.rows[0].n as number;
    };

    const wrong = await runCli(['backup'], { env: { ...env, BACKDRILL_PASSWORD: 'not-the-password' } });
    expect(wrong.code, wrong.stderr).toBe(12);
    expect(wrong.stderr).toContain('password');
    expect(await sessions()).toBe(0);

    const repo = await Repository.open(openBackend(location), { password: PASSWORD });
    const lock = await RepoLock.acquire(repo, 'exclusive', { operation: 'prune' });
    const locked = await runCli(['backup'], { env });
    expect(locked.code, locked.stderr).toBe(11);
    expect(locked.stderr).toMatch(/exclusive lock [0-9a-f]{8} held by .+ for prune/);
    expect(await sessions()).toBe(0);
    await lock.release();
    await repo.close();

    const list = await runCli(['snapshots', '--json'], { env: { ...env, BACKDRILL_REPOSITORY: location } });
    expect(JSON.parse(list.stdout)).toEqual([]);
    const ok = await runCli(['backup'], { env });
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);

  it('bad input names what is wrong: unknown store, missing config, unreadable config', async () => {
    const env = { ...cliEnv(await newLocation('folder')), BACKDRILL_CONFIG: join(tempDir(), 'missing.yml') };
    const missing = await runCli(['backup'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the config file .*missing\.yml: ENOENT/);
    const config = join(tempDir(), 'backdrill.yml');
    writeFileSync(
      config,
      'version: 1\nrepository:\n  location: /x\nstores:\n  - name: app\n    kind: postgres\n    url: postgresql://h/db\n',
    );
    const unknown = await runCli(['backup', '--store', 'nope'], { env: { ...env, BACKDRILL_CONFIG: config } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--store nope: no such store in the config');
    expect(unknown.stderr).toContain('stores: app');
  });
});
