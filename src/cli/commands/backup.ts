// backup (the stores of backdrill.yml, or standard input) and dump (an artifact back to stdout or a file).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config/load.ts';
import { UsageError } from '../../errors.ts';
import { backupStreams } from '../../repo/backup.ts';
import type { Snapshot } from '../../repo/format.ts';
import { findArtifact, readArtifact } from '../../repo/read.ts';
import { backupSet } from '../../stores/set.ts';
import type { CliIO, Command, OptionValues } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes, Progress } from '../progress.ts';
import { configPath, noLockOption, repoEnvHelp, repoOptions, withReadLock, withRepository } from '../repo-options.ts';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;

export function parseRetryLock(text: string | undefined): number {
  if (text === undefined) return 0;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new UsageError(`--retry-lock ${text}: expected a duration such as 30s, 5m or 1h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'back up the stores of backdrill.yml (or standard input with --stdin) into the repository',
  usage: 'backdrill backup [--config FILE] [--store NAME]... [flags]  |  backdrill backup --stdin --name NAME [flags]',
  details: `With backdrill.yml: backs up every store (or those named by --store) into one backup set, one
snapshot per store, each with the store's capture point and fingerprint. With --stdin: stores standard
input as the artifact NAME of one snapshot.

A snapshot becomes visible only when everything is stored: an interrupted backup leaves no snapshot
(only unreferenced chunks, which the next backup reuses and prune collects).

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    store: {
      type: 'string',
      value: 'NAME',
      multiple: true,
      description: 'only this store (with --stdin: the store name recorded; default NAME)',
    },
    tag: { type: 'string', value: 'TAG', multiple: true, description: 'tag the snapshot(s)' },
    set: {
      type: 'string',
      value: 'ID',
      description: 'join backup set ID (matrix jobs backing up stores in parallel pass the same ID)',
    },
    stdin: { type: 'boolean', description: 'read the data to back up from standard input' },
    name: { type: 'string', value: 'NAME', description: 'with --stdin: the artifact name (e.g. dump.sql)' },
    'retry-lock': { type: 'string', value: 'DURATION', description: 'wait up to DURATION for a conflicting lock' },
    json: {
      type: 'boolean',
      description:
        'print {snapshot_id, bytes_processed, bytes_added, chunks_new, chunks_reused, duration_ms} (--stdin), or ' +
        '{backup_set, snapshots: [...]}',
    },
  },
  positionals: [],
  async run({ values }, io) {
    const tags = (values.tag as string[] | undefined) ?? [];
    for (const t of tags) {
      if (!NAME_RE.test(t)) throw new UsageError(`--tag ${JSON.stringify(t)}: use letters, digits and . _ @ + = -`);
    }
    const waitMs = parseRetryLock(values['retry-lock'] as string | undefined);
    if (values.set !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(values.set as string)) {
      throw new UsageError(`--set ${JSON.stringify(values.set)}: use up to 64 letters, digits and . _ -`);
    }
    if (values.stdin) return backupStdin(values, io, tags, waitMs);
    if (values.name)
      throw new UsageError('--name goes with --stdin', 'store backups take their names from backdrill.yml');
    const { config } = loadConfig(configPath(values, io.env), io.env);
    const wanted = (values.store as string[] | undefined) ?? [];
    const unknown = wanted.filter((w) => !config.stores.some((s) => s.name === w));
    if (unknown.length > 0) {
      throw new UsageError(
        `--store ${unknown.join(', ')}: no such store in the config`,
        `stores: ${config.stores.map((s) => s.name).join(', ')}`,
      );
    }
    const stores = config.stores.filter((s) => wanted.length === 0 || wanted.includes(s.name));
    return withRepository(
      values,
      io,
      async (repo) => {
        const progress = new Map<string, Progress>();
        const run = await backupSet(repo, config, stores, {
          tags,
          waitMs,
          ...(values.set ? { backupSet: values.set as string } : {}),
          env: io.env,
          log: (line) => io.stderr.write(`${line}\n`),
          onProgress: (store, p) => {
            const bar = progress.get(store) ?? new Progress(io, `backup ${store}`);
            progress.set(store, bar);
            bar.update(p.bytesProcessed, `${formatBytes(p.bytesAdded)} added`);
          },
        });
        for (const bar of progress.values()) bar.done();
        const results = run.snapshots;
        for (const { snapshot, warnings } of results) {
          for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
          if (!values.json) {
            const st = snapshot.stats;
            io.stdout.write(
              `${snapshot.store.name}: snapshot ${snapshot.id.slice(0, 8)} saved, ${formatBytes(st.bytesProcessed)} processed, ` +
                `${formatBytes(st.bytesAdded)} added in ${(snapshot.timings.durationMs / 1000).toFixed(1)} s\n`,
            );
          }
        }
        const backupSetId = run.backupSet;
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({
              backup_set: backupSetId,
              snapshots: results.map(({ snapshot, warnings }) => ({
                store: snapshot.store.name,
                kind: snapshot.store.kind,
                ...stats(snapshot),
                warnings,
              })),
            })}\n`,
          );
        }
        return ExitCode.ok;
      },
      { fromConfig: config.repository, pipeline: true },
    );
  },
};

function stats(snap: Snapshot) {
  return {
    snapshot_id: snap.id,
    bytes_processed: snap.stats.bytesProcessed,
    bytes_added: snap.stats.bytesAdded,
    chunks_new: snap.stats.chunksNew,
    chunks_reused: snap.stats.chunksReused,
    duration_ms: snap.timings.durationMs,
  };
}

async function backupStdin(values: OptionValues, io: CliIO, tags: string[], waitMs: number): Promise<number> {
  const name = values.name as string | undefined;
  if (!name) throw new UsageError('backup --stdin needs --name NAME', 'e.g. --name db.dump');
  if (!NAME_RE.test(name)) {
    throw new UsageError(`--name ${JSON.stringify(name)}: use letters, digits and . _ @ + = - (at most 200)`);
  }
  const store = ((values.store as string[] | undefined) ?? [])[0] ?? name;
  return withRepository(
    values,
    io,
    async (repo) => {
      const progress = new Progress(io, 'backup');
      const snap = await backupStreams(
        repo,
        [{ name, source: io.stdin, disposable: io.stdinDisposable === true }],
        { store: { name: store, kind: 'stream' }, tags },
        { waitMs, onProgress: (p) => progress.update(p.bytesProcessed, `${formatBytes(p.bytesAdded)} added`) },
      );
      progress.done();
      const s = snap.stats;
      if (values.json) {
        io.stdout.write(`${JSON.stringify(stats(snap))}\n`);
      } else {
        io.stdout.write(
          `snapshot ${snap.id.slice(0, 8)} saved: ${formatBytes(s.bytesProcessed)} processed, ` +
            `${formatBytes(s.bytesAdded)} added (${s.chunksNew} new, ${s.chunksReused} reused chunks) ` +
            `in ${(snap.timings.durationMs / 1000).toFixed(1)} s\n`,
        );
      }
      return ExitCode.ok;
    },
    { pipeline: true },
  );
}

export const dumpCommand: Command = {
  name: 'dump',
  summary: 'write an artifact of a snapshot to standard output or a file',
  usage: 'backdrill dump [flags] SNAPSHOT NAME',
  details: `SNAPSHOT is an ID, a unique prefix of one, or "latest". Every chunk is authenticated and re-hashed
before its bytes are written; on damage dump stops with exit 3. With --output the file appears only
when it is complete and correct.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    ...noLockOption,
    output: { type: 'string', short: 'o', value: 'FILE', description: 'write to FILE (atomically) instead of stdout' },
  },
  positionals: ['SNAPSHOT', 'NAME'],
  async run({ values, positionals }, io) {
    const [ref, name] = positionals as [string, string];
    return withRepository(
      values,
      io,
      async (repo) =>
        withReadLock(repo, values, 'dump', async () => {
          const snap = await repo.loadSnapshot(ref);
          const artifact = findArtifact(snap, name);
          const progress = new Progress(io, 'dump', artifact.size);
          let done = 0;
          const source = async function* () {
            // Each chunk goes through stream.pipeline into a file or stdout: done with by the next one.
            for await (const chunk of readArtifact(repo, artifact, { releaseConsumed: true })) {
              done += chunk.length;
              progress.update(done);
              yield chunk;
            }
          };
          const output = values.output as string | undefined;
          if (output) {
            const tmp = join(dirname(output), `.${randomBytes(6).toString('hex')}.backdrill-partial`);
            try {
              await pipeline(source(), createWriteStream(tmp, { flags: 'wx' }));
              await rename(tmp, output);
            } catch (err) {
              await unlink(tmp).catch(() => {});
              throw err;
            }
          } else {
            await pipeline(source(), nonClosing(io.stdout));
          }
          progress.done();
          return ExitCode.ok;
        }),
      { pipeline: true },
    );
  },
};

/** Writes into stdout without ending it (the process owns stdout). */
function nonClosing(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      if (out.write(chunk)) cb();
      else out.once('drain', () => cb());
    },
  });
}
