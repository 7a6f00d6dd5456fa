// backup (of standard input, until the store adapters land) and dump (an artifact back to stdout or a file).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageError } from '../../errors.ts';
import { backupStreams } from '../../repo/backup.ts';
import { findArtifact, readArtifact } from '../../repo/read.ts';
import type { Repository } from '../../repo/repository.ts';
import type { CliIO, Command, OptionValues } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes, Progress } from '../progress.ts';
import { noLockOption, openRepository, repoEnvHelp, repoOptions, withReadLock } from '../repo-options.ts';

async function withRepo<T>(values: OptionValues, io: CliIO, fn: (repo: Repository) => Promise<T>): Promise<T> {
  const repo = await openRepository(values, io);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

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
  summary: 'back up standard input into the repository as one snapshot (--stdin)',
  usage: 'backdrill backup --stdin --name NAME [flags]',
  details: `Reads standard input to its end and stores it as the artifact NAME of a new snapshot. The snapshot
becomes visible only when everything is stored: an interrupted backup leaves no snapshot (only
unreferenced chunks, which the next backup reuses and prune collects). Config-driven backups of
PostgreSQL, Neo4j and Qdrant arrive with the store adapters.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    stdin: { type: 'boolean', description: 'read the data to back up from standard input' },
    name: {
      type: 'string',
      value: 'NAME',
      description: 'artifact name (e.g. dump.sql); also the store name unless --store',
    },
    store: { type: 'string', value: 'NAME', description: 'store name recorded in the snapshot (default: NAME)' },
    tag: { type: 'string', value: 'TAG', multiple: true, description: 'tag the snapshot' },
    'retry-lock': { type: 'string', value: 'DURATION', description: 'wait up to DURATION for a conflicting lock' },
    json: {
      type: 'boolean',
      description: 'print {snapshot_id, bytes_processed, bytes_added, chunks_new, chunks_reused, duration_ms}',
    },
  },
  positionals: [],
  async run({ values }, io) {
    if (!values.stdin) {
      throw new UsageError(
        'backup needs --stdin for now',
        'pipe the data in: pg_dump ... | backdrill backup --stdin --name dump',
      );
    }
    const name = values.name as string | undefined;
    if (!name) throw new UsageError('backup --stdin needs --name NAME', 'e.g. --name db.dump');
    if (!NAME_RE.test(name)) {
      throw new UsageError(`--name ${JSON.stringify(name)}: use letters, digits and . _ @ + = - (at most 200)`);
    }
    const tags = (values.tag as string[] | undefined) ?? [];
    for (const t of tags)
      if (!NAME_RE.test(t)) throw new UsageError(`--tag ${JSON.stringify(t)}: use letters, digits and . _ @ + = -`);
    const waitMs = parseRetryLock(values['retry-lock'] as string | undefined);
    return withRepo(values, io, async (repo) => {
      const progress = new Progress(io, 'backup');
      const snap = await backupStreams(
        repo,
        [{ name, source: io.stdin }],
        { store: { name: (values.store as string | undefined) ?? name, kind: 'stream' }, tags },
        { waitMs, onProgress: (p) => progress.update(p.bytesProcessed, `${formatBytes(p.bytesAdded)} added`) },
      );
      progress.done();
      const s = snap.stats;
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify({
            snapshot_id: snap.id,
            bytes_processed: s.bytesProcessed,
            bytes_added: s.bytesAdded,
            chunks_new: s.chunksNew,
            chunks_reused: s.chunksReused,
            duration_ms: snap.timings.durationMs,
          })}\n`,
        );
      } else {
        io.stdout.write(
          `snapshot ${snap.id.slice(0, 8)} saved: ${formatBytes(s.bytesProcessed)} processed, ` +
            `${formatBytes(s.bytesAdded)} added (${s.chunksNew} new, ${s.chunksReused} reused chunks) ` +
            `in ${(snap.timings.durationMs / 1000).toFixed(1)} s\n`,
        );
      }
      return ExitCode.ok;
    });
  },
};

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
    return withRepo(values, io, async (repo) =>
      withReadLock(repo, values, 'dump', async () => {
        const snap = await repo.loadSnapshot(ref);
        const artifact = findArtifact(snap, name);
        const progress = new Progress(io, 'dump', artifact.size);
        let done = 0;
        const source = async function* () {
          for await (const chunk of readArtifact(repo, artifact)) {
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
