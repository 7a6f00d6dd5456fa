// The copy-paste YAML of the README's "Copy-paste workflows" section: `--out DIR` writes each workflow there
// (for actionlint in .ci/run); imported, it returns the blocks (for test/readme-workflows.test.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Every ```yaml block of the section, with whether it is a workflow (has jobs:) or a backdrill.yml. */
export function readmeYamlBlocks() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('### Copy-paste workflows');
  const end = readme.indexOf('\n## ', start);
  if (start < 0) throw new Error('README.md has no "### Copy-paste workflows" section');
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => ({
    index: i,
    text: m[1],
    kind: /^jobs:/m.test(m[1]) ? 'workflow' : 'config',
  }));
}

const out = process.argv.indexOf('--out');
if (out > 0) {
  const dir = process.argv[out + 1];
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (const b of readmeYamlBlocks().filter((b) => b.kind === 'workflow')) {
    const file = join(dir, `readme-${b.index}.yml`);
    writeFileSync(file, b.text);
    files.push(file);
  }
  console.log(files.join('\n'));
}
