// What every action shares: reading and validating inputs (each error names the input), masking secrets and the
// values derived from them, opening the repository, writing the report JSON, and turning an error into a failed
// step. The actions are thin: the work is the same library code the CLI runs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { type LoadedConfig, loadConfig } from '../config/load.ts';
import type { StoreConfig } from '../config/schema.ts';
import { BackdrillError, isBackdrillError, UsageError } from '../errors.ts';
import { Repository } from '../repo/repository.ts';
import { openBackend } from '../storage/index.ts';
import { type AlertAction, type AlertKey, updateAlert } from './issues.ts';
import { Input, Output } from './names.ts';

/** Values that must never appear in a log line, a summary, an issue or a report file. */
export class Secrets {
  private readonly values = new Set<string>();

  /** Masks the value in the runner's log (::add-mask::) and remembers it for redact(). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < 3 || this.values.has(value)) return;
    const forms = new Set([value, encodeURIComponent(value), value.trim()]);
    try {
      forms.add(decodeURIComponent(value));
    } catch {
      // not percent-encoded
    }
    for (const f of forms) {
      if (f.length < 3 || this.values.has(f)) continue;
      this.values.add(f);
      core.setSecret(f);
    }
  }

  /** Masks the credentials of every URL in the text (postgresql://user:pw@host, https://key@host). */
  addUrlCredentials(text: string): void {
    for (const m of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/\s@]+)@/gi)) {
      const userinfo = m[1]!;
      const colon = userinfo.indexOf(':');
      this.add(colon >= 0 ? userinfo.slice(colon + 1) : userinfo);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out;
  }
}

/** Values of credential fields (password, apiKey, token, secret) anywhere in a parsed config, literal or not. */
function credentialFields(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(credentialFields);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === 'string' && /password|apikey|api_key|token|secret/i.test(k) ? [v] : credentialFields(v),
  );
}

