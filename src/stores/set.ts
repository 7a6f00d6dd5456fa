// One backup run over several stores: pre hooks (quiesce writers), one snapshot per store sharing a backup-set
// id, post hooks (always, even after a failure). The CLI and the backup action both run this.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { BackdrillConfig, StoreConfig } from '../config/schema.ts';
import { BackdrillError } from '../errors.ts';
import type { ProgressInfo } from '../repo/backup.ts';
import type { Snapshot } from '../repo/format.ts';
import type { Repository } from '../repo/repository.ts';
import { backupStore } from './run.ts';

export interface SetBackupResult {
  backupSet: string;
  snapshots: Array<{ snapshot: Snapshot; warnings: string[] }>;
}

/** Runs one hook command through the shell; its output goes to `log`. Rejects naming the hook on failure. */
export async function runHook(
  command: string,
  phase: 'pre' | 'post',
  log: (line: string) => void,
  env: NodeJS.ProcessEnv,
) {
  const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (d: Buffer) => {
    for (const l of d.toString().split('\n')) if (l) log(`${phase} hook: ${l}`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new BackdrillError('fatal', `${phase} hook failed with exit code ${code}: ${command}`, {
      hint: phase === 'pre' ? 'nothing was backed up' : 'the snapshots were saved; check that writers resumed',
    });
  }
}

export async function backupSet(
  repo: Repository,
  config: BackdrillConfig,
  stores: StoreConfig[],
  options: {
    tags?: string[];
    waitMs?: number;
    /** Join an existing set (matrix jobs backing up stores in parallel pass the same id). */
    backupSet?: string;
    log?: (line: string) => void;
    onProgress?: (store: string, p: ProgressInfo) => void;
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<SetBackupResult> {
  const log = options.log ?? (() => {});
  const env = { ...(options.env ?? process.env) };
  const id = options.backupSet ?? randomBytes(16).toString('hex');
  const result: SetBackupResult = { backupSet: id, snapshots: [] };
  for (const hook of config.hooks.pre) await runHook(hook, 'pre', log, env);
  let failure: unknown;
  try {
    for (const store of stores) {
      result.snapshots.push(
        await backupStore(repo, store, {
          tags: options.tags ?? [],
          backupSet: id,
          waitMs: options.waitMs ?? 0,
          onProgress: (p) => options.onProgress?.(store.name, p),
        }),
      );
    }
  } catch (err) {
    failure = err;
  }
  // Writers are resumed whatever happened to the backup.
  for (const hook of config.hooks.post) {
    try {
      await runHook(hook, 'post', log, env);
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return result;
}
