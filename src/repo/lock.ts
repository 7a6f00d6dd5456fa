// Repository locks: backups hold shared locks, prune holds an exclusive one. A lock is an object under locks/
// created with If-None-Match; after writing its own lock an operation lists the others and backs off when it
// finds a conflicting one, so two conflicting operations can both fail but never both proceed. Locks carry
// their holder and an expiry, are refreshed while held, and an operation that cannot refresh in time is aborted.
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { BackdrillError } from '../errors.ts';
import { isStorageError, listAll } from '../storage/backend.ts';
import { HEX64, LockRecord, layout } from './format.ts';
import { safeUsername } from './keys.ts';
import type { Repository } from './repository.ts';

export type LockKind = 'shared' | 'exclusive';

export interface LockOptions {
  operation: string;
  /** How long a lock stays valid without a refresh. */
  ttlMs?: number;
  /** How often the holder refreshes it. */
  refreshMs?: number;
  /** How long to keep retrying while another operation holds a conflicting lock (restic's --retry-lock). */
  waitMs?: number;
}

export const DEFAULT_LOCK_TTL_MS = 15 * 60_000;
export const DEFAULT_LOCK_REFRESH_MS = 3 * 60_000;

export interface LockInfo {
  id: string;
  key: string;
  record: LockRecord | undefined;
  /** Why the lock cannot be read, when it cannot. */
  problem: string | undefined;
  stale: boolean;
  staleReason: string | undefined;
}

export function describeLock(l: LockInfo): string {
  if (!l.record) return `lock ${l.id.slice(0, 8)} (${l.problem ?? 'unreadable'})`;
  const r = l.record;
  const run = r.github
    ? `, GitHub run ${r.github.runId}${r.github.repository ? ` of ${r.github.repository}` : ''}`
    : '';
  return (
    `${r.kind} lock ${l.id.slice(0, 8)} held by ${r.username}@${r.hostname} (pid ${r.pid}${run}) for ` +
    `${r.operation} since ${r.createdAt}, expires ${r.expiresAt}${l.stale ? ` [stale: ${l.staleReason}]` : ''}`
  );
}

export function githubRunFromEnv(env: NodeJS.ProcessEnv = process.env): LockRecord['github'] {
  if (!env.GITHUB_RUN_ID) return null;
  return {
    runId: env.GITHUB_RUN_ID,
    ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {}),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_WORKFLOW ? { workflow: env.GITHUB_WORKFLOW } : {}),
  };
}

/**
 * hostname + kernel boot id + PID namespace: two containers with one hostname on one kernel still differ, so a
 * lock's pid is only checked where that pid means the same process.
 */
