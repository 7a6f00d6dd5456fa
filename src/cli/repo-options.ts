// The flags and environment every repository command shares (restic's names, with BACKDRILL_ instead of
// RESTIC_), and opening the repository from them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import { BackdrillError, UsageError } from '../errors.ts';
import { kdfFromEnv } from '../repo/keys.ts';
import { withLock } from '../repo/lock.ts';
import { Repository } from '../repo/repository.ts';
import { openBackend, redactLocation } from '../storage/index.ts';
import type { CliIO, OptionSpec, OptionValues } from './command.ts';

export const repoOptions: Record<string, OptionSpec> = {
  config: {
    type: 'string',
    short: 'c',
    value: 'FILE',
    description: 'backdrill.yml with the repository and the stores (env BACKDRILL_CONFIG; default ./backdrill.yml)',
  },
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

/** The repository section of backdrill.yml, as far as opening the repository goes. */
export interface RepositorySettings {
  location: string;
  password?: string | undefined;
  passwordFile?: string | undefined;
  passwordCommand?: string | undefined;
}

/** Flags first, then the environment, then backdrill.yml. */
export function repoLocation(values: OptionValues, env: NodeJS.ProcessEnv, fromConfig?: RepositorySettings): string {
  const loc = str(values, 'repo') || env.BACKDRILL_REPOSITORY || fromConfig?.location;
  if (!loc) {
    throw new UsageError('no repository given', 'pass --repo LOCATION, set BACKDRILL_REPOSITORY, or use --config');
  }
  return loc;
}

function passwordFor(
  values: OptionValues,
  env: NodeJS.ProcessEnv,
  fromConfig?: RepositorySettings,
): string | undefined {
  const given = resolvePassword(values, env);
  if (given !== undefined || !fromConfig) return given;
  return resolvePassword(
    { 'password-file': fromConfig.passwordFile, 'password-command': fromConfig.passwordCommand },
    { ...env, BACKDRILL_PASSWORD: fromConfig.password },
  );
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

/**
 * The repository section of backdrill.yml for commands that only need the repository: from --config or
 * BACKDRILL_CONFIG (which must exist), else ./backdrill.yml when there is one.
 */
function repositoryFromConfigFile(values: OptionValues, env: NodeJS.ProcessEnv): RepositorySettings | undefined {
  const explicit = str(values, 'config') ?? env.BACKDRILL_CONFIG;
  if (!explicit && !existsSync('backdrill.yml')) return undefined;
  return loadConfig(explicit ?? 'backdrill.yml', env).config.repository;
}

/** How a command uses the repository it opens. */
export interface RepositoryUse {
  /** The repository section of the backdrill.yml the command read (flags and the environment still win). */
  fromConfig?: RepositorySettings;
  /** The command reads or writes chunks: start the pipeline's workers while the key file opens. */
  pipeline?: boolean;
}

export async function openRepository(values: OptionValues, io: CliIO, use: RepositoryUse = {}): Promise<Repository> {
  const { fromConfig } = use;
  const flagsOrEnv = str(values, 'repo') || io.env.BACKDRILL_REPOSITORY;
  const settings = fromConfig ?? (flagsOrEnv ? undefined : repositoryFromConfigFile(values, io.env));
  const location = repoLocation(values, io.env, settings);
  const password = passwordFor(values, io.env, settings);
  const backend = openBackend(location);
  try {
    const repo = await Repository.open(backend, {
      ...(password === undefined ? {} : { password }),
      pipeline: use.pipeline === true,
    });
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

/** Opens the repository, runs fn, and always closes it. */
export async function withRepository<T>(
  values: OptionValues,
  io: CliIO,
  fn: (repo: Repository) => Promise<T>,
  use: RepositoryUse = {},
): Promise<T> {
  const repo = await openRepository(values, io, use);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

export function configPath(values: OptionValues, env: NodeJS.ProcessEnv): string {
  return str(values, 'config') ?? env.BACKDRILL_CONFIG ?? 'backdrill.yml';
}
