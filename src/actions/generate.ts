// Writes actions/<name>/action.yml and the tables of docs/actions.md from src/actions/names.ts. Not bundled:
// run it with `npx tsx src/actions/generate.ts` after changing an input or output.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type ActionName, actions, renderActionYml, renderDocsTables } from './names.ts';

const docs = 'docs/actions.md';
let text = readFileSync(docs, 'utf8');
for (const name of Object.keys(actions) as ActionName[]) {
  mkdirSync(`actions/${name}`, { recursive: true });
  writeFileSync(`actions/${name}/action.yml`, renderActionYml(name));
  const begin = `<!-- tables:${name} -->`;
  const end = `<!-- /tables:${name} -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${docs}: no ${begin} ... ${end} markers`);
  text = `${text.slice(0, a + begin.length)}\n${renderDocsTables(name)}\n${text.slice(b)}`;
}
writeFileSync(docs, text);
