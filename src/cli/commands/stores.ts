// restore and compare: a snapshot of a configured store back into a server, and a live server against what a
// snapshot recorded.
import { loadConfig } from '../../config/load.ts';
import type { StoreConfig } from '../../config/schema.ts';
import { UsageError } from '../../errors.ts';
import type { Repository } from '../../repo/repository.ts';
import { formatPhases } from '../../report/markdown.ts';
import { compareStore, restoreStore } from '../../stores/run.ts';
import type { CliIO, Command, OptionValues } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { configPath, repoEnvHelp, repoOptions, withRepository } from '../repo-options.ts';

function storeFrom(values: OptionValues, io: CliIO) {
  const loaded = loadConfig(configPath(values, io.env), io.env);
  const name = values.store as string | undefined;
  if (!name) {
    throw new UsageError('--store NAME is required', `stores: ${loaded.config.stores.map((s) => s.name).join(', ')}`);
  }
  const store = loaded.config.stores.find((s) => s.name === name);
  if (!store) {
    throw new UsageError(
      `--store ${name}: no such store in ${loaded.path}`,
      `stores: ${loaded.config.stores.map((s) => s.name).join(', ')}`,
    );
  }
  return { store, repository: loaded.config.repository };
}

async function snapshotOf(repo: Repository, ref: string, store: StoreConfig) {
  const snap = await repo.loadSnapshot(ref, { store: store.name });
  if (snap.store.name !== store.name) {
    throw new UsageError(
      `snapshot ${snap.id.slice(0, 8)} belongs to store "${snap.store.name}", not "${store.name}"`,
      'pass the matching --store, or pick a snapshot of this store (backdrill snapshots --store NAME)',
    );
  }
  return snap;
}

const storeFlags = {
  ...repoOptions,
  store: { type: 'string', value: 'NAME', description: 'the store (from backdrill.yml) the snapshot belongs to' },
  target: {
    type: 'string',
    value: 'URL',
    description: "where to restore/compare (default: the store's own url); credentials as in the store's config",
  },
} as const;

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a snapshot of a store into a server (refuses a non-empty target unless --force)',
  usage: 'backdrill restore SNAPSHOT --store NAME [--target URL] [--force] [flags]',
  details: `SNAPSHOT is an ID, a unique prefix, or "latest" (of --store). The target must be empty; with --force its
current contents are first saved as a safety snapshot (tag "safety") and the command to roll back is
printed. A restore that cannot restore every object fails (exit 3) and lists what failed: a partial
restore is never reported as success.

${repoEnvHelp}`,
  options: {
    ...storeFlags,
    force: { type: 'boolean', description: 'replace a non-empty target (after saving it as a safety snapshot)' },
    jobs: { type: 'string', value: 'N', description: 'parallel restore jobs where the store supports them' },
    json: {
      type: 'boolean',
      description: 'print {snapshot_id, store, duration_ms, phases_s, safety_snapshot_id, warnings}',
    },
  },
  positionals: ['SNAPSHOT'],
  async run({ values, positionals }, io) {
    const { store, repository } = storeFrom(values, io);
    const jobsText = values.jobs as string | undefined;
    const jobs = jobsText === undefined ? undefined : Number(jobsText);
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)) {
      throw new UsageError(`--jobs ${jobsText}: expected a whole number from 1 to 64`);
    }
    const target = values.target as string | undefined;
    return withRepository(
      values,
      io,
      async (repo) => {
        const snap = await snapshotOf(repo, positionals[0]!, store);
        const r = await restoreStore(repo, store, snap, {
          ...(target ? { target } : {}),
          force: Boolean(values.force),
          ...(jobs ? { jobs } : {}),
        });
        for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
        if (r.safety) {
          io.stderr.write(
            `the target's previous contents are saved as snapshot ${r.safety.id.slice(0, 8)}; to roll back:\n` +
              `  backdrill restore ${r.safety.id} --store ${store.name}${target ? ' --target <the same target>' : ''} --force\n`,
          );
        }
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({
              snapshot_id: snap.id,
              store: store.name,
              duration_ms: r.durationMs,
              phases_s: r.phases ?? {},
              safety_snapshot_id: r.safety?.id ?? null,
              warnings: r.warnings,
            })}\n`,
          );
        } else {
          io.stdout.write(
            `restored snapshot ${snap.id.slice(0, 8)} of ${store.name} in ${(r.durationMs / 1000).toFixed(1)} s` +
              `${r.phases ? ` (${formatPhases(r.phases)})` : ''}\n`,
          );
        }
        return ExitCode.ok;
      },
      { fromConfig: repository, pipeline: true },
    );
  },
};

export const compareCommand: Command = {
  name: 'compare',
  summary: "compare a live store with a snapshot's fingerprint and print what differs",
  usage: 'backdrill compare SNAPSHOT --store NAME [--target URL] [flags]',
  details: `Fingerprints the live target (counts and content hashes per table / label / collection, and each
schema object) and compares it with the fingerprint recorded at backup time. Exit 0 when they match,
3 when anything differs, naming each object.

${repoEnvHelp}`,
  options: {
    ...storeFlags,
    json: { type: 'boolean', description: 'print {match, differences: [{area, object, problem, message}]}' },
  },
  positionals: ['SNAPSHOT'],
  async run({ values, positionals }, io) {
    const { store, repository } = storeFrom(values, io);
    return withRepository(
      values,
      io,
      async (repo) => {
        const snap = await snapshotOf(repo, positionals[0]!, store);
        const diffs = await compareStore(repo, store, snap, values.target as string | undefined);
        if (values.json) {
          io.stdout.write(`${JSON.stringify({ match: diffs.length === 0, differences: diffs })}\n`);
        } else if (diffs.length === 0) {
          io.stdout.write(`${store.name} matches snapshot ${snap.id.slice(0, 8)}\n`);
        } else {
          for (const d of diffs) io.stdout.write(`${d.area} ${d.problem}: ${d.message}\n`);
          io.stdout.write(`${diffs.length} difference(s) from snapshot ${snap.id.slice(0, 8)}\n`);
        }
        return diffs.length === 0 ? ExitCode.ok : ExitCode.integrity;
      },
      { fromConfig: repository },
    );
  },
};
