// Bad inputs fail the step before any work, with a message that names the input, and print nothing secret.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run as backup } from '../../src/actions/backup.ts';
import { run as restore } from '../../src/actions/restore.ts';
import { run as drill } from '../../src/actions/restore-drill.ts';
import { run as verify } from '../../src/actions/verify.ts';
import { backendFor, initRepo, newLocation, PASSWORD, tempDir } from '../helpers/repo.ts';
import { runStep, visibleLog } from './harness.ts';

const PG_SECRET = 'pg-Secret/with:odd@chars';
let config: string;
let location: string;

beforeAll(async () => {
  location = await newLocation('folder');
  await (await initRepo(backendFor(location))).close();
  const dir = tempDir('bd-inputs-');
  config = join(dir, 'backdrill.yml');
  writeFileSync(
    config,
    `version: 1
repository:
  location: ${location}
stores:
  - name: app
    kind: postgres
    url: postgresql://backup:\${PG_SECRET}@db.internal:5432/postgres
  - name: warehouse
    kind: postgres
    url: postgresql://backup:${encodeURIComponent('literal-Pass@1')}@wh.internal:5432/postgres
  - name: vectors
    kind: qdrant
    url: https://qdrant.internal:6333
    apiKey: literal-qdrant-key
`,
  );
});

const env = () => ({ PG_SECRET });

async function fails(step: Awaited<ReturnType<typeof runStep>>, message: RegExp) {
  expect(step.failed, step.log).toBe(true);
  const errors = step.log.split('\n').filter((l) => l.startsWith('::error::'));
  expect(errors.join('\n')).toMatch(message);
  const visible = visibleLog(step.log) + step.summary;
  for (const s of [
    PASSWORD,
    PG_SECRET,
    encodeURIComponent(PG_SECRET),
    'literal-Pass@1',
    encodeURIComponent('literal-Pass@1'),
  ]) {
    expect(visible).not.toContain(s);
  }
}

describe('bad inputs name the input and leak nothing', () => {
  it('unknown store', async () => {
    const r = await runStep('backup', backup, { config, password: PASSWORD, stores: 'app, nope' }, env());
    await fails(r, /::error::input stores: no store "nope" in .*backdrill.yml%0Astores: app, warehouse, vectors/);
  });

  it('missing password', async () => {
    const r = await runStep('verify', verify, { config }, env());
    await fails(r, /::error::input password: the repository is encrypted and no password was given/);
  });

  it('unreadable password file', async () => {
    const r = await runStep('verify', verify, { config, 'password-file': '/nonexistent/pw' }, env());
    await fails(r, /::error::input password-file: cannot read \/nonexistent\/pw: ENOENT/);
  });

  it('unreadable config', async () => {
    const r = await runStep('backup', backup, { config: '/nonexistent/backdrill.yml', password: PASSWORD }, env());
    await fails(r, /::error::input config: cannot read the config file \/nonexistent\/backdrill.yml: ENOENT/);
  });

  it('a config whose interpolated variable is not set names the config input and the path in it', async () => {
    const r = await runStep('backup', backup, { config, password: PASSWORD }, {});
    await fails(r, /::error::input config: stores\[0\]\.url: environment variable PG_SECRET is not set/);
  });

  it('malformed selectors', async () => {
    await fails(
      await runStep('restore-drill', drill, { config, password: PASSWORD, set: '../../etc' }, env()),
      /::error::input set: "..\/..\/etc" is not a backup set ID/,
    );
    await fails(
      await runStep('restore', restore, { config, password: PASSWORD, store: 'app', snapshot: 'last-week' }, env()),
      /::error::input snapshot: "last-week" is not a snapshot ID/,
    );
    await fails(
      await runStep('verify', verify, { config, password: PASSWORD, 'read-data-subset': '8/7' }, env()),
      /::error::input read-data-subset: "8\/7" is not a subset/,
    );
    await fails(
      await runStep('restore-drill', drill, { config, password: PASSWORD, provider: 'docker' }, env()),
      /::error::input provider: "docker"/,
    );
    await fails(
      await runStep('backup', backup, { config, password: PASSWORD, tags: 'ok, not ok' }, env()),
      /::error::input tags: "not ok"/,
    );
  });

  it('restore needs a store', async () => {
    const r = await runStep('restore', restore, { config, password: PASSWORD }, env());
    await fails(r, /::error::input store is required/);
  });

  it('secrets, their encoded forms and URL passwords are registered as masks', async () => {
    const r = await runStep('backup', backup, { config, password: PASSWORD, stores: 'nope' }, env());
    const masks = r.log.split('\n').filter((l) => l.startsWith('::add-mask::'));
    for (const s of [
      PASSWORD,
      PG_SECRET,
      encodeURIComponent(PG_SECRET),
      'literal-Pass@1',
      encodeURIComponent('literal-Pass@1'),
      'literal-qdrant-key',
    ]) {
      // Workflow commands escape % as %25; the runner unescapes them.
      expect(masks).toContain(`::add-mask::${s.replace(/%/g, '%25')}`);
    }
  });
});
