// The real MinIO for tests: builds the pinned server from source with `go install` into the shared cache,
// and starts throwaway single-drive servers on loopback ports with random root credentials.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot, freePort, logTail, ManagedProcess, run, ServiceStartError, waitReady } from './common.ts';
import type { MinioInfo } from './types.ts';

/**
 * The MinIO server the tests run, as a Go module version. MinIO community is source-only now (no binaries to
 * download), and the module proxy this project can reach does not serve the pseudo-version of the last tagged
 * release, RELEASE.2025-10-15T17-29-55Z (v0.0.0-20251015172955-9e49d5e7a648, 403 "not available"). It does
 * serve the final commit of minio/minio master (2026-02-12, after the repository was archived), so that is
 * the pin: the nearest version to that release that can be fetched here and in CI.
 */
export const MINIO_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';

const MODULE = 'github.com/minio/minio';
const SERVICE = 'minio';
const REGION = 'us-east-1';

function installDir(): string {
  return join(cacheRoot(), `minio-${MINIO_VERSION}`);
}

/**
 * Returns the path of the MinIO binary, building it on first use (several minutes on 2 cores).
 * Concurrent callers each build into their own temp GOBIN and rename the result into place, so a reader never
 * sees a half-written binary and the last rename simply replaces an identical file.
 */
export async function installMinio(): Promise<string> {
  const dir = installDir();
  const bin = join(dir, 'bin', 'minio');
  if (existsSync(bin)) return bin;

  mkdirSync(join(dir, 'bin'), { recursive: true });
  const staging = mkdtempSync(join(dir, '.build-'));
  const logFile = join(staging, 'go-install.log');
  const failedLog = join(dir, 'build-failed.log');
  const target = `${MODULE}@${MINIO_VERSION}`;
  try {
    let result: Awaited<ReturnType<typeof run>>;
    try {
      result = await run(
        'go',
        // -trimpath and -s -w keep the cached binary smaller and independent of this machine's paths.
        ['install', '-trimpath', '-ldflags=-s -w', target],
        { env: { ...process.env, GOBIN: join(staging, 'bin') }, logFile },
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ServiceStartError(
          SERVICE,
          '`go` was not found on PATH; MinIO is built from source because it ships no binaries any more',
          'install Go 1.24 or newer (Debian: apt-get install golang-go, or https://go.dev/dl/) and put `go` on PATH',
        );
      }
      throw err;
    }
    const built = join(staging, 'bin', 'minio');
    if (result.code !== 0 || !existsSync(built)) {
      // Keep the log where it outlives the staging dir, so the path in the message can still be opened.
      renameSync(logFile, failedLog);
      throw new ServiceStartError(
        SERVICE,
        `\`go install ${target}\` failed with exit code ${result.code}`,
        'read the build log below: a too-old Go needs upgrading (MinIO needs 1.24+), a network error needs the ' +
          'Go module proxy to be reachable (GOPROXY); set BACKDRILL_TEST_CACHE to build somewhere else',
        failedLog,
      );
    }
    renameSync(built, bin);
    rmSync(failedLog, { force: true });
    return bin;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface MinioServer {
  info: MinioInfo;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts a fresh single-drive MinIO on loopback; the caller must stop() it, which also deletes its data. */
export async function startMinio(): Promise<MinioServer> {
  const bin = await installMinio();
  // freePort() can lose a race with another process grabbing the port before MinIO binds it; retry on that only.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof PortTakenError)) throw err instanceof PortTakenError ? err.cause : err;
    }
  }
}

class PortTakenError extends Error {
  constructor(override readonly cause: ServiceStartError) {
    super(cause.message);
  }
}

async function startOnce(bin: string): Promise<MinioServer> {
  const root = mkdtempSync(join(tmpdir(), 'backdrill-minio-'));
  const dataDir = join(root, 'data');
  const certsDir = join(root, 'certs');
  mkdirSync(dataDir);
  mkdirSync(certsDir);
  const logFile = join(root, 'minio.log');

  const apiPort = await freePort();
  const consolePort = await freePort();
  const accessKeyId = `bd${randomBytes(8).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('hex');

  const proc = ManagedProcess.start(
    bin,
    [
      'server',
      dataDir,
      '--address',
      `127.0.0.1:${apiPort}`,
      // Without this MinIO picks a random console port on every interface.
      '--console-address',
      `127.0.0.1:${consolePort}`,
      // The default is ~/.minio/certs: a developer's certificates there would silently switch the server to TLS.
      '--certs-dir',
      certsDir,
    ],
    logFile,
    {
      // A clean environment: any MINIO_* or CI variable of the caller would change how the server behaves.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: root,
        TMPDIR: root,
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_SITE_REGION: REGION,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
        MINIO_CALLHOME_ENABLE: 'off',
        // Smaller buffer pools and no root-drive refusal: the same relaxed mode locally as in CI.
        MINIO_CI_CD: 'on',
      },
    },
  );

  const cleanup = async (): Promise<void> => {
    await proc.stop();
    rmSync(root, { recursive: true, force: true });
  };

  const endpoint = `http://127.0.0.1:${apiPort}`;
  try {
    await waitReady({
      service: SERVICE,
      // /minio/health/ready and /live answer 200 before the object layer exists; /cluster answers 503 until the
      // drive, bucket metadata and IAM are all initialised, i.e. until S3 calls will actually succeed.
      ready: async () => (await fetch(`${endpoint}/minio/health/cluster`, { signal: AbortSignal.timeout(2000) })).ok,
      timeoutMs: 60_000,
      proc,
      logFile,
      fix: `run \`${bin} server <dir>\` by hand to see why it does not start; delete ${installDir()} to force a rebuild`,
    });
  } catch (err) {
    const portTaken = /address already in use/i.test(logTail(logFile, 50));
    // The error already carries the log tail, so nothing in the temp dir is worth keeping.
    await cleanup();
    if (portTaken && err instanceof ServiceStartError) throw new PortTakenError(err);
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    info: { endpoint, region: REGION, accessKeyId, secretAccessKey },
    dataDir,
    stop: () => {
      stopped ??= cleanup();
      return stopped;
    },
  };
}
