// The flags and environment every repository command shares (restic's names, with BACKDRILL_ instead of
// RESTIC_), and opening the repository from them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BackdrillError, UsageError } from '../errors.ts';
import { kdfFromEnv } from '../repo/keys.ts';
import { withLock } from '../repo/lock.ts';
import { Repository } from '../repo/repository.ts';
import { openBackend, redactLocation } from '../storage/index.ts';
import type { CliIO, OptionSpec, OptionValues } from './command.ts';

export const repoOptions: Record<string, OptionSpec> = {
  repo: {
    type: 'string',
    short: 'r',
    value: 'LOCATION',
    description: 'repository: a folder, s3://bucket/prefix or s3:https://host/bucket (env BACKDRILL_REPOSITORY)',
  },
  'password-file': {
    type: 'string',
    value: 'FILE',
    description: 'read the password from FILE (env BACKDRILL_PASSWORD_FILE)',
  },
  'password-command': {
    type: 'string',
    value: 'CMD',
    description: 'run CMD and use its output as the password (env BACKDRILL_PASSWORD_COMMAND)',
  },
};

export const repoEnvHelp = `Environment:
  BACKDRILL_REPOSITORY         repository location (instead of --repo)
  BACKDRILL_PASSWORD           the password
  BACKDRILL_PASSWORD_FILE      file holding the password
  BACKDRILL_PASSWORD_COMMAND   command printing the password
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_PROFILE, ...
                               S3 credentials: the standard AWS chain, so GitHub OIDC roles work`;

function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function repoLocation(values: OptionValues, env: NodeJS.ProcessEnv): string {
  const loc = str(values, 'repo') ?? env.BACKDRILL_REPOSITORY;
  if (!loc) throw new UsageError('no repository given', 'pass --repo LOCATION or set BACKDRILL_REPOSITORY');
  return loc;
}

/** The password from flags or environment, or undefined when none is configured. */
export function resolvePassword(
  values: OptionValues,
  env: NodeJS.ProcessEnv,
  names = { file: 'password-file', command: 'password-command' },
  envPrefix = 'BACKDRILL_PASSWORD',
): string | undefined {
  const file = str(values, names.file) ?? env[`${envPrefix}_FILE`];
  const command = str(values, names.command) ?? env[`${envPrefix}_COMMAND`];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(
        `cannot read the password file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        'check --password-file / BACKDRILL_PASSWORD_FILE',
      );
    }
    // An empty password is a misconfiguration (an unfilled secret), never "no encryption".
    if (text === '') throw new UsageError(`the password file ${file} is empty`, 'put the password in it');
    return text;
  }
  if (command) {
    const r = spawnSync('/bin/sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
    if (r.status !== 0) {
      // The command's output may hold secrets: name the command's exit, not its output.
      throw new UsageError(
        `the password command exited with code ${r.status ?? r.signal}`,
        'check --password-command / BACKDRILL_PASSWORD_COMMAND',
      );
    }
    const text = r.stdout.replace(/\r?\n$/, '');
    if (text === '') throw new UsageError('the password command printed nothing', 'check --password-command');
    return text;
  }
  const direct = env[envPrefix];
  return direct === undefined || direct === '' ? undefined : direct;
}

export async function openRepository(values: OptionValues, io: CliIO): Promise<Repository> {
  const location = repoLocation(values, io.env);
  const password = resolvePassword(values, io.env);
  const backend = openBackend(location);
  try {
    const repo = await Repository.open(backend, password === undefined ? {} : { password });
    if (repo.weakKdf && io.env.BACKDRILL_INSECURE_TEST_KDF !== '1') {
      io.stderr.write(
        'warning: the key file for this password uses a weak KDF (made with BACKDRILL_INSECURE_TEST_KDF, a test ' +
          'setting); replace it with `backdrill key passwd`\n',
      );
    }
    return repo;
  } catch (err) {
    await backend.close();
    throw err;
  }
}

export function initKdf(env: NodeJS.ProcessEnv) {
  return kdfFromEnv(env);
}

export { redactLocation };

/** Wraps an error that is not ours with the location it concerns. */
export function storageContext(err: unknown, location: string): unknown {
  if (err instanceof BackdrillError) return err;
  return new BackdrillError('fatal', `${redactLocation(location)}: ${(err as Error).message}`, { cause: err });
}

export const noLockOption: Record<string, OptionSpec> = {
  'no-lock': {
    type: 'boolean',
    description: 'do not take a shared lock (read-only storage); a concurrent prune may then cause false errors',
  },
};

/** Runs a reading operation under a shared lock (so prune cannot delete what it reads), unless --no-lock. */
export async function withReadLock<T>(
  repo: Repository,
  values: OptionValues,
  operation: string,
  fn: () => Promise<T>,
): Promise<T> {
  if (values['no-lock']) return fn();
  return withLock(repo, 'shared', { operation }, fn);
}
