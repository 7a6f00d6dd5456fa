// Finding pg_dump / pg_restore / pg_dumpall / psql that can handle the server: the same major version or newer
// (pg_dump refuses older servers than itself only rarely, but always refuses newer ones).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { BackdrillError } from '../../errors.ts';

export interface PgBinaries {
  dir: string;
  major: number;
  pgDump: string;
  pgDumpAll: string;
  pgRestore: string;
  psql: string;
}

function majorOf(binary: string): number | undefined {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const m = /\(PostgreSQL\) (\d+)/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

function inDir(dir: string): PgBinaries | undefined {
  const pgDump = join(dir, 'pg_dump');
  if (!existsSync(pgDump)) return undefined;
  const major = majorOf(pgDump);
  if (major === undefined) return undefined;
  return {
    dir,
    major,
    pgDump,
    pgDumpAll: join(dir, 'pg_dumpall'),
    pgRestore: join(dir, 'pg_restore'),
    psql: join(dir, 'psql'),
  };
}

/** Directories that may hold pg_dump, in order of preference, each pg_dump once (/bin and /usr/bin are often one). */
function* candidates(): Generator<string> {
  const dirs: string[] = [];
  for (const base of ['/usr/lib/postgresql', '/usr/pgsql']) {
    if (!existsSync(base)) continue;
    for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) dirs.push(join(base, v, 'bin'));
  }
  for (const p of (process.env.PATH ?? '').split(':')) if (p) dirs.push(p);
  const seen = new Set<string>();
  for (const dir of dirs) {
    let real: string;
    try {
      real = realpathSync(join(dir, 'pg_dump'));
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    yield dir;
  }
}

/**
 * The client binaries for a server of `serverMajor`: the configured dir, else the installed version matching
 * the server, else the newest one not older than the server.
 */
export function findBinaries(serverMajor: number, store: string, binDir?: string): PgBinaries {
  if (binDir) {
    const b = inDir(binDir);
    if (!b) {
      throw new BackdrillError('usage', `store ${store}: no working pg_dump in binDir ${binDir}`, {
        hint: 'point binDir at the bin directory of a PostgreSQL client installation',
      });
    }
    if (b.major < serverMajor) throw tooOld(store, b, serverMajor);
    return b;
  }
  // Each candidate runs `pg_dump --version` (Debian's pg_wrapper is a Perl script: 0.1 s a run), so the search
  // stops at the first exact match.
  const found: PgBinaries[] = [];
  for (const dir of candidates()) {
    const b = inDir(dir);
    if (b?.major === serverMajor) return b;
    if (b) found.push(b);
  }
  const newer = found.filter((b) => b.major > serverMajor).sort((a, b) => a.major - b.major)[0];
  if (newer) return newer;
  const older = found.sort((a, b) => b.major - a.major)[0];
  if (older) throw tooOld(store, older, serverMajor);
  throw new BackdrillError('usage', `store ${store}: pg_dump is not installed`, {
    hint: `install the PostgreSQL ${serverMajor} client (e.g. apt-get install postgresql-client-${serverMajor}) or set binDir`,
  });
}

function tooOld(store: string, b: PgBinaries, serverMajor: number): BackdrillError {
  return new BackdrillError(
    'usage',
    `store ${store}: ${b.pgDump} is PostgreSQL ${b.major}, older than the server (${serverMajor}); it cannot dump it`,
    { hint: `install the PostgreSQL ${serverMajor} client tools and set binDir to their bin directory` },
  );
}
