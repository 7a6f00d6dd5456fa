// The local folder backend: one file per object under a root directory, written to a temp file, fsync'd and
// then renamed (or hard-linked, for create-only writes) into place so readers never see partial objects.
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { type Backend, type BlobInfo, checkKey, type PutOptions, StorageError } from './backend.ts';

const TMP_DIR = 'tmp';

export class FsBackend implements Backend {
  readonly location: string;
  readonly capabilities = { maxConnections: 8 };

  constructor(readonly root: string) {
    this.location = root;
  }

  private path(key: string): string {
    checkKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<void> {
    const target = this.path(key);
    const tmpDir = join(this.root, TMP_DIR);
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
    try {
      await mkdir(tmpDir, { recursive: true });
      await mkdirDurable(dirname(target));
      const fh = await open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, 0o600);
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (options.ifNoneMatch) {
        // link() fails with EEXIST when the target exists: an atomic create-only on POSIX filesystems.
        await link(tmp, target);
        await unlink(tmp);
      } else {
        await rename(tmp, target);
      }
      await syncDir(dirname(target));
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw fsError(err, key, 'write');
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      throw fsError(err, key, 'read');
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.path(key));
      return { key, size: s.size, modified: s.mtime };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fsError(err, key, 'stat');
    }
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const base = prefix.replace(/\/+$/, '');
    if (base !== '') checkKey(base);
    const start = base === '' ? this.root : join(this.root, ...base.split('/'));
    yield* this.walk(start, prefix);
  }

  private async *walk(dir: string, prefix: string): AsyncIterable<BlobInfo> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw fsError(err, relative(this.root, dir), 'list');
    }
    for (const e of entries) {
      const full = join(dir, e.name);
      const key = relative(this.root, full).split(sep).join('/');
      if (key === TMP_DIR) continue;
      if (e.isDirectory()) {
        yield* this.walk(full, prefix);
      } else if (e.isFile() && key.startsWith(prefix)) {
        const s = await stat(full).catch(() => undefined);
        if (s) yield { key, size: s.size, modified: s.mtime };
      }
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw fsError(err, key, 'delete');
    }
  }

  async close(): Promise<void> {}
}

/** Creates a directory chain and fsyncs the parent of each new directory, so the new entries survive a crash. */
async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  let d = dir;
  const created: string[] = [];
  while (d.length >= first.length) {
    created.push(d);
    d = dirname(d);
  }
  for (const c of created.reverse()) await syncDir(dirname(c));
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, fsConstants.O_RDONLY).catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // some filesystems do not support fsync on directories
  } finally {
    await fh.close();
  }
}

function fsError(err: unknown, key: string, op: string): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as NodeJS.ErrnoException;
  const code =
    e.code === 'ENOENT'
      ? 'not-found'
      : e.code === 'EEXIST'
        ? 'already-exists'
        : e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS'
          ? 'permission'
          : e.code === 'EMFILE' || e.code === 'ENFILE' || e.code === 'EAGAIN' || e.code === 'EBUSY'
            ? 'transient'
            : 'failed';
  return new StorageError(code, `${op} ${key}: ${e.message}`, { key, cause: err });
}
