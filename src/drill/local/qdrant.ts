// A throwaway Qdrant from a local `qdrant` binary: storage, snapshots and temp files in a new temp dir, free
// loopback ports (REST and gRPC), telemetry off, configured through Qdrant's QDRANT__* environment variables (no
// config file), and a stop that removes everything.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackdrillError } from '../../errors.ts';
import { freePort, logTail, ManagedProcess, pollUntil } from '../process.ts';

export interface LocalQdrant {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The key the server requires (api-key header); a random one per sandbox. */
  apiKey: string;
  /** e.g. "1.19.0", from GET / */
  version: string;
  stop(): Promise<void>;
}

export async function startLocalQdrant(options: { binary: string; readyTimeoutMs?: number }): Promise<LocalQdrant> {
  if (!existsSync(options.binary)) {
    throw new BackdrillError('usage', `drill.local.qdrantBinary ${options.binary} does not exist`, {
      hint: 'point it at the qdrant server binary (from the Qdrant release archive), or give the store a URL under drill.targets',
    });
  }
  const home = mkdtempSync(join(tmpdir(), 'backdrill-qdrant-'));
  for (const d of ['storage', 'snapshots', 'tmp']) mkdirSync(join(home, d));
  const [http, grpc] = [await freePort(), await freePort()];
  const apiKey = randomBytes(16).toString('hex');
  const logFile = join(home, 'qdrant.log');
  const proc = ManagedProcess.start(options.binary, [], logFile, {
    cwd: home,
    orphanCleanup: home,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      QDRANT__SERVICE__HOST: '127.0.0.1',
      QDRANT__SERVICE__HTTP_PORT: String(http),
      QDRANT__SERVICE__GRPC_PORT: String(grpc),
      QDRANT__SERVICE__API_KEY: apiKey,
      QDRANT__STORAGE__STORAGE_PATH: join(home, 'storage'),
      QDRANT__STORAGE__SNAPSHOTS_PATH: join(home, 'snapshots'),
      QDRANT__STORAGE__TEMP_PATH: join(home, 'tmp'),
      QDRANT__TELEMETRY_DISABLED: 'true',
      QDRANT__CLUSTER__ENABLED: 'false',
    },
  });
  const stop = async () => {
    await proc.stop(15_000);
    rmSync(home, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${http}`;
  let version = '';
  const ready = await pollUntil(
    async () => {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) return false;
      const root = await fetch(`${url}/`, { headers: { 'api-key': apiKey }, signal: AbortSignal.timeout(2_000) });
      version = ((await root.json()) as { version?: string }).version ?? 'unknown';
      return true;
    },
    options.readyTimeoutMs ?? 60_000,
    proc,
  );
  if (!ready) {
    const tail = logTail(logFile, 5);
    const why = proc.exited ? `exited with code ${proc.exitCode}` : 'did not become ready in time';
    await stop();
    throw new BackdrillError('fatal', `local Qdrant ${options.binary} ${why}${tail ? `: ${tail}` : ''}`, {
      hint: 'check that the binary runs on this machine (`qdrant --version`) and is Qdrant 1.x',
    });
  }
  return { url, apiKey, version, stop };
}
