// Loading backdrill.yml: YAML, then ${ENV} interpolation in string values, then validation. Every error names
// the path at fault (stores[1].url: ...). Interpolated values are collected so callers can mask them.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { UsageError } from '../errors.ts';
import { BackdrillConfig } from './schema.ts';

export interface LoadedConfig {
  config: BackdrillConfig;
  path: string;
  /** Every value that came from the environment: secrets to mask in logs and summaries. */
  secrets: string[];
}

type PathPart = string | number;

export function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out || '(top level)';
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}|\$\$/g;

function interpolate(value: unknown, env: NodeJS.ProcessEnv, path: PathPart[], secrets: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(VAR, (whole, name: string | undefined, fallback: string | undefined) => {
      if (whole === '$$') return '$';
      const v = env[name!];
      if (v !== undefined && v !== '') {
        secrets.add(v);
        return v;
      }
      if (fallback !== undefined) return fallback;
      throw new UsageError(
        `${formatPath(path)}: environment variable ${name} is not set`,
        `set ${name}, or write \${${name}:-default} for a default (use $$ for a literal $)`,
      );
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, i], secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], secrets)]));
  }
  return value;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path as PathPart[])}: ${issue.message}`;
}

/** Parses and validates config text; `source` names the file in errors. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv): LoadedConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new UsageError(`${source}: invalid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax');
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`${source}: expected a mapping with version, repository and stores`);
  }
  const secrets = new Set<string>();
  const interpolated = interpolate(raw, env, [], secrets);
  const r = BackdrillConfig.safeParse(interpolated);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 5).map(describeIssue);
    throw new UsageError(`${source}: ${lines.join('; ')}`, 'see docs/configuration.md or schema/backdrill.schema.json');
  }
  return { config: r.data, path: source, secrets: [...secrets].filter((s) => s.length >= 4) };
}

export function loadConfig(path: string, env: NodeJS.ProcessEnv): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read the config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'pass --config FILE or create backdrill.yml (see docs/configuration.md)',
    );
  }
  return parseConfig(text, path, env);
}
