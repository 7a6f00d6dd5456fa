// Physical mode: neo4j-admin database dump / load against the server's own files, streamed through standard
// output and input (no temporary archive on disk). neo4j-admin refuses a database the server has open: on Community
// that means the whole DBMS must be stopped around the dump and the load.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackdrillError } from '../../errors.ts';
import type { ArtifactSink } from '../types.ts';
import type { Neo4jDumpConfig } from './config.ts';

export function adminArgv(dump: Neo4jDumpConfig): string[] {
  return dump.adminCommand ?? [join(dump.home, 'bin', 'neo4j-admin')];
}

function adminEnv(dump: Neo4jDumpConfig): NodeJS.ProcessEnv {
  return { ...process.env, NEO4J_HOME: dump.home, NEO4J_CONF: dump.conf ?? join(dump.home, 'conf') };
}

function spawnAdmin(
  dump: Neo4jDumpConfig,
  args: string[],
  stdio: ['pipe' | 'ignore', 'pipe' | 'ignore', 'pipe'],
): ChildProcess {
  const [cmd, ...pre] = adminArgv(dump);
  return spawn(cmd!, [...pre, ...args], { cwd: dump.home, env: adminEnv(dump), stdio });
}

/** Waits for neo4j-admin; resolves with its stderr, rejects with a message that says what to do. */
function finished(proc: ChildProcess, what: string, store: string, database: string): Promise<string> {
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  return new Promise((resolve, reject) => {
    proc.once('error', (err) =>
      reject(
        new BackdrillError('usage', `store ${store}: cannot run neo4j-admin (${err.message})`, {
          hint: 'set dump.adminCommand (or dump.home, whose bin/neo4j-admin is used) in backdrill.yml; dump mode runs on the server machine',
          cause: err,
        }),
      ),
    );
    proc.once('close', (code, signal) => {
      if (code === 0) return resolve(stderr);
      const tail = stderr.trim().split('\n').slice(-6).join('\n');
      if (/database is in use|Stop database/i.test(stderr)) {
        return reject(
          new BackdrillError(
            'usage',
            `store ${store}: neo4j-admin cannot ${what} database ${database} while the server has it open`,
            {
              hint:
                'Community: stop the DBMS around the backup/restore (neo4j stop / neo4j start, e.g. as pre/post hooks) or use ' +
                'mode: logical for an online backup; Enterprise: STOP DATABASE first',
            },
          ),
        );
      }
      if (/already exists|overwrite-destination/i.test(stderr)) {
        return reject(
          new BackdrillError('usage', `store ${store}: database ${database} already exists in the target`, {
            hint: 'restore with --force to replace it',
          }),
        );
      }
      reject(
        new BackdrillError(
          'fatal',
          `store ${store}: neo4j-admin database ${what} ${database} failed (${signal ?? `exit ${code}`}): ${tail}`,
        ),
      );
    });
  });
}

/** The version neo4j-admin reports ("5.26.30"): dumps load into the same or a newer version. */
export async function adminVersion(dump: Neo4jDumpConfig, store: string): Promise<string> {
  const proc = spawnAdmin(dump, ['--version'], ['ignore', 'pipe', 'pipe']);
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await finished(proc, 'report the version of', store, '-');
  return out.trim().split('\n')[0]!.trim();
}

/** The data directory from neo4j.conf (server.directories.data), else <home>/data. */
export function dataDirectory(dump: Neo4jDumpConfig): string {
  const conf = join(dump.conf ?? join(dump.home, 'conf'), 'neo4j.conf');
  let dir = 'data';
  if (existsSync(conf)) {
    const m = /^\s*server\.directories\.data\s*=\s*(.+?)\s*$/m.exec(readFileSync(conf, 'utf8'));
    if (m) dir = m[1]!;
  }
  return isAbsolute(dir) ? dir : join(dump.home, dir);
}

/** Databases with store files in the home (what a dump can take), without the system database. */
export function databasesOnDisk(dump: Neo4jDumpConfig): string[] {
  const dir = join(dataDirectory(dump), 'databases');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'system')
    .map((e) => e.name)
    .sort();
}

export function databaseOnDisk(dump: Neo4jDumpConfig, database: string): boolean {
  const dir = join(dataDirectory(dump), 'databases', database);
  return existsSync(dir) && readdirSync(dir).length > 0;
}

/** Streams `neo4j-admin database dump --to-stdout` into one artifact. */
export async function dumpDatabase(
  dump: Neo4jDumpConfig,
  database: string,
  name: string,
  sink: ArtifactSink,
  store: string,
) {
  const proc = spawnAdmin(dump, ['database', 'dump', database, '--to-stdout'], ['ignore', 'pipe', 'pipe']);
  const exited = finished(proc, 'dump', store, database);
  exited.catch(() => {});
  try {
    await sink.add(name, proc.stdout!, { disposable: true });
  } catch (err) {
    proc.kill('SIGTERM');
    // The process's own reason (database in use, ...) explains an empty or broken stream better than the sink does.
    await exited;
    throw err;
  }
  await exited;
}

/** Streams an artifact into `neo4j-admin database load --from-stdin`. */
export async function loadDatabase(
  dump: Neo4jDumpConfig,
  database: string,
  bytes: AsyncIterable<Buffer>,
  store: string,
  overwrite: boolean,
): Promise<void> {
  const proc = spawnAdmin(
    dump,
    ['database', 'load', database, '--from-stdin', `--overwrite-destination=${overwrite}`],
    ['pipe', 'ignore', 'pipe'],
  );
  const exited = finished(proc, 'load', store, database);
  exited.catch(() => {});
  try {
    await pipeline(Readable.from(bytes), proc.stdin!);
  } catch (err) {
    proc.kill('SIGTERM');
    await exited;
    throw err;
  }
  await exited;
}
