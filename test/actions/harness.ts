// Runs an action's run() in-process the way the runner does: every declared input as INPUT_<NAME> (with the
// defaults from action.yml), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, RUNNER_TEMP, and the GITHUB_* context.
// Captures what the step printed, its outputs, its summary and whether it failed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionName, actions } from '../../src/actions/names.ts';

export interface StepResult {
  failed: boolean;
  outputs: Record<string, string>;
  summary: string;
  /** Everything written to stdout (workflow commands included, as the runner sees them). */
  log: string;
}

// @actions/core caches the summary file path on first use: one set of files per test process, emptied per step.
const dir = mkdtempSync(join(tmpdir(), 'bd-action-'));
const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), env: join(dir, 'env') };

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

export async function runStep(
  name: ActionName,
  run: () => Promise<void>,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<StepResult> {
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
  for (const [input, spec] of Object.entries(actions[name].inputs)) {
    const value = inputs[input] ?? (spec.default?.startsWith('${{') ? '' : (spec.default ?? ''));
    process.env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const k of Object.keys(inputs)) {
    if (!(k in actions[name].inputs)) throw new Error(`the ${name} action has no input ${k}`);
  }
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  Object.assign(process.env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    RUNNER_TEMP: dir,
    GITHUB_REPOSITORY: 'acme/stack',
    GITHUB_WORKFLOW: 'nightly',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.example',
    ...env,
  });
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  }) as typeof process.stdout.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await run();
  } finally {
    process.stdout.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  const failed = process.exitCode === 1;
  process.exitCode = before;
  return {
    failed,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    log: chunks.join(''),
  };
}

/** The log without the ::add-mask:: commands (which must carry the secrets to the runner). */
export function visibleLog(log: string): string {
  return log
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}
