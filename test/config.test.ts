// backdrill.yml: interpolation, errors that name the path at fault, and the published JSON Schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../scripts/gen-schema.ts';
import { parseConfig } from '../src/config/load.ts';

const base = (stores: string) => `version: 1
repository:
  location: /srv/backups
  password: \${BACKDRILL_PASSWORD}
stores:
${stores}`;

describe('backdrill.yml', () => {
  it('interpolates environment variables in strings, applies defaults, and collects them as secrets', () => {
    const { config, secrets } = parseConfig(
      base(`  - name: app
    kind: postgres
    url: postgresql://app:\${PGPASSWORD}@db.internal:5432/app
    databases: [app]`),
      'backdrill.yml',
      { BACKDRILL_PASSWORD: 'repo-secret', PGPASSWORD: 's3cr3t!@' },
    );
    expect(config.repository.password).toBe('repo-secret');
    const pgStore = config.stores[0]!;
    expect(pgStore.kind).toBe('postgres');
    expect(pgStore.kind === 'postgres' && pgStore.url).toBe('postgresql://app:s3cr3t!@@db.internal:5432/app');
    expect(pgStore.kind === 'postgres' && pgStore.format).toBe('custom');
    expect(secrets.sort()).toEqual(['repo-secret', 's3cr3t!@']);
  });

  it('names the path at fault: a missing variable, a bad value, a duplicate store, an unknown key', () => {
    const env = { BACKDRILL_PASSWORD: 'x' };
    const bad: Array<[string, RegExp]> = [
      [
        base(`  - name: app\n    kind: postgres\n    url: postgresql://u:\${NOPE}@h/db`),
        /stores\[0\]\.url: environment variable NOPE is not set/,
      ],
      [
        base(`  - name: app\n    kind: postgres\n    url: mysql://h/db`),
        /stores\[0\]\.url: expected a postgresql:\/\/ URL/,
      ],
      [
        base(
          `  - name: app\n    kind: postgres\n    url: postgresql://h/a\n  - name: app\n    kind: postgres\n    url: postgresql://h/b`,
        ),
        /stores\[1\]\.name: duplicate store name "app" \(also stores\[0\]\)/,
      ],
      [
        base(`  - name: App Store\n    kind: postgres\n    url: postgresql://h/a`),
        /stores\[0\]\.name: use lowercase letters/,
      ],
      [base(`  - name: app\n    kind: cassandra\n    url: x`), /stores\[0\]\.kind/],
      [`version: 1\nrepository:\n  location: x\n  pasword: y\nstores: []`, /repository: Unrecognized key: "pasword"/],
      [`version: 1\nrepository: [\n`, /invalid YAML/],
    ];
    for (const [text, re] of bad) {
      expect(() => parseConfig(text, 'backdrill.yml', env), text).toThrow(re);
    }
  });

  it('a default and a literal dollar are possible', () => {
    const { config } = parseConfig(
      base(`  - name: app\n    kind: postgres\n    url: postgresql://u:$$lit\${PGPW:-fallback}@h/db`),
      'f',
      { BACKDRILL_PASSWORD: 'x' },
    );
    expect(config.stores[0]!.kind === 'postgres' && config.stores[0]!.url).toBe('postgresql://u:$litfallback@h/db');
  });

  it('schema/*.json (config, checks, drill report) are what the zod schemas export (run `npm run schema`)', () => {
    const files = schemaFiles();
    expect(Object.keys(files).sort()).toEqual([
      'backdrill.schema.json',
      'checks.schema.json',
      'drill-report.schema.json',
    ]);
    for (const [file, text] of Object.entries(files)) {
      expect(readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8'), file).toBe(text);
    }
  });
});
