// Writes the JSON Schemas of what users write and what backdrill emits, from their zod schemas: backdrill.yml
// (src/config/schema.ts), drill check files (src/drill/checks.ts) and the drill report that `drill --json` prints
// and the actions consume (src/report/report.ts). Editors complete and check the YAML files with them.
// test/config.test.ts fails when a committed file is stale (run `npm run schema`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { configJsonSchema } from '../src/config/schema.ts';
import { ChecksFile } from '../src/drill/checks.ts';
import { DrillReport } from '../src/report/report.ts';

function withId(schema: z.ZodType, file: string, title: string, io: 'input' | 'output'): unknown {
  return {
    ...(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as object),
    $id: `https://backdrill.dev/schema/${file}`,
    title,
  };
}

/** File name -> text of every published schema. */
export function schemaFiles(): Record<string, string> {
  const text = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'backdrill.schema.json': text(configJsonSchema()),
    'checks.schema.json': text(
      withId(ChecksFile, 'checks.schema.json', 'backdrill drill checks (drills/*.yml)', 'input'),
    ),
    'drill-report.schema.json': text(
      withId(DrillReport, 'drill-report.schema.json', 'backdrill drill report (drill --json)', 'output'),
    ),
  };
}

export function schemaText(): string {
  return schemaFiles()['backdrill.schema.json']!;
}

if (process.argv[1]?.endsWith('gen-schema.ts')) {
  mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
  for (const [file, text] of Object.entries(schemaFiles())) {
    writeFileSync(new URL(`../schema/${file}`, import.meta.url), text);
    console.log(`wrote schema/${file}`);
  }
}
