// The repository commands as a user runs them: exit codes, JSON shapes, and what bad input gets.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RepoLock } from '../../src/repo/lock.ts';
import { Repository } from '../../src/repo/repository.ts';
import { openBackend } from '../../src/storage/index.ts';
import { runCli } from '../helpers/cli.ts';
import { cliEnv, newLocation, PASSWORD, tempDir } from '../helpers/repo.ts';
import { randomStream } from '../helpers/streams.ts';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('the committed bundle (bin/backdrill.js)', () => {
  // The bundle loads the S3 SDK from its own chunk on first use (src/storage/s3.ts): prove that chunk loads.
  it('backs up standard input into a MinIO repository and reads it back', async () => {
    const env = cliEnv(await newLocation('minio'));
    const cli = (args: string[], input?: Buffer) =>
      spawnSync(process.execPath, [new URL('../../bin/backdrill.js', import.meta.url).pathname, ...args], {
        env,
        ...(input ? { input } : {}),
        maxBuffer: 64 * 1024 * 1024,
      });
    expect(cli(['init']).status).toBe(0);
    const data = Buffer.concat(await randomStream({ size: 3 * 1024 * 1024, seed: 'bundle' }).toArray());
    const backup = cli(['backup', '--stdin', '--name', 'data.bin', '--json'], data);
    expect(backup.stderr.toString()).toBe('');
    const { snapshot_id: id } = JSON.parse(backup.stdout.toString()) as { snapshot_id: string };
    const dump = cli(['dump', id, 'data.bin']);
    expect(dump.status).toBe(0);
    expect(dump.stdout.equals(data)).toBe(true);
  });
});

describe.each(['folder', 'minio'] as const)('backdrill repository commands on %s', (kind) => {
  it('init, backup --stdin --json, snapshots --json, dump and verify --json work together', async () => {
    const env = cliEnv(await newLocation(kind));
    if (kind === 'minio')
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
        AWS_REGION: env.AWS_REGION,
      });
    expect((await runCli(['init'], { env })).code).toBe(0);
    const data = Buffer.concat(await randomStream({ size: 3_000_000, seed: 'cli' }).toArray());
    const b1 = await runCli(['backup', '--stdin', '--name', 'db.dump', '--tag', 'nightly', '--json'], {
      env,
      stdin: data,
    });
    expect(b1.code, b1.stderr).toBe(0);
    const s1 = JSON.parse(b1.stdout);
    expect(Object.keys(s1).sort()).toEqual(
      ['bytes_added', 'bytes_processed', 'chunks_new', 'chunks_reused', 'duration_ms', 'snapshot_id'].sort(),
    );
    expect(s1.bytes_processed).toBe(data.length);
    const b2 = await runCli(['backup', '--stdin', '--name', 'db.dump', '--json'], { env, stdin: data });
    const s2 = JSON.parse(b2.stdout);
    expect(s2.bytes_added).toBe(0);
    expect(s2.chunks_reused).toBe(s1.chunks_new);

    const list = await runCli(['snapshots', '--json'], { env });
    const snaps = JSON.parse(list.stdout);
    expect(snaps).toHaveLength(2);
    expect(snaps[0]).toEqual({
      id: s1.snapshot_id,
      time: expect.any(String),
      store: 'db.dump',
      kind: 'stream',
      tags: ['nightly'],
      size: data.length,
      backup_set: null,
    });
    const tagged = JSON.parse((await runCli(['snapshots', '--json', '--tag', 'nightly'], { env })).stdout);
    expect(tagged.map((s: { id: string }) => s.id)).toEqual([s1.snapshot_id]);

    const dump = await runCliBinary(['dump', s1.snapshot_id.slice(0, 8), 'db.dump'], env);
    expect(dump.code).toBe(0);
    expect(dump.stdout.equals(data)).toBe(true);

    const verify = await runCli(['verify', '--read-data', '--json'], { env });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, errors: [] });
  });

  it('a wrong password exits 12 and writes nothing; a missing repository exits 10', async () => {
    const location = await newLocation(kind);
    const env = cliEnv(location);
    if (kind === 'minio')
      Object.assign(process.env, {
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
        AWS_REGION: env.AWS_REGION,
      });
    await runCli(['init'], { env });
    const backend = openBackend(location);
    const before = await keysOf(backend);
    const wrong = { ...env, BACKDRILL_PASSWORD: 'not it' };
    const r = await runCli(['backup', '--stdin', '--name', 'x'], { env: wrong, stdin: Buffer.from('data') });
    expect(r.code).toBe(12);
    expect(r.stderr).toContain('wrong password');
    expect(r.stderr).not.toContain('not it');
    expect(await keysOf(backend)).toEqual(before);
    await backend.close();

    const missing = await runCli(['snapshots'], { env: cliEnv(await newLocation(kind)) });
    expect(missing.code).toBe(10);
    expect(missing.stderr).toContain('there is no repository');
    expect(missing.stderr).toContain('backdrill init');
  });
});

