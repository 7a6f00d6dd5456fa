// action.yml files and the docs tables are what src/actions/names.ts says, and each action has its entry point.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ActionName, actions, renderActionYml, renderDocsTables } from '../../src/actions/names.ts';

const names = Object.keys(actions) as ActionName[];

describe('published actions match src/actions/names.ts', () => {
  it.each(names)('actions/%s/action.yml is generated from names.ts and runs the bundle on node24', (name) => {
    const text = readFileSync(`actions/${name}/action.yml`, 'utf8');
    expect(text, 'regenerate with `npx tsx src/actions/generate.ts`').toBe(renderActionYml(name));
    const yml = parse(text) as {
      inputs: Record<string, { required: boolean; default?: string }>;
      outputs: Record<string, unknown>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(yml.inputs)).toEqual(Object.keys(actions[name].inputs));
    expect(Object.keys(yml.outputs)).toEqual(Object.keys(actions[name].outputs));
    expect(yml.runs.using).toBe('node24');
    // `uses: ./actions/<name>` resolves main against the action's folder; dist/ is at the repository root.
    expect(yml.runs.main).toBe(`../../dist/actions/${name}.js`);
    expect(existsSync(`src/actions/entry/${name}.ts`)).toBe(true);
    expect(existsSync(`src/actions/${name}.ts`)).toBe(true);
  });

  it('each entry point only calls run(), through runCommand', () => {
    for (const name of names) {
      const code = readFileSync(`src/actions/entry/${name}.ts`, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.startsWith('//'));
      expect(code).toEqual([
        "import { runCommand } from '../../command-process.ts';",
        `await runCommand(new URL(import.meta.url), async () => (await import('../${name}.ts')).run());`,
      ]);
    }
  });

  it("docs/actions.md carries each action's generated input and output tables", () => {
    const docs = readFileSync('docs/actions.md', 'utf8');
    for (const name of names) {
      expect(docs).toContain(`<!-- tables:${name} -->\n${renderDocsTables(name)}\n<!-- /tables:${name} -->`);
    }
  });
});