export function hostIdentity(): string {
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  let pidns = '?';
  try {
    pidns = readlinkSync('/proc/self/ns/pid');
  } catch {
    // not Linux
  }
  return `${hostname()}/${read('/proc/sys/kernel/random/boot_id')}/${pidns}`;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function listLocks(repo: Repository, now = Date.now()): Promise<LockInfo[]> {
  const objects = (await listAll(repo.backend, layout.locksPrefix)).filter((o) =>
    HEX64.test(o.key.slice(layout.locksPrefix.length)),
  );
  const out: LockInfo[] = [];
  for (const o of objects) {
    const id = o.key.slice(layout.locksPrefix.length);
    try {
      const record = await repo.getJson('lock', id, o.key, LockRecord);
      const expired = Date.parse(record.expiresAt) < now;
      const sameHost = record.hostId === hostIdentity() && !record.hostId.includes('?');
      const dead = !expired && sameHost && record.pid !== process.pid && processGone(record.pid);
      out.push({
        id,
        key: o.key,
        record,
        problem: undefined,
        stale: expired || dead,
        staleReason: expired ? 'expired' : dead ? `process ${record.pid} no longer runs on this host` : undefined,
      });
    } catch (err) {
      if (isStorageError(err, 'not-found')) continue; // released while we listed
      if (!(err instanceof BackdrillError)) throw err;
      // An unreadable lock still blocks while it is young: it may be a live lock we cannot parse.
      const old = now - o.modified.getTime() > DEFAULT_LOCK_TTL_MS;
      out.push({
        id,
        key: o.key,
        record: undefined,
        problem: err.message,
        stale: old,
        staleReason: old ? 'unreadable and old' : undefined,
      });
    }
  }
  return out;
}

function conflicts(kind: LockKind, other: LockInfo): boolean {
  if (other.stale) return false;
  return kind === 'exclusive' || other.record?.kind !== 'shared';
}

/** Raised through the lock's AbortSignal when it could not be refreshed before it expired. */
export class LockLostError extends BackdrillError {
  constructor(message: string) {
    super('lock-held', message, { hint: 'the operation stopped instead of going on without its lock; run it again' });
    this.name = 'LockLostError';
  }
}

export class RepoLock {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private released = false;
  private expiresAt: number;

  private constructor(
    private readonly repo: Repository,
    readonly id: string,
    private readonly record: LockRecord,
    private readonly ttlMs: number,
    refreshMs: number,
  ) {
    this.expiresAt = Date.parse(record.expiresAt);
    this.timer = setInterval(() => void this.refresh(), refreshMs);
    this.timer.unref();
  }

  /** Aborted when the lock is lost; long operations pass it down and check it before committing. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Before a write that must happen under the lock (a manifest): checks the lock object is still there and
   * unexpired. Guards against `unlock --remove-all` and a refresh that could not reach the storage.
   */
  async verifyHeld(): Promise<void> {
    this.assertHeld();
    if (!(await this.repo.backend.stat(layout.lock(this.id)))) {
      this.lose(`lock ${this.id.slice(0, 8)} was removed by someone else (backdrill unlock --remove-all?)`);
      throw this.controller.signal.reason;
    }
    this.assertHeld();
  }

  /** Throws when the lock was lost, or is about to expire and cannot be trusted for a write. */
  assertHeld(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
    if (Date.now() >= this.expiresAt) {
      this.lose(`lock ${this.id.slice(0, 8)} expired before the operation finished`);
      throw this.controller.signal.reason;
    }
  }

  static async acquire(repo: Repository, kind: LockKind, options: LockOptions): Promise<RepoLock> {
    const ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    const refreshMs = options.refreshMs ?? Math.min(DEFAULT_LOCK_REFRESH_MS, Math.floor(ttlMs / 4));
    const deadline = Date.now() + (options.waitMs ?? 0);
    const id = randomBytes(32).toString('hex');
    for (let attempt = 0; ; attempt++) {
      const blocking = (await listLocks(repo)).filter((l) => l.id !== id && conflicts(kind, l));
      if (blocking.length === 0) {
        const now = new Date();
        const record: LockRecord = {
          version: 1,
          kind,
          operation: options.operation,
          hostname: hostname(),
          username: safeUsername(),
          pid: process.pid,
          hostId: hostIdentity(),
          github: githubRunFromEnv(),
          createdAt: now.toISOString(),
          refreshedAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
        };
        await repo.putJson('lock', id, layout.lock(id), record, true);
        // Someone may have written a conflicting lock between our listing and our write: look again.
        const after = (await listLocks(repo)).filter((l) => l.id !== id && conflicts(kind, l));
        if (after.length === 0) return new RepoLock(repo, id, record, ttlMs, refreshMs);
        await repo.backend.delete(layout.lock(id));
        blocking.push(...after);
      }
      if (Date.now() >= deadline) {
        throw new BackdrillError(
          'lock-held',
          `cannot take a${kind === 'exclusive' ? 'n exclusive' : ' shared'} lock on ${repo.location}: ` +
            blocking.map(describeLock).join('; '),
          {
            hint:
              'wait for that operation to finish (or pass --retry-lock DURATION); if it died, its lock expires by ' +
              'itself, or remove it with `backdrill unlock` once it is stale',
          },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** Math.min(attempt, 5))));
    }
  }

  private lose(message: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new LockLostError(message));
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    if (this.released || this.controller.signal.aborted) return;
    const key = layout.lock(this.id);
    try {
      if (!(await this.repo.backend.stat(key))) {
        this.lose(`lock ${this.id.slice(0, 8)} was removed by someone else (backdrill unlock --remove-all?)`);
        return;
      }
      const now = Date.now();
      const next: LockRecord = {
        ...this.record,
        refreshedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.ttlMs).toISOString(),
      };
      await this.repo.putJson('lock', this.id, key, next, false);
      this.expiresAt = now + this.ttlMs;
    } catch (err) {
      if (Date.now() >= this.expiresAt) {
        this.lose(`lock ${this.id.slice(0, 8)} could not be refreshed before it expired: ${(err as Error).message}`);
      }
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    await this.repo.backend.delete(layout.lock(this.id)).catch(() => {});
  }
}

/** Runs fn under a lock, always releasing it. */
export async function withLock<T>(
  repo: Repository,
  kind: LockKind,
  options: LockOptions,
  fn: (lock: RepoLock) => Promise<T>,
): Promise<T> {
  const lock = await RepoLock.acquire(repo, kind, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** Removes stale locks, or every lock when forced. Returns what was removed. */
export async function unlock(repo: Repository, removeAll: boolean): Promise<LockInfo[]> {
  const locks = await listLocks(repo);
  const removed = locks.filter((l) => removeAll || l.stale);
  for (const l of removed) await repo.backend.delete(l.key);
  return removed;
}