async function keysOf(backend: ReturnType<typeof openBackend>): Promise<string[]> {
  const out: string[] = [];
  for await (const o of backend.list('')) out.push(`${o.key}:${o.size}`);
  return out.sort();
}

async function runCliBinary(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  return { code, stdout: Buffer.concat(out), stderr };
}

describe('bad input and faults (folder repository)', () => {
  it('a held exclusive lock makes backup exit 11 naming the holder; --retry-lock waits it out', async () => {
    const location = await newLocation('folder');
    const env = cliEnv(location);
    await runCli(['init'], { env });
    const repo = await Repository.open(openBackend(location), { password: PASSWORD });
    const lock = await RepoLock.acquire(repo, 'exclusive', { operation: 'prune' });
    const r = await runCli(['backup', '--stdin', '--name', 'x'], { env, stdin: Buffer.from('data') });
    expect(r.code).toBe(11);
    expect(r.stderr).toMatch(/exclusive lock [0-9a-f]{8} held by .+@.+ \(pid \d+\) for prune/);
    setTimeout(() => void lock.release(), 1500);
    const waited = await runCli(['backup', '--stdin', '--name', 'x', '--retry-lock', '30s'], {
      env,
      stdin: Buffer.from('data'),
    });
    expect(waited.code, waited.stderr).toBe(0);
    await repo.close();
  });

  it('an exclusive lock cannot be taken while a backup holds its shared lock', async () => {
    const location = await newLocation('folder');
    await runCli(['init'], { env: cliEnv(location) });
    const repo = await Repository.open(openBackend(location), { password: PASSWORD });
    const shared = await RepoLock.acquire(repo, 'shared', { operation: 'backup db' });
    await expect(RepoLock.acquire(repo, 'exclusive', { operation: 'prune' })).rejects.toMatchObject({
      kind: 'lock-held',
      message: expect.stringContaining('shared lock'),
    });
    // Shared locks do not block each other: two backups run at once.
    const other = await RepoLock.acquire(repo, 'shared', { operation: 'backup graph' });
    await other.release();
    await shared.release();
    const excl = await RepoLock.acquire(repo, 'exclusive', { operation: 'prune' });
    await excl.release();
    await repo.close();
  });

  it('a corrupt config or key file is a clear error naming the object', async () => {
    const location = await newLocation('folder');
    const env = cliEnv(location);
    await runCli(['init'], { env });
    const keyFile = listFiles(join(location, 'keys'))[0]!;
    const good = readFileSync(keyFile);
    writeFileSync(keyFile, '{ this is not json');
    const r1 = await runCli(['snapshots'], { env });
    expect(r1.code).toBe(3);
    expect(r1.stderr).toMatch(/key file keys\/[0-9a-f]{64} is not valid JSON/);
    writeFileSync(keyFile, good);

    const config = join(location, 'config');
    const bytes = readFileSync(config);
    bytes[bytes.length - 3]! ^= 0x40;
    writeFileSync(config, bytes);
    const r2 = await runCli(['snapshots'], { env });
    expect(r2.code).toBe(3);
    expect(r2.stderr).toContain('the repository config cannot be read');
    expect(r2.stderr).toContain('fails authentication');
  });

  it('init refuses an existing repository, and an encrypted one without a password', async () => {
    const location = await newLocation('folder');
    const env = cliEnv(location);
    expect((await runCli(['init'], { env })).code).toBe(0);
    const again = await runCli(['init'], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a repository already exists');
    const nopw = await runCli(['init'], { env: { ...cliEnv(await newLocation('folder')), BACKDRILL_PASSWORD: '' } });
    expect(nopw.code).toBe(2);
    expect(nopw.stderr).toContain('without a password');
  });

  it('init compresses at zstd level 1 unless --compression-level says otherwise', async () => {
    const levelOf = async (args: string[]) => {
      const location = await newLocation('folder');
      expect((await runCli(['init', ...args], { env: cliEnv(location) })).code).toBe(0);
      const repo = await Repository.open(openBackend(location), { password: PASSWORD });
      try {
        return repo.config.compression.level;
      } finally {
        await repo.close();
      }
    };
    expect(await levelOf([])).toBe(1);
    expect(await levelOf(['--compression-level', '3'])).toBe(3);
  });

  it('an unencrypted repository must be asked for, and refuses a password later (fails closed)', async () => {
    const location = await newLocation('folder');
    const plain = { ...cliEnv(location), BACKDRILL_PASSWORD: '' };
    expect((await runCli(['init', '--encryption', 'none'], { env: plain })).code).toBe(0);
    expect((await runCli(['backup', '--stdin', '--name', 'x'], { env: plain, stdin: Buffer.from('hello') })).code).toBe(
      0,
    );
    const withPw = await runCli(['backup', '--stdin', '--name', 'x'], {
      env: cliEnv(location),
      stdin: Buffer.from('x'),
    });
    expect(withPw.code).toBe(2);
    expect(withPw.stderr).toContain('is not encrypted, but a password was given');
  });

  it('key add / list / passwd / remove: another password opens the same data; the last key cannot go', async () => {
    const location = await newLocation('folder');
    const env = cliEnv(location);
    await runCli(['init'], { env });
    await runCli(['backup', '--stdin', '--name', 'x'], { env, stdin: Buffer.from('secret data') });
    const pwFile = join(tempDir(), 'pw');
    writeFileSync(pwFile, 'second password\n');
    expect((await runCli(['key', 'add', '--new-password-file', pwFile], { env })).code).toBe(0);
    const keys = JSON.parse((await runCli(['key', 'list', '--json'], { env })).stdout);
    expect(keys).toHaveLength(2);
    const second = { ...env, BACKDRILL_PASSWORD: '', BACKDRILL_PASSWORD_FILE: pwFile };
    const dump = await runCli(['dump', 'latest', 'x'], { env: second });
    expect(dump.stdout).toBe('secret data');
    // passwd for the first password: its key file goes, a new one comes; the second key is untouched.
    const before = keys.map((k: { id: string }) => k.id);
    const third = join(tempDir(), 'pw3');
    writeFileSync(third, 'third password');
    expect((await runCli(['key', 'passwd', '--new-password-file', third], { env })).code).toBe(0);
    expect((await runCli(['snapshots'], { env })).code).toBe(12);
    const thirdEnv = { ...env, BACKDRILL_PASSWORD: 'third password' };
    expect((await runCli(['snapshots'], { env: thirdEnv })).code).toBe(0);
    const after = JSON.parse((await runCli(['key', 'list', '--json'], { env: thirdEnv })).stdout).map(
      (k: { id: string }) => k.id,
    );
    expect(after).toHaveLength(2);
    const secondId = after.find((id: string) => before.includes(id));
    const thirdId = after.find((id: string) => !before.includes(id));
    expect((await runCli(['key', 'remove', secondId.slice(0, 8)], { env: thirdEnv })).code).toBe(0);
    expect((await runCli(['snapshots'], { env: second })).code).toBe(12);
    const refuse = await runCli(['key', 'remove', thirdId.slice(0, 8)], { env: thirdEnv });
    expect(refuse.code).toBe(2);
    expect(refuse.stderr).toContain('last key');
  });

  it('usage errors name the flag and exit 2', async () => {
    const env = cliEnv(await newLocation('folder'));
    await runCli(['init'], { env });
    const cases: Array<[string[], RegExp]> = [
      [['backup', '--name', 'x'], /--name goes with --stdin/],
      [['backup', '--stdin'], /needs --name/],
      [['verify', '--read-data-subset', '8/7'], /--read-data-subset "8\/7" is not a subset/],
      [['dump', 'zz', 'x'], /"zz" is not a snapshot ID/],
      [['snapshots', '--bogus'], /Unknown option '--bogus'/],
      [['init', '--encryption', 'rot13'], /--encryption rot13: unknown mode/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    const none = await runCli(['snapshots'], { env: { PATH: process.env.PATH } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('BACKDRILL_REPOSITORY');
  });
});
