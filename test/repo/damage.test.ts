// Damage to any stored object is found and named: verify exits 3 naming the affected snapshots, and dump of a
// damaged snapshot fails instead of writing wrong bytes.
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { cliEnv, newLocation, tempDir } from '../helpers/repo.ts';
import { randomStream } from '../helpers/streams.ts';

type Damage = 'flip' | 'truncate' | 'delete';

async function repoWithTwoSnapshots() {
  const location = await newLocation('folder');
  const env = cliEnv(location);
  await runCli(['init'], { env });
  // Two snapshots sharing most chunks, so damage to a shared chunk names both.
  const base = Buffer.concat(await randomStream({ size: 6_000_000, seed: 'damage' }).toArray());
  const changed = Buffer.from(base);
  changed.fill(7, 5_900_000, 5_950_000);
  const a = JSON.parse((await runCli(['backup', '--stdin', '--name', 'd', '--json'], { env, stdin: base })).stdout);
  const b = JSON.parse((await runCli(['backup', '--stdin', '--name', 'd', '--json'], { env, stdin: changed })).stdout);
  return { location, env, ids: [a.snapshot_id as string, b.snapshot_id as string], base };
}

function chunkFiles(location: string): string[] {
  const dir = join(location, 'data');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function damage(file: string, how: Damage): void {
  if (how === 'delete') rmSync(file);
  else if (how === 'truncate') truncateSync(file, Math.floor(readFileSync(file).length / 2));
  else {
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(file, bytes);
  }
}

describe('damaged chunks', () => {
  it.each<Damage>(['flip', 'truncate', 'delete'])(
    '%s of a shared chunk: verify exits 3 naming both snapshots; dump fails',
    async (how) => {
      const { location, env, ids } = await repoWithTwoSnapshots();
      // A chunk both snapshots reference.
      const chunksOf = async (id: string) =>
        new Set<string>(
          JSON.parse((await runCli(['cat', 'snapshot', id], { env })).stdout).artifacts[0].chunks.map(
            (c: [string]) => c[0],
          ),
        );
      const [a, b] = [await chunksOf(ids[0]!), await chunksOf(ids[1]!)];
      const shared = [...a].find((c) => b.has(c))!;
      const chunkKey = `data/${shared.slice(0, 2)}/${shared}`;
      expect(chunkFiles(location)).toContain(join(location, chunkKey));
      damage(join(location, chunkKey), how);
      // flip keeps the size: only --read-data sees it. truncate and delete are visible to the structural check.
      const structural = await runCli(['verify', '--json'], { env });
      if (how === 'flip') expect(structural.code).toBe(0);
      const r = await runCli(['verify', '--read-data', '--json'], { env });
      expect(r.code).toBe(3);
      const out = JSON.parse(r.stdout);
      expect(out.ok).toBe(false);
      expect(out.errors).toHaveLength(1);
      expect(out.errors[0].object).toBe(chunkKey);
      expect(out.errors[0].snapshots.sort()).toEqual([...ids].sort());
      expect(out.errors[0].message).toMatch(
        how === 'delete' ? /missing/ : how === 'truncate' ? /bytes, expected|truncated/ : /authentication failed/,
      );
      const text = await runCli(['verify', '--read-data'], { env });
      expect(text.stderr).toContain(chunkKey);
      expect(text.stderr).toContain(ids[0]!.slice(0, 8));

      // dump of a damaged snapshot fails (exit 3) and --output leaves no file behind.
      const outFile = join(tempDir(), 'restored.bin');
      const dump = await runCli(['dump', ids[0]!, 'd', '--output', outFile], { env });
      expect(dump.code).toBe(3);
      expect(dump.stderr).toContain(chunkKey);
      expect(existsSync(outFile)).toBe(false);
    },
  );

  it('--read-data-subset n/t reads disjoint slices that together cover every chunk', async () => {
    const { env } = await repoWithTwoSnapshots();
    const all = JSON.parse((await runCli(['verify', '--read-data', '--json'], { env })).stdout);
    let read = 0;
    for (let n = 1; n <= 3; n++) {
      const r = JSON.parse((await runCli(['verify', '--read-data-subset', `${n}/3`, '--json'], { env })).stdout);
      expect(r.ok).toBe(true);
      read += r.chunks_read;
    }
    expect(read).toBe(all.chunks_read);
    expect(all.chunks_read).toBe(all.chunks);
  });
});

describe('damaged manifests', () => {
  it.each<Damage>(['flip', 'truncate', 'delete'])('%s of a snapshot manifest', async (how) => {
    const { location, env, ids } = await repoWithTwoSnapshots();
    const manifest = join(location, 'snapshots', ids[1]!);
    damage(manifest, how);
    const r = await runCli(['verify', '--json'], { env });
    if (how === 'delete') {
      // A deleted manifest is a snapshot that no longer exists: the others verify, and the list shows one.
      expect(r.code).toBe(0);
      const list = JSON.parse((await runCli(['snapshots', '--json'], { env })).stdout);
      expect(list.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
      return;
    }
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.errors[0]).toMatchObject({ object: `snapshots/${ids[1]}`, snapshots: [ids[1]] });
    const dump = await runCli(['dump', ids[1]!, 'd'], { env });
    expect(dump.code).toBe(3);
    expect(dump.stdout).toBe('');
    // The undamaged snapshot still restores.
    const ok = await runCli(['dump', ids[0]!, 'd', '--output', join(tempDir(), 'ok.bin')], { env });
    expect(ok.code).toBe(0);
  });
});
