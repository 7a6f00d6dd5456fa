// forget and prune against real storage (a folder and MinIO), as a user runs them: bytes freed match the plan's
// estimate, a running backup's chunks survive, the grace period protects fresh chunks, damaged manifests stop
// prune, passed drills protect their snapshots, and bad input gets clear errors without changing anything.
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { backupStreams, SnapshotWriter } from '../../src/repo/backup.ts';
import { layout, SnapshotManifest } from '../../src/repo/format.ts';
import { listLocks, withLock } from '../../src/repo/lock.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import { Repository } from '../../src/repo/repository.ts';
import { writeDrillRecord } from '../../src/retention/drills.ts';
import { normalizePolicy, RetentionPolicy } from '../../src/retention/policy.ts';
import { runRetention } from '../../src/retention/prune.ts';
import type { Backend } from '../../src/storage/backend.ts';
import { runCli } from '../helpers/cli.ts';
import { backendFor, cliEnv, initRepo, newLocation, PASSWORD } from '../helpers/repo.ts';
import { digestOf, randomStream, type StreamSpec } from '../helpers/streams.ts';

const CHUNKER = { min: 16 * 1024, avg: 64 * 1024, max: 256 * 1024 };

/** Version v of a 3 MB "database": each version rewrites a different 300 KB region of the one before. */
function version(v: number): StreamSpec {
  return {
    size: 3_000_000,
    seed: 'base',
    mutations: Array.from({ length: v }, (_, i) => ({ offset: i * 400_000, length: 300_000, seed: `v${i}` })),
  };
}

async function backup(repo: Repository, store: string, spec: StreamSpec, meta: { tags?: string[] } = {}) {
  return backupStreams(repo, [{ name: 'dump', source: randomStream(spec) }], {
    store: { name: store, kind: 'stream' },
    ...meta,
  });
}

/** A backup killed after uploading its chunks: chunks stored, no manifest. */
async function interruptedBackup(repo: Repository, spec: StreamSpec) {
  return withLock(repo, 'shared', { operation: 'backup (killed)' }, async (lock) => {
    const writer = await SnapshotWriter.start(repo, { lock });
    return writer.addArtifact('dump', randomStream(spec));
  });
}

/** Bytes stored under data/ and snapshots/, measured apart from prune: files on disk, or a listing of the bucket. */
async function storedBytes(location: string, backend: Backend): Promise<number> {
  if (!location.startsWith('s3:')) {
    let sum = 0;
    for (const dir of ['data', 'snapshots']) {
      for (const e of readdirSync(join(location, dir), { recursive: true, withFileTypes: true })) {
        if (e.isFile()) sum += statSync(join(e.parentPath, e.name)).size;
      }
    }
    return sum;
  }
  let sum = 0;
  for (const prefix of ['data/', 'snapshots/']) for await (const o of backend.list(prefix)) sum += o.size;
  return sum;
}

async function allObjects(backend: Backend): Promise<string[]> {
  const out: string[] = [];
  for await (const o of backend.list('')) if (!o.key.startsWith('locks/')) out.push(`${o.key}:${o.size}`);
  return out.sort();
}

