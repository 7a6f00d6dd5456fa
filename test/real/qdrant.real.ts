// The Qdrant round trip against a real Qdrant server (QDRANT_URL, optional QDRANT_API_KEY; QDRANT_TARGET_URL for
// a second server to restore into). The double-based tests in test/stores/ cover the same ground on every run;
// this proves the double right. Without QDRANT_URL it fails: it is run on purpose (npm run test:real-qdrant).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KDF } from '../../src/repo/keys.ts';
import { Repository } from '../../src/repo/repository.ts';
import { openBackend } from '../../src/storage/index.ts';
import { QdrantStoreConfig } from '../../src/stores/qdrant/config.ts';
import { QDRANT_IMAGE } from '../../src/stores/qdrant/image.ts';
import { backupStore, compareStore, restoreStore } from '../../src/stores/run.ts';
import {
  type QdrantEndpoint,
  qdrantRequest,
  type RichCollections,
  scrollText,
  seedRich,
} from '../stores/qdrant-fixture.ts';

const url = process.env.QDRANT_URL;
if (!url) {
  throw new Error(
    `QDRANT_URL is not set: this suite needs a real Qdrant (docker run -d -p 6333:6333 ${QDRANT_IMAGE}, then ` +
      'QDRANT_URL=http://127.0.0.1:6333 npm run test:real-qdrant). It is not part of npm test, which uses the Qdrant double.',
  );
}
const apiKey = process.env.QDRANT_API_KEY;
const source: QdrantEndpoint = { url, ...(apiKey ? { apiKey } : {}) };
const target: QdrantEndpoint = { url: process.env.QDRANT_TARGET_URL ?? url, ...(apiKey ? { apiKey } : {}) };

let repo: Repository;
const created: Array<{ ep: QdrantEndpoint; names: string[] }> = [];

beforeAll(async () => {
  const location = join(mkdtempSync(join(tmpdir(), 'bd-real-qdrant-')), 'repo');
  ({ repo } = await Repository.init(openBackend(location), { password: 'real-qdrant-test', kdf: TEST_KDF }));
});
afterAll(async () => {
  for (const { ep, names } of created) {
    for (const n of names) await qdrantRequest(ep, 'DELETE', `/collections/${n}`).catch(() => undefined);
  }
  await repo?.close();
});

async function roundTrip(mode: 'snapshot' | 'logical'): Promise<void> {
  const rich: RichCollections = await seedRich(source, `bdreal_${mode}_${randomBytes(3).toString('hex')}`, 40);
  const names = [rich.plain, rich.named, rich.empty];
  created.push({ ep: source, names }, { ep: target, names });
  const config = QdrantStoreConfig.parse({
    kind: 'qdrant',
    name: 'real',
    url,
    ...(apiKey ? { apiKey } : {}),
    collections: names,
    mode,
    batchSize: 16,
  });
  const { snapshot } = await backupStore(repo, config);
  const before = new Map<string, string[]>();
  for (const n of names) before.set(n, await scrollText(source, n));
  if (target.url === source.url) {
    // One server: the backed-up collections make way for their restore.
    for (const n of names) await qdrantRequest(source, 'DELETE', `/collections/${n}`);
  }
  await restoreStore(repo, config, snapshot, { target: target.url });
  expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
  for (const n of names) expect(await scrollText(target, n)).toEqual(before.get(n));
}

describe(`Qdrant store against a real Qdrant at ${url}`, () => {
  it('round-trips every vector kind and payload shape in snapshot mode', () => roundTrip('snapshot'));
  it('round-trips every vector kind and payload shape in logical mode', () => roundTrip('logical'));
});