/** Every string in a parsed config, for finding credentials in URLs. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

export function input(name: string): string {
  return core.getInput(name);
}

/** A list input: comma- or newline-separated, blanks dropped. */
export function listInput(name: string): string[] {
  return input(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function boolInput(name: string, fallback: boolean): boolean {
  const v = input(name).trim().toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', '1'].includes(v)) return true;
  if (['false', 'no', '0'].includes(v)) return false;
  throw new UsageError(`input ${name}: ${JSON.stringify(v)} is not a boolean`, 'use true or false');
}

export interface ActionContext {
  loaded: LoadedConfig;
  secrets: Secrets;
  location: string;
  password: string | undefined;
}

/** Reads the config, the repository and the password inputs, and masks every secret among them. */
export function prepare(secrets: Secrets): ActionContext {
  const password = input(Input.password) || undefined;
  secrets.add(password);
  const path = input(Input.config) || 'backdrill.yml';
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(path, process.env);
  } catch (err) {
    if (err instanceof BackdrillError) {
      throw new BackdrillError(err.kind, `input ${Input.config}: ${err.message}`, err.hint ? { hint: err.hint } : {});
    }
    throw err;
  }
  for (const s of loaded.secrets) secrets.add(s);
  for (const s of strings(loaded.config)) secrets.addUrlCredentials(s);
  for (const s of credentialFields(loaded.config)) secrets.add(s);
  const location = input(Input.repository) || loaded.config.repository.location;
  secrets.addUrlCredentials(location);
  let pw = password;
  const file = input(Input.passwordFile);
  if (pw === undefined && file) {
    pw = readPasswordFile(file);
    secrets.add(pw);
  }
  pw ??= loaded.config.repository.password || undefined;
  if (pw === undefined && loaded.config.repository.passwordFile) {
    pw = readPasswordFile(loaded.config.repository.passwordFile);
    secrets.add(pw);
  }
  return { loaded, secrets, location, password: pw };
}

function readPasswordFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UsageError(
      `input ${Input.passwordFile}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      'write the password secret into the file in an earlier step, or pass it as the password input',
    );
  }
  if (text === '') throw new UsageError(`input ${Input.passwordFile}: ${file} is empty`);
  return text;
}

/** The stores named by the `stores` input (all when empty); an unknown name fails naming the input. */
export function selectStores(ctx: ActionContext, inputName: string = Input.stores): StoreConfig[] {
  const all = ctx.loaded.config.stores;
  const wanted = listInput(inputName);
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
  if (unknown.length > 0) {
    throw new UsageError(
      `input ${inputName}: no store ${unknown.map((u) => JSON.stringify(u)).join(', ')} in ${ctx.loaded.path}`,
      `stores: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  return wanted.length === 0 ? all : all.filter((s) => wanted.includes(s.name));
}

/**
 * Opens the repository, runs fn, and always closes it. `pipeline`: the action reads or writes chunks (the pipeline's
 * workers start while the key file opens).
 */
export async function withRepo<T>(
  ctx: ActionContext,
  fn: (repo: Repository) => Promise<T>,
  { pipeline = false }: { pipeline?: boolean } = {},
): Promise<T> {
  const backend = openBackend(ctx.location);
  let repo: Repository;
  try {
    repo = await Repository.open(backend, {
      ...(ctx.password === undefined ? {} : { password: ctx.password }),
      pipeline,
    });
  } catch (err) {
    await backend.close();
    if (ctx.password === undefined && isBackdrillError(err) && /no password was given/.test(err.message)) {
      throw new UsageError(
        `input ${Input.password}: the repository is encrypted and no password was given`,
        `pass the password secret as \`${Input.password}\`, or a file holding it as \`${Input.passwordFile}\``,
      );
    }
    throw err;
  }
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

/** Writes the report JSON (redacted) to the report-path input or RUNNER_TEMP; returns its path. */
export function writeReport(secrets: Secrets, kind: string, report: unknown): string {
  const path =
    input(Input.reportPath) ||
    join(process.env.RUNNER_TEMP || process.cwd(), `backdrill-${kind}-${process.env.GITHUB_RUN_ID ?? 'local'}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${secrets.redact(JSON.stringify(report, null, 2))}\n`);
  core.setOutput(Output.reportPath, path);
  return path;
}

export async function writeSummary(secrets: Secrets, markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(secrets.redact(markdown));
    return;
  }
  await core.summary.emptyBuffer().addRaw(secrets.redact(markdown), true).write();
}

/** The message a failed step shows: the error, its hint, never a secret nor a stack trace for expected errors. */
export function failureMessage(err: unknown, secrets: Secrets): string {
  if (isBackdrillError(err)) return secrets.redact(err.hint ? `${err.message}\n${err.hint}` : err.message);
  return secrets.redact(err instanceof Error ? (err.stack ?? err.message) : String(err));
}

/** Runs an action body: a thrown error fails the step with a redacted message. */
export async function runAction(body: (secrets: Secrets) => Promise<void>): Promise<void> {
  const secrets = new Secrets();
  try {
    await body(secrets);
  } catch (err) {
    core.setFailed(failureMessage(err, secrets));
  }
}

export function log(secrets: Secrets): (line: string) => void {
  return (line) => core.info(secrets.redact(line));
}

/**
 * Updates the alert issue when the issue-alerts input is on. A problem with the GitHub API is a warning: it must
 * not hide (or replace) the outcome of the backup, verify or drill itself.
 */
export async function alertFromInputs(
  secrets: Secrets,
  key: Omit<AlertKey, 'workflow'>,
  outcome: { ok: boolean; details: string },
): Promise<AlertAction> {
  if (!boolInput(Input.issueAlerts, true)) return { action: 'none' };
  const token = input(Input.githubToken);
  const repository = process.env.GITHUB_REPOSITORY;
  if (!token || !repository) {
    core.warning(
      `issue alerts are on but ${token ? 'GITHUB_REPOSITORY is not set' : 'the github-token input is empty'}`,
    );
    return { action: 'none' };
  }
  secrets.add(token);
  const server = process.env.GITHUB_SERVER_URL ?? 'https://github.com';
  const runId = process.env.GITHUB_RUN_ID;
  try {
    const r = await updateAlert(
      {
        apiUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com',
        repository,
        token,
        label: input(Input.issueLabel) || 'backdrill',
        runUrl: runId ? `${server}/${repository}/actions/runs/${runId}` : undefined,
      },
      { ...key, workflow: process.env.GITHUB_WORKFLOW ?? 'local' },
      { ok: outcome.ok, details: secrets.redact(outcome.details) },
    );
    if (r.action !== 'none') core.info(`alert issue #${r.number} ${r.action}: ${r.url}`);
    return r;
  } catch (err) {
    core.warning(`could not update the alert issue: ${secrets.redact((err as Error).message)}`);
    return { action: 'none' };
  }
}