async function json(args: string[], env: NodeJS.ProcessEnv) {
  const r = await runCli([...args, '--json'], { env });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe.each(['folder', 'minio'] as const)('forget --prune on %s', (kind) => {
  it('frees what the plan estimated (within 1%), and leaves a repository that verifies', async () => {
    const location = await newLocation(kind);
    const backend = backendFor(location);
    const repo = await initRepo(backend, { chunker: CHUNKER });
    const env = cliEnv(location);
    for (let v = 0; v < 6; v++) await backup(repo, 'db', version(v));
    await backup(repo, 'graph', { size: 1_500_000, seed: 'graph-1' });
    await backup(repo, 'graph', { size: 1_500_000, seed: 'graph-2' });
    await interruptedBackup(repo, { size: 1_000_000, seed: 'garbage' });

    const before = await allObjects(backend);
    const plan = await json(['forget', '--keep-last', '2', '--prune', '--grace', '0s', '--dry-run'], env);
    expect(await allObjects(backend)).toEqual(before); // the dry run changed nothing
    expect(plan.dry_run).toBe(true);
    expect(plan.forget).toBe(4);
    expect(plan.snapshots.filter((s: { action: string }) => s.action === 'forget')).toHaveLength(4);
    expect(plan.estimate.unreferenced.count).toBeGreaterThan(0);

    const bytesBefore = await storedBytes(location, backend);
    const started = Date.now();
    const done = await json(['forget', '--keep-last', '2', '--prune', '--grace', '0s'], env);
    const ms = Date.now() - started;
    const freed = bytesBefore - (await storedBytes(location, backend));
    const estimate = plan.estimate.bytes_freed as number;
    console.log(
      `[${kind}] forget --prune: estimate ${estimate} B, freed ${freed} B (measured), reported ` +
        `${done.deleted.bytes_freed} B, ${done.deleted.chunks} chunks + ${done.deleted.snapshots} manifests in ${ms} ms`,
    );
    expect(freed).toBeGreaterThan(1_000_000);
    expect(Math.abs(freed - estimate) / freed).toBeLessThanOrEqual(0.01);
    expect(done.deleted.bytes_freed).toBe(freed);
    expect(done.deleted.snapshots).toBe(4);

    const verify = await json(['verify', '--read-data'], env);
    expect(verify).toMatchObject({ ok: true, errors: [], unreferenced_chunks: 0, snapshots: 4 });
    // A second run has nothing left to do.
    const again = await json(['forget', '--keep-last', '2', '--prune', '--grace', '0s'], env);
    expect(again.deleted).toEqual({ snapshots: 0, chunks: 0, bytes_freed: 0 });
    await repo.close();
  }, 180_000);

  it('a running backup blocks prune (exit 11) or makes it wait; its chunks survive and verify --read-data passes', async () => {
    const location = await newLocation(kind);
    const backend = backendFor(location);
    const repo = await initRepo(backend, { chunker: CHUNKER });
    const env = cliEnv(location);
    await backup(repo, 'db', version(0));
    await backup(repo, 'db', version(1));
    // Chunks of a killed backup of exactly the data the next backup sends: unreferenced now, reused by it.
    const slowSpec = { size: 2_000_000, seed: 'slow' };
    await interruptedBackup(repo, slowSpec);

    const writer = await Repository.open(backendFor(location), { password: PASSWORD });
    const pieces = await randomStream({ ...slowSpec, pieceSize: 250_000 }).toArray();
    const slow = Readable.from(
      (async function* () {
        for (const p of pieces) {
          await new Promise((r) => setTimeout(r, 400));
          yield p;
        }
      })(),
    );
    const running = backupStreams(writer, [{ name: 'dump', source: slow }], { store: { name: 'db', kind: 'stream' } });
    while (!(await listLocks(repo)).some((l) => l.record?.kind === 'shared'))
      await new Promise((r) => setTimeout(r, 50));

    const refused = await runCli(['prune', '--grace', '0s'], { env });
    expect(refused.code).toBe(11);
    expect(refused.stderr).toMatch(/cannot take an exclusive lock .*shared lock [0-9a-f]{8} held by .* for backup db/);
    const forget = await runCli(['forget', '--keep-last', '1', '--prune', '--grace', '0s'], { env });
    expect(forget.code).toBe(11);
    // A dry run takes no lock and may look while the backup runs.
    const peek = await json(['prune', '--grace', '0s', '--dry-run'], env);
    expect(peek.estimate.unreferenced.count).toBeGreaterThan(0);

    // With --retry-lock, prune waits for the backup, then runs.
    const waiting = runCli(['forget', '--keep-last', '1', '--prune', '--grace', '0s', '--retry-lock', '2m', '--json'], {
      env,
    });
    const snap = await running;
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    const result = JSON.parse(waited.stdout);
    expect(result.snapshots.find((s: { id: string }) => s.id === snap.id)).toMatchObject({ action: 'keep' });
    expect(result.deleted.snapshots).toBe(2);

    const verify = await json(['verify', '--read-data'], env);
    expect(verify).toMatchObject({ ok: true, errors: [], snapshots: 1, unreferenced_chunks: 0 });
    expect(await digestOf(readArtifact(repo, findArtifact(snap, 'dump')))).toEqual(
      await digestOf(randomStream(slowSpec)),
    );
    await writer.close();
    await repo.close();
  }, 180_000);
});

describe('prune safety (folder repository)', () => {
  it('the grace period keeps unreferenced chunks younger than it (by modification time)', async () => {
    const location = await newLocation('folder');
    const repo = await initRepo(backendFor(location), { chunker: CHUNKER });
    const env = cliEnv(location);
    await backup(repo, 'db', version(0));
    const orphan = await interruptedBackup(repo, { size: 800_000, seed: 'fresh' });
    const files = orphan.chunks.map(([id]) => join(location, layout.chunk(id)));

    const fresh = await json(['prune'], env);
    expect(fresh.grace_ms).toBe(3_600_000);
    expect(fresh.deleted.chunks).toBe(0);
    expect(fresh.estimate.young_unreferenced.count).toBe(files.length);
    const text = await runCli(['prune', '--dry-run'], { env });
    expect(text.stdout).toContain(`${files.length} unreferenced chunk(s)`);
    expect(text.stdout).toContain('younger than the grace period 1h00m');

    // Two hours later (by the objects' clock) they are garbage.
    const past = new Date(Date.now() - 2 * 3_600_000);
    for (const f of files) utimesSync(f, past, past);
    const later = await json(['prune'], env);
    expect(later.deleted.chunks).toBe(files.length);
    expect(await json(['verify', '--read-data'], env)).toMatchObject({ ok: true, unreferenced_chunks: 0 });
    await repo.close();
  }, 120_000);

  it('a manifest that appears while prune holds the lock keeps its chunks (a writer without a valid lock)', async () => {
    const location = await newLocation('folder');
    const repo = await initRepo(backendFor(location), { chunker: CHUNKER });
    await backup(repo, 'db', version(0));
    await backup(repo, 'db', version(1));
    const orphan = await interruptedBackup(repo, { size: 600_000, seed: 'late' });
    const template = (await repo.listSnapshots()).snapshots[0]!;

    // The storage as prune sees it: the first manifest deletion lets a lockless writer commit its snapshot.
    const inner = backendFor(location);
    let injected = false;
    const racing: Backend = {
      location: inner.location,
      capabilities: inner.capabilities,
      put: (k, d, o) => inner.put(k, d, o),
      get: (k) => inner.get(k),
      stat: (k) => inner.stat(k),
      list: (p) => inner.list(p),
      close: () => inner.close(),
      async delete(key) {
        await inner.delete(key);
        if (key.startsWith('snapshots/') && !injected) {
          injected = true;
          const { id: _, ...manifest } = template;
          const id = 'f'.repeat(64);
          await repo.putJson('snapshot', id, layout.snapshot(id), { ...manifest, artifacts: [orphan] }, true);
        }
      },
    };
    const pruner = await Repository.open(racing, { password: PASSWORD });
    const r = await runRetention(pruner, {
      policy: normalizePolicy(RetentionPolicy.parse({ keepLast: 1 })),
      collect: true,
      graceMs: 0,
      dryRun: false,
    });
    expect(injected).toBe(true);
    expect(r.deleted.snapshots).toBe(1);
    expect(r.warnings.join('\n')).toMatch(/snapshot\(s\) ffffffff appeared while prune held the exclusive lock/);
    const verify = await json(['verify', '--read-data'], cliEnv(location));
    expect(verify).toMatchObject({ ok: true, errors: [], snapshots: 2 });
    await pruner.close();
    await repo.close();
  }, 120_000);

  it('refuses to forget or prune while a manifest (or a drill record) cannot be read, and deletes nothing', async () => {
    const location = await newLocation('folder');
    const backend = backendFor(location);
    const repo = await initRepo(backend, { chunker: CHUNKER });
    const env = cliEnv(location);
    await backup(repo, 'db', version(0));
    const b = await backup(repo, 'db', version(1));
    await backup(repo, 'db', version(2));
    await interruptedBackup(repo, { size: 500_000, seed: 'junk' });
    const file = join(location, layout.snapshot(b.id));
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length - 5]! ^= 0x10;
    writeFileSync(file, bad);
    const before = await allObjects(backend);
    for (const args of [
      ['prune', '--grace', '0s'],
      ['forget', '--keep-last', '1', '--prune', '--grace', '0s'],
    ]) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain(`snapshots/${b.id}`);
      expect(r.stderr).toContain('their chunks would look unreferenced');
    }
    expect(await allObjects(backend)).toEqual(before);
    writeFileSync(file, good);

    await backend.put('drills/'.concat('a'.repeat(64)), Buffer.from('not a sealed record'));
    const drill = await runCli(['forget', '--keep-last', '1'], { env });
    expect(drill.code).toBe(3);
    expect(drill.stderr).toContain(`drills/${'a'.repeat(64)}`);
    expect(await allObjects(backend)).toEqual([...before, `drills/${'a'.repeat(64)}:19`].sort());
    await repo.close();
  }, 120_000);

  it('forget keeps the newest snapshots that passed a drill, not those of a failed one', async () => {
    const location = await newLocation('folder');
    const repo = await initRepo(backendFor(location), { chunker: CHUNKER });
    const env = cliEnv(location);
    const snaps = [];
    for (let v = 0; v < 4; v++) snaps.push(await backup(repo, 'db', version(v)));
    const [first, second] = snaps as [(typeof snaps)[0], (typeof snaps)[0]];
    const passed = await writeDrillRecord(repo, {
      version: 1,
      time: new Date().toISOString(),
      backupSet: null,
      snapshots: [first.id],
      result: 'passed',
    });
    await writeDrillRecord(repo, {
      version: 1,
      time: new Date().toISOString(),
      backupSet: null,
      snapshots: [second.id],
      result: 'failed',
    });
    const plan = await json(['forget', '--keep-last', '1', '--dry-run'], env);
    const actions = Object.fromEntries(
      plan.snapshots.map((s: { id: string; action: string; reasons: string[] }) => [s.id, s]),
    );
    expect(actions[first.id]).toMatchObject({
      action: 'keep',
      reasons: [`newest snapshot of store db that passed a drill (drill ${passed.slice(0, 8)})`],
    });
    expect(actions[second.id]).toMatchObject({ action: 'forget', reasons: ['keep-last: beyond the 1 newest'] });
    const done = await json(['forget', '--keep-last', '1'], env);
    expect(done.deleted.snapshots).toBe(2);
    const left = (await json(['snapshots'], env)).map((s: { id: string }) => s.id).sort();
    expect(left).toEqual([first.id, snaps[3]!.id].sort());
    await repo.close();
  }, 120_000);

  it('calendar rules through the CLI: --keep-daily in Europe/Berlin differs from UTC across midnight', async () => {
    const location = await newLocation('folder');
    const repo = await initRepo(backendFor(location), { chunker: CHUNKER });
    const env = cliEnv(location);
    // Re-time three snapshots: 23:30 and 00:30 Berlin time (one UTC day, two Berlin days), and the next noon.
    const times = ['2024-10-26T21:30:00.000Z', '2024-10-26T22:30:00.000Z', '2024-10-27T10:00:00.000Z'];
    for (const [i, time] of times.entries()) {
      const s = await backup(repo, 'db', version(i));
      const { id, ...manifest } = s;
      const moved = `${String(i).repeat(8)}${id.slice(8)}`;
      await repo.putJson(
        'snapshot',
        moved,
        layout.snapshot(moved),
        SnapshotManifest.parse({ ...manifest, time }),
        true,
      );
      await repo.backend.delete(layout.snapshot(id));
    }
    const keptIn = async (tz: string) =>
      (await json(['forget', '--keep-daily', '2', '--timezone', tz, '--dry-run'], env)).snapshots
        .filter((s: { action: string }) => s.action === 'keep')
        .map((s: { time: string }) => s.time)
        .sort();
    expect(await keptIn('Europe/Berlin')).toEqual([times[0], times[2]]);
    expect(await keptIn('UTC')).toEqual([times[1], times[2]]);
    const table = await runCli(['forget', '--keep-daily', '2', '--timezone', 'Europe/Berlin', '--dry-run'], { env });
    expect(table.stdout).toContain('Time (Europe/Berlin)');
    expect(table.stdout).toMatch(/2024-10-26 23:30 +db .* keep +keep-daily: newest of 2024-10-26 \(2nd of 2\)/);
    expect(table.stdout).toMatch(/2024-10-27 00:30 +db .* forget +keep-daily: 2024-10-27 is kept by newer 22222222/);
    await repo.close();
  }, 120_000);
});

