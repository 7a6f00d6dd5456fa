// Writes schema/backdrill.schema.json from the zod schema of backdrill.yml (src/config/schema.ts), so editors
// complete and check the file. test/config.test.ts fails when the committed file is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/schema.ts';

export function schemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('gen-schema.ts')) {
  mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
  writeFileSync(new URL('../schema/backdrill.schema.json', import.meta.url), schemaText());
  console.log('wrote schema/backdrill.schema.json');
}
