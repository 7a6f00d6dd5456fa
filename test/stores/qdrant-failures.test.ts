// Qdrant store failures against the Qdrant REST double (a double, with fault knobs): snapshot downloads cut
// mid-stream (resumed; never a visible half snapshot), unreachable servers, wrong API keys, unknown collections,
// version mismatches, TLS, and restores that do not complete. Each error names the store and the server and
// maps to a documented exit code.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../../src/cli/exit-codes.ts';
import { BackdrillError } from '../../src/errors.ts';
import { findArtifact, readArtifact } from '../../src/repo/read.ts';
import type { Repository } from '../../src/repo/repository.ts';
import { QdrantAdapter } from '../../src/stores/qdrant/adapter.ts';
import { QdrantStoreConfig } from '../../src/stores/qdrant/config.ts';
import { backupStore, compareStore, restoreStore } from '../../src/stores/run.ts';
import { IncompleteRestoreError } from '../../src/stores/types.ts';
import { QdrantDouble } from '../doubles/qdrant/index.ts';
import { backendFor, initRepo, newLocation, tempDir } from '../helpers/repo.ts';
import { freePort } from '../services/common.ts';
import { type QdrantEndpoint, seedRich } from './qdrant-fixture.ts';

function storeFor(ep: QdrantEndpoint, extra: Record<string, unknown> = {}): QdrantStoreConfig {
  return QdrantStoreConfig.parse({
    kind: 'qdrant',
    name: 'vectors',
    url: ep.url,
    ...(ep.apiKey ? { apiKey: ep.apiKey } : {}),
    batchSize: 16,
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<BackdrillError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackdrillError);
  return err as BackdrillError;
}

let repo: Repository;
beforeAll(async () => {
  repo = await initRepo(backendFor(await newLocation('folder')));
});
afterAll(async () => {
  await repo?.close();
});

describe('Qdrant snapshot downloads cut mid-stream', () => {
  it('resumes from the byte reached (HTTP Range) and stores the file byte for byte', async () => {
    await using server = await QdrantDouble.start({ faults: { cutDownloadAfterBytes: 5000, cutDownloads: 3 } });
    const data = await seedRich({ url: server.url }, 'cut', 60);
    const config = storeFor({ url: server.url }, { collections: [data.plain] });
    const { snapshot } = await backupStore(repo, config);
    const ranges = server.node.requests
      .filter((r) => r.path.includes('/snapshots/') && r.method === 'GET')
      .map((r) => r.range ?? 'none');
    expect(ranges).toEqual(['none', 'bytes=5000-', 'bytes=10000-', 'bytes=15000-']);
    const artifact = findArtifact(snapshot, `collections/${data.plain}.snapshot`);
    const hash = createHash('sha256');
    for await (const b of readArtifact(repo, artifact)) hash.update(b);
    const capture = snapshot.capture as { details: { collections: Array<{ sha256: string }> } };
    expect(hash.digest('hex')).toBe(capture.details.collections[0]!.sha256);
    expect(server.node.snapshotFiles()).toEqual([]);
    await using target = await QdrantDouble.start();
    await restoreStore(repo, config, snapshot, { target: target.url });
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
  });

  it('restarts and proves the bytes already stored are the same when the server ignores Range', async () => {
    await using server = await QdrantDouble.start({
      faults: { cutDownloadAfterBytes: 7000, cutDownloads: 2, ignoreRange: true },
    });
    const data = await seedRich({ url: server.url }, 'norange', 60);
    const config = storeFor({ url: server.url }, { collections: [data.plain] });
    const { snapshot } = await backupStore(repo, config);
    const downloads = server.node.requests.filter((r) => r.path.includes('/snapshots/') && r.method === 'GET');
    expect(downloads.map((r) => r.range ?? 'none')).toEqual(['none', 'bytes=7000-', 'bytes=7000-']);
    await using target = await QdrantDouble.start();
    await restoreStore(repo, config, snapshot, { target: target.url });
    expect(await compareStore(repo, config, snapshot, target.url)).toEqual([]);
  });

  it('gives up after the configured retries: no snapshot becomes visible and the remote copy is deleted', async () => {
    await using server = await QdrantDouble.start({ faults: { cutDownloadAfterBytes: 3000, cutDownloads: 1000 } });
    const data = await seedRich({ url: server.url }, 'dead', 40);
    const before = (await repo.listSnapshots()).snapshots.length;
    const err = await failure(
      backupStore(repo, storeFor({ url: server.url }, { collections: [data.plain], downloadRetries: 2 })),
    );
    expect(err.message).toMatch(
      /store vectors: Qdrant at http:\/\/127\.0\.0\.1:\d+ .*downloading snapshot .* \(after 2 resumed attempt\(s\)\)/,
    );
    expect((await repo.listSnapshots()).snapshots.length).toBe(before);
    expect(server.node.snapshotFiles()).toEqual([]);
  });

  it('refuses a download that does not match the checksum the server announced: integrity error, nothing visible', async () => {
    await using server = await QdrantDouble.start({ faults: { corruptDownloads: 1 } });
    const data = await seedRich({ url: server.url }, 'flip', 20);
    const before = (await repo.listSnapshots()).snapshots.length;
    const err = await failure(backupStore(repo, storeFor({ url: server.url }, { collections: [data.plain] })));
    expect(err.kind).toBe('integrity');
    expect(exitCodeFor(err.kind)).toBe(ExitCode.integrity);
    expect(err.message).toMatch(/has SHA-256 [0-9a-f]{64}, the server announced [0-9a-f]{64}/);
    expect((await repo.listSnapshots()).snapshots.length).toBe(before);
    expect(server.node.snapshotFiles()).toEqual([]);
  });
});

describe('Qdrant errors name the store and the server, with documented exit codes', () => {
  it('unreachable server: usage error (exit 2) without credentials in the message', async () => {
    const port = await freePort();
    const err = await failure(new QdrantAdapter(storeFor({ url: `http://admin:pw@127.0.0.1:${port}` })).probe());
    expect(err.kind).toBe('usage');
    expect(exitCodeFor(err.kind)).toBe(ExitCode.usage);
    expect(err.message).toMatch(
      new RegExp(`store vectors: Qdrant at http://127\\.0\\.0\\.1:${port} is unreachable \\(ECONNREFUSED\\)`),
    );
    expect(err.message).not.toContain('pw');
    expect(err.hint).toMatch(/url/);
  });

  it('wrong or missing API key: usage error that says which', async () => {
    await using server = await QdrantDouble.start({ apiKey: 'right-key' });
    const wrong = await failure(backupStore(repo, storeFor({ url: server.url, apiKey: 'wrong-key' })));
    expect(wrong.kind).toBe('usage');
    expect(exitCodeFor(wrong.kind)).toBe(2);
    expect(wrong.message).toMatch(
      /rejected the request while listing collections: HTTP 401 \(Invalid API key or JWT\)/,
    );
    expect(wrong.message).not.toContain('wrong-key');
    expect(wrong.hint).toMatch(/check the apiKey/);
    const missing = await failure(new QdrantAdapter(storeFor({ url: server.url })).probe());
    expect(missing.hint).toMatch(/add apiKey: \$\{QDRANT_API_KEY\}/);
  });

  it('unknown collection: usage error listing what the server has', async () => {
    await using server = await QdrantDouble.start();
    await seedRich({ url: server.url }, 'known', 5);
    const err = await failure(
      backupStore(repo, storeFor({ url: server.url }, { collections: ['known_plain', 'nope'] })),
    );
    expect(err.kind).toBe('usage');
    expect(err.message).toMatch(/collection\(s\) nope do not exist on http:\/\/127\.0\.0\.1:\d+/);
    expect(err.hint).toMatch(/known_plain/);
  });

  it('version mismatch: a native snapshot is refused before anything changes, with the reason and logical mode as a way out', async () => {
    await using server = await QdrantDouble.start({ version: '1.19.2' });
    const data = await seedRich({ url: server.url }, 'ver', 5);
    const config = storeFor({ url: server.url }, { collections: [data.plain] });
    const { snapshot } = await backupStore(repo, config);
    for (const version of ['1.18.3', '1.19.1', '1.20.0']) {
      await using target = await QdrantDouble.start({ version });
      const err = await failure(restoreStore(repo, config, snapshot, { target: target.url }));
      expect(err.kind).toBe('usage');
      expect(err.message).toContain(`written by Qdrant 1.19.2; the target ${target.url} runs Qdrant ${version}`);
      expect(err.message).toMatch(/same minor version \(1\.19\.x with x >= 2\)/);
      expect(err.hint).toMatch(/mode: logical/);
      expect(target.node.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    }
    await using later = await QdrantDouble.start({ version: '1.19.7' });
    await restoreStore(repo, config, snapshot, { target: later.url });
    expect(await compareStore(repo, config, snapshot, later.url)).toEqual([]);
  });

  it('a restore the server cannot complete fails as incomplete, naming each failed object and the reason', async () => {
    await using server = await QdrantDouble.start();
    const data = await seedRich({ url: server.url }, 'inc', 5);
    const config = storeFor({ url: server.url }, { collections: [data.plain, data.named], mode: 'logical' });
    const { snapshot } = await backupStore(repo, config);
    // Multivectors arrived in Qdrant 1.10: an older server cannot create the named collection.
    await using old = await QdrantDouble.start({ version: '1.9.7' });
    const err = await restoreStore(repo, config, snapshot, { target: old.url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteRestoreError);
    const failures = (err as IncompleteRestoreError).failures;
    expect(failures).toEqual([
      expect.stringMatching(new RegExp(`^collection ${data.named}: .*HTTP 400.*multivector_config`)),
      `alias ${data.aliases[1]}: not created, its collection ${data.named} did not restore`,
    ]);
    expect((err as Error).message).toMatch(/store vectors: 2 object\(s\) failed to restore into http:/);
    const diffs = await compareStore(repo, config, snapshot, old.url);
    expect(diffs.map((d) => d.object)).toEqual(
      expect.arrayContaining([
        `collection ${data.named}`,
        `collection ${data.named} config`,
        `alias ${data.aliases[1]}`,
      ]),
    );
    expect(diffs.map((d) => d.object)).not.toContain(`collection ${data.plain}`);
  });
});

describe('Qdrant over TLS', () => {
  it('fails with a tls.caFile hint for an unknown CA, and works once the CA is configured', async () => {
    const dir = tempDir('qdrant-tls-');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    await using server = await QdrantDouble.start({
      apiKey: 'tls-key',
      tls: { key: readFileSync(key), cert: readFileSync(cert) },
    });
    expect(server.url).toMatch(/^https:/);
    const data = await seedRich({ url: server.url, apiKey: 'tls-key' }, 'tls', 5).catch(() => undefined);
    expect(data).toBeUndefined(); // our own fetch does not trust the certificate either

    const untrusted = await failure(new QdrantAdapter(storeFor({ url: server.url, apiKey: 'tls-key' })).probe());
    expect(untrusted.kind).toBe('usage');
    expect(untrusted.message).toMatch(/TLS failed/);
    expect(untrusted.hint).toMatch(/tls\.caFile/);

    const config = storeFor({ url: server.url, apiKey: 'tls-key' }, { tls: { caFile: cert } });
    const probe = await new QdrantAdapter(config).probe();
    expect(probe.version).toBe(server.version);
    const { snapshot, warnings } = await backupStore(repo, config);
    expect(warnings.filter((w) => /plain http/.test(w))).toEqual([]);
    expect(snapshot.artifacts.map((a) => a.name)).toEqual(['manifest.json']);
  });
});
