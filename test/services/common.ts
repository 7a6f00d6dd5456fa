// Shared plumbing for the real test services (PostgreSQL, Neo4j, MinIO): where installs are cached,
// free loopback ports, readiness waits, process lifetimes and the error a user sees when one cannot start.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { logTail, type ManagedProcess } from '../../src/drill/process.ts';

export { freePort, logTail, ManagedProcess, run, tcpOpen } from '../../src/drill/process.ts';

/**
 * Installs (Maven jars, Go builds) are cached outside the clone so that a fresh clone on the same machine,
 * as CI makes, reuses them. Override with BACKDRILL_TEST_CACHE.
 */
export function cacheRoot(): string {
  const dir =
    process.env.BACKDRILL_TEST_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'backdrill-test');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A service could not be installed or started. The message names it, says how to fix it, and shows its log tail. */
export class ServiceStartError extends Error {
  constructor(
    readonly service: string,
    problem: string,
    fix: string,
    logFile?: string,
  ) {
    const tail = logFile ? logTail(logFile) : '';
    super(
      `test service ${service} could not start: ${problem}\n  how to fix: ${fix}` +
        (tail ? `\n  last lines of ${logFile}:\n${indent(tail)}` : ''),
    );
    this.name = 'ServiceStartError';
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    | ${l}`)
    .join('\n');
}

/**
 * Polls `ready` until it returns true, the process exits, or the deadline passes.
 * Throws ServiceStartError naming the service and showing its log tail.
 */
export async function waitReady(opts: {
  service: string;
  ready: () => Promise<boolean>;
  timeoutMs: number;
  proc?: ManagedProcess;
  logFile?: string;
  fix: string;
}): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (opts.proc?.exited) {
      throw new ServiceStartError(
        opts.service,
        `the process exited with code ${opts.proc.exitCode} before it was ready`,
        opts.fix,
        opts.logFile,
      );
    }
    try {
      if (await opts.ready()) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new ServiceStartError(
    opts.service,
    `not ready after ${Math.round(opts.timeoutMs / 1000)} s`,
    opts.fix,
    opts.logFile,
  );
}
