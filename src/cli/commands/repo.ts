// Repository commands: init, snapshots, verify, key, unlock, cat.
import { UsageError } from '../../errors.ts';
import { HEX64, LockRecord, layout, snapshotSize } from '../../repo/format.ts';
import { parseKeyFile, unwrapKeyFile } from '../../repo/keys.ts';
import { describeLock, listLocks, unlock } from '../../repo/lock.ts';
import { DEFAULT_COMPRESSION_LEVEL, Repository } from '../../repo/repository.ts';
import { parseSubset, verifyRepository } from '../../repo/verify.ts';
import { listAll } from '../../storage/backend.ts';
import { openBackend } from '../../storage/index.ts';
import type { CliIO, Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { formatBytes } from '../progress.ts';
import {
  initKdf,
  noLockOption,
  repoEnvHelp,
  repoLocation,
  repoOptions,
  resolvePassword,
  withReadLock,
  withRepository,
} from '../repo-options.ts';

function print(io: CliIO, text: string): void {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

function json(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export const initCommand: Command = {
  name: 'init',
  summary: 'create a new repository',
  usage: 'backdrill init [flags]',
  details: `Creates an encrypted repository (AES-256-GCM, keys wrapped with scrypt) at --repo. An unencrypted one
must be asked for with --encryption none. init checks that the storage honours conditional writes
(If-None-Match) and warns when it does not.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    encryption: { type: 'string', value: 'MODE', description: 'aes-256-gcm (default) or none' },
    'compression-level': {
      type: 'string',
      value: 'N',
      description: `zstd level 1-22 (default ${DEFAULT_COMPRESSION_LEVEL})`,
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  positionals: [],
  async run({ values }, io) {
    const location = repoLocation(values, io.env);
    const encryption = (values.encryption as string | undefined) ?? 'aes-256-gcm';
    if (encryption !== 'aes-256-gcm' && encryption !== 'none') {
      throw new UsageError(`--encryption ${encryption}: unknown mode`, 'use aes-256-gcm (the default) or none');
    }
    const levelText = values['compression-level'] as string | undefined;
    const level = levelText === undefined ? DEFAULT_COMPRESSION_LEVEL : Number(levelText);
    if (!Number.isInteger(level) || level < 1 || level > 22) {
      throw new UsageError(`--compression-level ${levelText}: expected a whole number from 1 to 22`);
    }
    const password = resolvePassword(values, io.env);
    if (encryption === 'none' && password !== undefined) {
      throw new UsageError(
        '--encryption none was asked for, but a password is configured',
        'unset the password, or drop --encryption none',
      );
    }
    const backend = openBackend(location);
    try {
      const { repo, warnings } = await Repository.init(backend, {
        ...(password === undefined ? {} : { password }),
        encryption,
        compressionLevel: level,
        kdf: initKdf(io.env),
      });
      for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
      if (io.env.BACKDRILL_INSECURE_TEST_KDF === '1') {
        io.stderr.write(
          'warning: BACKDRILL_INSECURE_TEST_KDF=1: the key file uses a cheap KDF meant for test suites\n',
        );
      }
      if (values.json)
        json(io, {
          id: repo.id,
          location: repo.location,
          encryption,
          conditional_writes: repo.config.conditionalWrites,
        });
      else
        print(
          io,
          `created ${encryption === 'none' ? 'UNENCRYPTED ' : ''}repository ${repo.id.slice(0, 10)} at ${repo.location}`,
        );
      return ExitCode.ok;
    } finally {
      await backend.close();
    }
  },
};

export const snapshotsCommand: Command = {
  name: 'snapshots',
  summary: 'list snapshots',
  usage: 'backdrill snapshots [flags]',
  details: repoEnvHelp,
  options: {
    ...repoOptions,
    store: { type: 'string', value: 'NAME', description: 'only snapshots of this store' },
    tag: { type: 'string', value: 'TAG', multiple: true, description: 'only snapshots with this tag' },
    json: { type: 'boolean', description: 'print a JSON array of {id, time, store, kind, tags, size, backup_set}' },
  },
  positionals: [],
  async run({ values }, io) {
    return withRepository(values, io, async (repo) => {
      const { snapshots, damaged } = await repo.listSnapshots();
      const tags = (values.tag as string[] | undefined) ?? [];
      const shown = snapshots.filter(
        (s) => (!values.store || s.store.name === values.store) && tags.every((t) => s.tags.includes(t)),
      );
      for (const d of damaged) io.stderr.write(`warning: cannot read ${d.key}: ${d.message}\n`);
      if (values.json) {
        json(
          io,
          shown.map((s) => ({
            id: s.id,
            time: s.time,
            store: s.store.name,
            kind: s.store.kind,
            tags: s.tags,
            size: snapshotSize(s),
            backup_set: s.backupSet,
          })),
        );
        return ExitCode.ok;
      }
      if (shown.length === 0) {
        print(io, 'no snapshots');
        return ExitCode.ok;
      }
      const rows = [['ID', 'Time', 'Store', 'Kind', 'Tags', 'Size', 'Set']];
      for (const s of shown) {
        rows.push([
          s.id.slice(0, 8),
          s.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
          s.store.name,
          s.store.kind,
          s.tags.join(','),
          formatBytes(snapshotSize(s)),
          s.backupSet?.slice(0, 8) ?? '',
        ]);
      }
      print(io, `${table(rows)}\n${shown.length} snapshot(s)`);
      return ExitCode.ok;
    });
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check that the repository is intact (structure, or all data with --read-data)',
  usage: 'backdrill verify [flags]',
  details: `Without flags: every snapshot manifest is read and authenticated and every chunk it references
must exist with the recorded size. --read-data also downloads, decrypts and re-hashes the chunks;
--read-data-subset n/t reads one slice of t (run 1/7 .. 7/7 on successive days to cover everything
in a week), N% a random sample. Exit 3 when anything is damaged, naming the affected snapshots.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    ...noLockOption,
    'read-data': { type: 'boolean', description: 'download and check every chunk' },
    'read-data-subset': { type: 'string', value: 'n/t|N%', description: 'download and check a subset of chunks' },
    json: { type: 'boolean', description: 'print {ok, errors: [{object, snapshots, message}], ...} as JSON' },
  },
  positionals: [],
  async run({ values }, io) {
    const subsetText = values['read-data-subset'] as string | undefined;
    const subset = subsetText === undefined ? undefined : parseSubset(subsetText);
    const readData = Boolean(values['read-data']) || subset !== undefined;
    return withRepository(
      values,
      io,
      async (repo) => {
        const result = await withReadLock(repo, values, 'verify', () =>
          verifyRepository(repo, {
            readData,
            ...(subset ? { subset } : {}),
            onProgress: (done, total) => {
              if (io.interactive) io.stderr.write(`\r\x1b[Kreading chunks ${done}/${total}`);
            },
          }),
        );
        if (io.interactive) io.stderr.write('\r\x1b[K');
        if (values.json) {
          json(io, {
            ok: result.ok,
            errors: result.errors,
            snapshots: result.snapshots,
            chunks: result.chunks,
            chunks_read: result.chunksRead,
            bytes_read: result.bytesRead,
            unreferenced_chunks: result.unreferenced,
          });
        } else {
          for (const e of result.errors) {
            io.stderr.write(
              `error: ${e.object}: ${e.message} (snapshots: ${e.snapshots.map((s) => s.slice(0, 8)).join(', ')})\n`,
            );
          }
          print(
            io,
            `${result.snapshots} snapshot(s), ${result.chunks} chunk(s) referenced` +
              (result.chunksRead ? `, ${result.chunksRead} read (${formatBytes(result.bytesRead)})` : '') +
              (result.unreferenced ? `, ${result.unreferenced} unreferenced (prune collects them)` : '') +
              (result.ok ? ': no errors' : `: ${result.errors.length} error(s)`),
          );
        }
        return result.ok ? ExitCode.ok : ExitCode.integrity;
      },
      { pipeline: readData },
    );
  },
};

export const keyCommand: Command = {
  name: 'key',
  summary: 'manage the key files (passwords) that open the repository: list, add, remove, passwd',
  usage: 'backdrill key list|add|remove ID|passwd [flags]',
  details: `add and passwd take the new password from --new-password-file or BACKDRILL_NEW_PASSWORD(_FILE|_COMMAND).
passwd adds a key file for the new password and removes the one the current password opened.
Data is never re-encrypted: every key file wraps the same master keys.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    'new-password-file': { type: 'string', value: 'FILE', description: 'file holding the new password' },
    'new-password-command': { type: 'string', value: 'CMD', description: 'command printing the new password' },
    json: { type: 'boolean', description: 'print as JSON (list)' },
  },
  positionals: ['ACTION', '[ID]'],
  async run({ values, positionals }, io) {
    const [action, id] = positionals;
    if (!['list', 'add', 'remove', 'passwd'].includes(action!)) {
      throw new UsageError(`key ${action}: unknown action`, 'use key list, key add, key remove ID or key passwd');
    }
    return withRepository(values, io, async (repo) => {
      const keys = await listAll(repo.backend, layout.keysPrefix);
      if (action === 'list') {
        const rows = [['ID', 'User', 'Host', 'Created']];
        const out = [];
        for (const k of keys) {
          const file = parseKeyFile(await repo.backend.get(k.key), k.key);
          const kid = k.key.slice(layout.keysPrefix.length);
          out.push({ id: kid, username: file.username, hostname: file.hostname, created: file.created });
          rows.push([kid.slice(0, 8), file.username, file.hostname, file.created]);
        }
        if (values.json) json(io, out);
        else print(io, table(rows));
        return ExitCode.ok;
      }
      if (action === 'remove') {
        if (!id) throw new UsageError('key remove: which key?', 'give its ID (see `backdrill key list`)');
        const matches = keys.filter((k) => k.key.slice(layout.keysPrefix.length).startsWith(id));
        if (matches.length !== 1) {
          throw new UsageError(`key remove ${id}: ${matches.length === 0 ? 'no such key' : 'ambiguous prefix'}`);
        }
        if (keys.length === 1) {
          throw new UsageError('refusing to remove the last key file: the repository could never be opened again');
        }
        await repo.backend.delete(matches[0]!.key);
        print(io, `removed key ${matches[0]!.key.slice(layout.keysPrefix.length, layout.keysPrefix.length + 8)}`);
        return ExitCode.ok;
      }
      const newPassword = resolvePassword(
        values,
        io.env,
        { file: 'new-password-file', command: 'new-password-command' },
        'BACKDRILL_NEW_PASSWORD',
      );
      if (!newPassword) {
        throw new UsageError('no new password given', 'pass --new-password-file FILE or set BACKDRILL_NEW_PASSWORD');
      }
      const newId = await repo.addKey(newPassword, initKdf(io.env));
      if (action === 'passwd') {
        // Remove the key file(s) the current password opens, keeping the new one.
        const current = resolvePassword(values, io.env)!;
        for (const k of keys) {
          const file = parseKeyFile(await repo.backend.get(k.key), k.key);
          if (await unwrapKeyFile(file, current)) await repo.backend.delete(k.key);
        }
        print(io, `password changed (new key ${newId.slice(0, 8)})`);
      } else {
        print(io, `added key ${newId.slice(0, 8)}`);
      }
      return ExitCode.ok;
    });
  },
};

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'remove stale locks (all locks with --remove-all)',
  usage: 'backdrill unlock [flags]',
  details: `A lock is stale when it expired (its holder stopped refreshing it) or its process is gone from this
host. Live locks are listed and left alone unless --remove-all is given: removing a live lock lets
prune delete chunks a running backup still needs.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    'remove-all': { type: 'boolean', description: 'remove every lock, live ones too (dangerous)' },
  },
  positionals: [],
  async run({ values }, io) {
    return withRepository(values, io, async (repo) => {
      const removed = await unlock(repo, Boolean(values['remove-all']));
      for (const l of removed) print(io, `removed ${describeLock(l)}`);
      const left = await listLocks(repo);
      for (const l of left) print(io, `kept ${describeLock(l)}`);
      if (removed.length === 0 && left.length === 0) print(io, 'no locks');
      return ExitCode.ok;
    });
  },
};

export const catCommand: Command = {
  name: 'cat',
  summary: 'print a decrypted repository object, for debugging: config, snapshot ID, key ID, lock ID, locks',
  usage: 'backdrill cat config|snapshot ID|key ID|lock ID|locks [flags]',
  details: repoEnvHelp,
  options: { ...repoOptions },
  positionals: ['WHAT', '[ID]'],
  async run({ values, positionals }, io) {
    const [what, id] = positionals;
    return withRepository(values, io, async (repo) => {
      switch (what) {
        case 'config': {
          const { chunkIdKey: _secret, ...shown } = repo.config;
          json(io, shown);
          return ExitCode.ok;
        }
        case 'snapshot': {
          const s = await repo.loadSnapshot(need(id, 'snapshot'));
          json(io, s);
          return ExitCode.ok;
        }
        case 'key': {
          const k = (await listAll(repo.backend, layout.keysPrefix)).filter((o) =>
            o.key.slice(layout.keysPrefix.length).startsWith(need(id, 'key')),
          );
          if (k.length !== 1) throw new UsageError(`key ${id}: ${k.length === 0 ? 'no such key' : 'ambiguous'}`);
          json(io, parseKeyFile(await repo.backend.get(k[0]!.key), k[0]!.key));
          return ExitCode.ok;
        }
        case 'lock': {
          const lid = need(id, 'lock');
          if (!HEX64.test(lid)) throw new UsageError('cat lock needs the full lock ID (see `backdrill cat locks`)');
          json(io, await repo.getJson('lock', lid, layout.lock(lid), LockRecord));
          return ExitCode.ok;
        }
        case 'locks': {
          const locks = await listLocks(repo);
          json(
            io,
            locks.map((l) => ({ id: l.id, stale: l.stale, description: describeLock(l), record: l.record ?? null })),
          );
          return ExitCode.ok;
        }
        default:
          throw new UsageError(`cat ${what}: unknown object type`, 'use config, snapshot ID, key ID, lock ID or locks');
      }
    });
  },
};

function need(id: string | undefined, what: string): string {
  if (!id) throw new UsageError(`cat ${what}: missing ID`);
  return id;
}
