// The README's copy-paste workflows (and the self-test workflow's config) must work when pasted: each
// backdrill.yml is a valid config, and each step that uses a backdrill action passes only inputs that action has
// (and every input it requires). (.ci/run also runs actionlint over these workflows.)

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// @ts-expect-error: a plain .mjs script without types
import { readmeYamlBlocks } from '../scripts/readme-workflows.mjs';
import { type ActionName, actions } from '../src/actions/names.ts';
import { parseConfig } from '../src/config/load.ts';
import { loadChecks } from '../src/drill/checks.ts';

interface Block {
  index: number;
  text: string;
  kind: 'workflow' | 'config';
}
const blocks = readmeYamlBlocks() as Block[];
const env = new Proxy({} as NodeJS.ProcessEnv, { get: (_, k) => `value-of-${String(k)}` });

describe("the README's copy-paste workflows", () => {
  it('has the Aura + RDS + Qdrant Cloud and the self-hosted variants: configs and workflows', () => {
    expect(blocks.filter((b) => b.kind === 'config').length).toBe(2);
    expect(blocks.filter((b) => b.kind === 'workflow').length).toBeGreaterThanOrEqual(3);
  });

  it('every backdrill.yml parses as a config with all three kinds of store', () => {
    for (const b of blocks.filter((b) => b.kind === 'config')) {
      const { config } = parseConfig(b.text, `README block ${b.index}`, env);
      expect(config.stores.map((s) => s.kind).sort()).toEqual(['neo4j', 'postgres', 'qdrant']);
    }
  });

  it("docs/configuration.md's full example is a valid config too", () => {
    const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
    const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const { config } = parseConfig(example!, 'docs/configuration.md', env);
    expect(config.retention?.keepDaily).toBe(7);
  });

  it("the self-test workflow's config and checks are valid (they only run on GitHub)", () => {
    const dir = new URL('./actions/self-test/', import.meta.url);
    const { config } = parseConfig(readFileSync(new URL('backdrill.yml', dir), 'utf8'), 'self-test', env);
    expect(config.drill.provider).toBe('testcontainers');
    const checks = loadChecks(config.drill.checks, fileURLToPath(dir));
    const stores = new Set(config.stores.map((s) => s.name));
    for (const c of checks.checks) expect(stores).toContain(c.store);
    for (const r of checks.rules) expect([r.left.store, r.right.store].every((n) => stores.has(n))).toBe(true);
  });

  it('every backdrill action step passes only inputs the action declares, and every required one', () => {
    let steps = 0;
    for (const b of blocks.filter((b) => b.kind === 'workflow')) {
      const wf = parse(b.text) as { jobs: Record<string, { steps?: Array<{ uses?: string; with?: object }> }> };
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          const m = /\/backdrill\/actions\/([a-z-]+)@/.exec(step.uses ?? '');
          if (!m) continue;
          steps++;
          const name = m[1] as ActionName;
          expect(Object.keys(actions), step.uses).toContain(name);
          const declared = actions[name].inputs;
          for (const k of Object.keys(step.with ?? {})) expect(Object.keys(declared), `${name}: ${k}`).toContain(k);
          for (const [k, spec] of Object.entries(declared)) {
            if (spec.required) expect(Object.keys(step.with ?? {}), `${name} needs ${k}`).toContain(k);
          }
        }
      }
    }
    expect(steps).toBeGreaterThanOrEqual(5);
  });
});