describe('bad input (folder repository)', () => {
  it('contradictory, empty or invalid policies, unknown tags and stores: exit 2 naming the flag; nothing changes', async () => {
    const location = await newLocation('folder');
    const backend = backendFor(location);
    const repo = await initRepo(backend, { chunker: CHUNKER });
    const env = cliEnv(location);
    await backup(repo, 'db', version(0), { tags: ['nightly'] });
    await backup(repo, 'db', version(1), { tags: ['release'] });
    await backup(repo, 'db', version(2));
    const before = await allObjects(backend);
    const cases: Array<[string[], RegExp]> = [
      [['forget'], /no retention policy given: refusing to forget every snapshot/],
      [['forget', '--prune', '--grace', '0s'], /no retention policy given/],
      [['forget', '--group-by', 'set'], /no retention policy given/],
      [['forget', '--keep-daily=-1'], /--keep-daily "-1": expected a whole number of at least 1, or "unlimited"/],
      [['forget', '--keep-last', '0'], /--keep-last "0": .*0 or less keeps nothing/],
      [['forget', '--keep-daily', '-1'], /'--keep-daily' argument is ambiguous[\s\S]*use '--keep-daily=-XYZ'/],
      [['forget', '--keep-weekly', 'many'], /--keep-weekly "many": expected a whole number/],
      [['forget', '--keep-within', '0d'], /--keep-within "0d": a duration of zero keeps nothing/],
      [['forget', '--keep-within', '2 weeks'], /--keep-within "2 weeks": expected a duration such as 30d/],
      [['forget', '--keep-daily', '7', '--timezone', 'Europe/Berln'], /--timezone "Europe\/Berln": unknown time zone/],
      [
        ['forget', '--keep-tag', 'relase'],
        /keep-tag relase: no snapshot has this tag.*\n.*tags in use: nightly, release/,
      ],
      [
        ['forget', '--keep-last', '1', '--store', 'graph'],
        /--store graph: no snapshot of this store.*\n.*stores with snapshots: db/,
      ],
      [['forget', '--keep-last', '1', '--group-by', 'set', '--store', 'db'], /--group-by set contradicts --store/],
      [['forget', '--keep-last', '1', '--group-by', 'host'], /--group-by "host": expected "store" or "set"/],
      [['forget', '--keep-last', '1', '--grace', '0s'], /--grace applies only with --prune/],
      [['prune', '--grace', 'soon'], /--grace "soon": expected a duration such as 1h/],
      [['prune', '--keep-last', '1'], /Unknown option '--keep-last'/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
    // prune without a policy collects garbage only: no snapshot is forgotten.
    const gc = await json(['prune', '--grace', '0s'], env);
    expect(gc).toMatchObject({ policy: null, forget: 0, deleted: { snapshots: 0, chunks: 0 } });
    expect(await allObjects(backend)).toEqual(before);
    await repo.close();
  }, 120_000);
});
