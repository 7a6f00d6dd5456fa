// The Qdrant REST double: an HTTP(S) server implementing exactly the endpoints backdrill uses, with Qdrant's
// request/response shapes (typed after @qdrant/js-client-rest), status codes, error bodies, `wait` semantics,
// API-key checks (GET / and the health endpoints are open, as in Qdrant), snapshot files as tar archives,
// recovery priorities, and a simulated cluster (several nodes over one shared state, shards placed on peers).
// It is a double, not Qdrant: it says so in GET / (commit), in its snapshot files and in its log lines.
// Fault knobs: cut snapshot downloads after N bytes, ignore Range requests, report any version, require a key.
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QDRANT_VERSION } from '../../../src/stores/qdrant/image.ts';
import {
  badRequest,
  Collection,
  collectionMissing,
  compareIds,
  DoubleError,
  formatError,
  idKey,
  notFound,
  pointId,
  wrongInput,
} from './engine.ts';
import { type DJson, dparse, dstringify, num } from './json.ts';
import { readTar, type TarEntry, writeTar } from './tar.ts';

type Obj = Record<string, DJson>;
export type RecoveryPriority = 'snapshot' | 'replica' | 'no_sync';

export interface DoubleFaults {
  /** Cut snapshot downloads (destroy the connection) after this many bytes of a response... */
  cutDownloadAfterBytes: number | null;
  /** ...for this many responses; later downloads complete. */
  cutDownloads: number;
  /** Answer Range requests with the whole file (200), like a server or proxy without range support. */
  ignoreRange: boolean;
  /** Flip one byte in the middle of this many snapshot downloads (damage in transit). */
  corruptDownloads: number;
}

export interface QdrantDoubleOptions {
  /** Version reported at GET / and written into snapshots; default: the pinned QDRANT_VERSION. */
  version?: string;
  /** Require this API key (api-key header or Authorization: Bearer). */
  apiKey?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** How long a wait=false operation takes to become visible. */
  asyncDelayMs?: number;
  /** Loopback port of the (first) node; default: a free one. */
  port?: number;
  /** Where snapshot files are kept; default: a new temp folder, removed on stop. */
  dataDir?: string;
  /** true: log requests to the console, prefixed "[qdrant double :port]"; or a function receiving the lines. */
  log?: boolean | ((line: string) => void);
  faults?: Partial<DoubleFaults>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Range header, when the request had one. */
  range?: string;
}

export const DOUBLE_COMMIT = 'backdrill-qdrant-double';
const MAX_JSON_BODY = 32 * 1024 * 1024;
const OPEN_PATHS = new Set(['/', '/healthz', '/livez', '/readyz']);
const NAME_FORBIDDEN = /[<>:"/\\|?*\0]/;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseVersion(v: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** State shared by the nodes of one simulated deployment (one node: standalone). */
class DeploymentState {
  readonly collections = new Map<string, Collection>();
  readonly aliases = new Map<string, string>();
  readonly nodes: QdrantDoubleNode[] = [];
  constructor(
    readonly version: string,
    readonly distributed: boolean,
  ) {}

  collection(name: string): Collection {
    const real = this.collections.get(name) ?? this.collections.get(this.aliases.get(name) ?? '');
    if (!real) throw collectionMissing(name);
    return real;
  }

  /** Peers (node indexes) holding a replica of a shard: the shard's home node and the next ones. */
  replicas(c: Collection, shard: number): number[] {
    const n = this.nodes.length;
    const copies = Math.min(c.replicationFactor, n);
    return Array.from({ length: copies }, (_, k) => (shard + k) % n);
  }

  /**
   * The recovery priority when none is given. Qdrant's docs long named `replica` the default, which recovers a
   * new collection empty on a cluster; the server switched the default to `snapshot` (qdrant/qdrant#4265,
   * May 2024). The double models the switch at 1.10.
   */
  defaultPriority(): RecoveryPriority {
    const [major, minor] = parseVersion(this.version);
    return major === 1 && minor < 10 ? 'replica' : 'snapshot';
  }

  /** Qdrant restores a snapshot into the same minor version, or (newer servers) the next one. */
  versionAccepts(snapshotVersion: string): boolean {
    const [sm, sn] = parseVersion(snapshotVersion);
    const [m, n] = parseVersion(this.version);
    return sm === m && (n === sn || n === sn + 1);
  }
}

export class QdrantDoubleNode {
  readonly requests: RecordedRequest[] = [];
  readonly faults: DoubleFaults;
  url = '';
  private server!: Server;
  private readonly snapshotsDir: string;
  private lastStamp = 0;

  constructor(
    private readonly state: DeploymentState,
    readonly index: number,
    private readonly options: QdrantDoubleOptions,
    dataDir: string,
  ) {
    this.faults = {
      cutDownloadAfterBytes: null,
      cutDownloads: 0,
      ignoreRange: false,
      corruptDownloads: 0,
      ...options.faults,
    };
    this.snapshotsDir = join(dataDir, `node-${index}`);
    mkdirSync(this.snapshotsDir, { recursive: true });
  }

  get peerId(): number {
    return 1000 + this.index;
  }

  get apiKey(): string | undefined {
    return this.options.apiKey;
  }

  log(line: string): void {
    const l = this.options.log;
    if (!l) return;
    const text = `[qdrant double :${new URL(this.url || 'http://x:0').port}] ${line}`;
    if (typeof l === 'function') l(text);
    else console.log(text);
  }

  async listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls
      ? createHttpsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : createHttpServer(handler);
    const port = this.index === 0 ? (this.options.port ?? 0) : 0;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', resolve);
    });
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Snapshot files currently on this node (collection, shard and full-storage), as paths below its folder. */
  snapshotFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
        else if (e.name.endsWith('.snapshot')) out.push(`${rel}${e.name}`);
      }
    };
    walk(this.snapshotsDir, '');
    return out.sort();
  }

  private isLocal(c: Collection, shard: number): boolean {
    return this.state.replicas(c, shard).includes(this.index);
  }

  private localShards(c: Collection): number[] {
    return [...c.shards.keys()].filter((s) => this.isLocal(c, s));
  }

  // ---- HTTP plumbing ----------------------------------------------------------------------------------------

  private send(res: ServerResponse, status: number, body: Obj, started: number): void {
    const text = dstringify({ ...body, time: (performance.now() - started) / 1000 });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const p of req) {
      n += (p as Buffer).length;
      if (n > limit) throw new DoubleError(413, `Payload too large: the request body exceeds ${limit} bytes`);
      parts.push(p as Buffer);
    }
    return Buffer.concat(parts);
  }

  private async jsonBody(req: IncomingMessage): Promise<DJson> {
    const raw = await this.readBody(req, MAX_JSON_BODY);
    if (raw.length === 0) return {};
    try {
      return dparse(raw.toString('utf8'));
    } catch (err) {
      throw formatError((err as Error).message);
    }
  }

  private authorised(req: IncomingMessage, path: string): DoubleError | undefined {
    const key = this.options.apiKey;
    if (!key || OPEN_PATHS.has(path)) return undefined;
    const given = req.headers['api-key'] ?? /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (given === undefined) return new DoubleError(401, 'Must provide an API key or an Authorization bearer token');
    if (given !== key) return new DoubleError(401, 'Invalid API key or JWT');
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://double');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, query, ...(req.headers.range ? { range: req.headers.range } : {}) });
    this.log(`${method} ${path}${url.search}`);
    try {
      const denied = this.authorised(req, path);
      if (denied) {
        // Qdrant answers auth failures with a plain-text body, not the JSON envelope.
        req.resume();
        res.writeHead(denied.status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(denied.message);
        return;
      }
      const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
      const handled = await this.route(method, segments, query, req, res, started);
      if (!handled) {
        req.resume();
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`the Qdrant double does not implement ${method} ${path}`);
      }
    } catch (err) {
      const e =
        err instanceof DoubleError ? err : new DoubleError(500, `Service internal error: ${(err as Error).message}`);
      if (!(err instanceof DoubleError)) this.log(`internal error: ${(err as Error).stack}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      req.resume();
      this.send(res, e.status, { status: { error: e.message }, result: null }, started);
    }
  }

  private ok(res: ServerResponse, result: DJson, started: number): true {
    this.send(res, 200, { result, status: 'ok' }, started);
    return true;
  }

  private accepted(res: ServerResponse, started: number): true {
    this.send(res, 202, { status: 'accepted' }, started);
    return true;
  }

  /** Runs an operation now (wait=true) or after asyncDelayMs (wait=false), as Qdrant's `wait` does. */
  private later(wait: boolean, op: () => void): void {
    if (wait) {
      op();
      return;
    }
    setTimeout(() => {
      try {
        op();
      } catch (err) {
        this.log(`background operation failed: ${(err as Error).message}`);
      }
    }, this.options.asyncDelayMs ?? 50);
  }

  // ---- routes -------------------------------------------------------------------------------------------------

  private async route(
    method: string,
    s: string[],
    q: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
    t: number,
  ): Promise<boolean> {
    const wait = q.wait !== 'false';
    const st = this.state;
    const [a, b, c, d, e, f] = s;
    if (s.length === 0 && method === 'GET') {
      this.send(res, 200, { title: 'qdrant - vector search engine', version: st.version, commit: DOUBLE_COMMIT }, t);
      return true;
    }
    if (['healthz', 'livez', 'readyz'].includes(a!) && s.length === 1 && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('healthz check passed');
      return true;
    }
    if (a === 'cluster' && s.length === 1 && method === 'GET') return this.ok(res, this.clusterStatus(), t);
    if (a === 'aliases' && s.length === 1 && method === 'GET') return this.ok(res, { aliases: this.aliasList() }, t);
    if (a === 'snapshots') {
      if (s.length === 1 && method === 'POST') return this.createSnapshot(res, t, wait, 'full');
      if (s.length === 1 && method === 'GET') return this.ok(res, this.listSnapshots(['full']), t);
      if (s.length === 2 && method === 'GET') return this.download(req, res, ['full'], b!);
      if (s.length === 2 && method === 'DELETE') return this.deleteSnapshot(res, t, ['full'], b!);
    }
    if (a !== 'collections') return false;
    if (s.length === 1 && method === 'GET') {
      return this.ok(res, { collections: [...st.collections.keys()].sort().map((name) => ({ name })) }, t);
    }
    if (b === 'aliases' && s.length === 2 && method === 'POST')
      return this.updateAliases(res, t, await this.jsonBody(req));
    const name = b!;
    if (s.length === 2) {
      if (method === 'GET') return this.ok(res, st.collection(name).info(), t);
      if (method === 'PUT') return this.createCollection(res, t, name, await this.jsonBody(req));
      if (method === 'PATCH') {
        st.collection(name).updateParams(await this.jsonBody(req));
        return this.ok(res, true, t);
      }
      if (method === 'DELETE') return this.ok(res, this.deleteCollection(name), t);
    }
    if (c === 'exists' && s.length === 3 && method === 'GET')
      return this.ok(res, { exists: st.collections.has(name) }, t);
    if (c === 'aliases' && s.length === 3 && method === 'GET') {
      return this.ok(res, { aliases: this.aliasList().filter((x) => x.collection_name === name) }, t);
    }
    if (c === 'cluster' && s.length === 3 && method === 'GET')
      return this.ok(res, this.collectionCluster(st.collection(name)), t);
    if (c === 'index') {
      if (s.length === 3 && method === 'PUT') {
        const body = await this.jsonBody(req);
        const coll = st.collection(name);
        if (!isObj(body) || typeof body.field_name !== 'string') throw formatError('missing field `field_name`');
        const op = coll.nextOperation();
        this.later(wait, () => coll.createIndex(body.field_name as string, body.field_schema ?? null));
        return this.ok(res, { operation_id: op, status: wait ? 'completed' : 'acknowledged' }, t);
      }
      if (s.length === 4 && method === 'DELETE') {
        const coll = st.collection(name);
        coll.payloadSchema.delete(d!);
        return this.ok(res, { operation_id: coll.nextOperation(), status: 'completed' }, t);
      }
    }
    if (c === 'points') {
      const coll = st.collection(name);
      if (s.length === 3 && method === 'PUT') return this.upsert(res, t, coll, await this.jsonBody(req), wait);
      if (d === 'scroll' && s.length === 4 && method === 'POST')
        return this.ok(res, this.scroll(coll, await this.jsonBody(req)), t);
      if (d === 'count' && s.length === 4 && method === 'POST') {
        const body = await this.jsonBody(req);
        if (isObj(body) && body.filter != null) throw badRequest('the Qdrant double does not implement filters');
        return this.ok(res, { count: coll.pointsCount }, t);
      }
      if (d === 'delete' && s.length === 4 && method === 'POST')
        return this.deletePoints(res, t, coll, await this.jsonBody(req), wait);
    }
    if (c === 'snapshots') {
      if (s.length === 3 && method === 'POST') {
        st.collection(name);
        return this.createSnapshot(res, t, wait, 'collection', name);
      }
      if (s.length === 3 && method === 'GET') {
        st.collection(name);
        return this.ok(res, this.listSnapshots(['collections', name]), t);
      }
      if (d === 'upload' && s.length === 4 && method === 'POST') return this.upload(req, res, t, q, wait, name);
      if (s.length === 4 && method === 'GET') return this.download(req, res, ['collections', name], d!);
      if (s.length === 4 && method === 'DELETE') return this.deleteSnapshot(res, t, ['collections', name], d!);
    }
    if (c === 'shards' && d !== undefined && e === 'snapshots') {
      const shard = Number(d);
      if (!Number.isInteger(shard)) return false;
      const dir = ['collections', name, 'shards', String(shard)];
      if (s.length === 5 && method === 'POST') return this.createSnapshot(res, t, wait, 'shard', name, shard);
      if (s.length === 5 && method === 'GET') return this.ok(res, this.listSnapshots(dir), t);
      if (f === 'upload' && s.length === 6 && method === 'POST') return this.upload(req, res, t, q, wait, name, shard);
      if (s.length === 6 && method === 'GET') return this.download(req, res, dir, f!);
      if (s.length === 6 && method === 'DELETE') return this.deleteSnapshot(res, t, dir, f!);
    }
    return false;
  }

  private clusterStatus(): Obj {
    const st = this.state;
    if (!st.distributed) return { status: 'disabled' };
    const peers: Obj = {};
    for (const n of st.nodes) peers[String(n.peerId)] = { uri: `http://127.0.0.1:${6335 + n.index}/` };
    return {
      status: 'enabled',
      peer_id: this.peerId,
      peers,
      raft_info: {
        term: 1,
        commit: 1,
        pending_operations: 0,
        leader: st.nodes[0]!.peerId,
        role: this.index === 0 ? 'Leader' : 'Follower',
        is_voter: true,
      },
      consensus_thread_status: { consensus_thread_status: 'working', last_update: new Date().toISOString() },
      message_send_failures: {},
    };
  }

  private collectionCluster(c: Collection): Obj {
    const local: DJson[] = [];
    const remote: DJson[] = [];
    for (const shard of c.shards.keys()) {
      for (const peer of this.state.replicas(c, shard)) {
        const node = this.state.nodes[peer]!;
        if (peer === this.index)
          local.push({ shard_id: shard, points_count: c.shards.get(shard)!.size, state: 'Active' });
        else remote.push({ shard_id: shard, peer_id: node.peerId, state: 'Active' });
      }
    }
    return {
      peer_id: this.peerId,
      shard_count: c.shardNumber,
      local_shards: local,
      remote_shards: remote,
      shard_transfers: [],
    };
  }

  private aliasList(): Array<{ alias_name: string; collection_name: string }> {
    return [...this.state.aliases]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([alias_name, collection_name]) => ({ alias_name, collection_name }));
  }

  private updateAliases(res: ServerResponse, t: number, body: DJson): true {
    if (!isObj(body) || !Array.isArray(body.actions)) throw formatError('missing field `actions`');
    const aliases = new Map(this.state.aliases);
    for (const action of body.actions) {
      if (!isObj(action)) throw formatError('expected an alias operation');
      if (isObj(action.create_alias)) {
        const { alias_name, collection_name } = action.create_alias as { alias_name: string; collection_name: string };
        if (!this.state.collections.has(collection_name)) throw collectionMissing(collection_name);
        if (aliases.has(alias_name)) throw new DoubleError(409, `Wrong input: Alias \`${alias_name}\` already exists!`);
        aliases.set(alias_name, collection_name);
      } else if (isObj(action.delete_alias)) {
        const alias = String(action.delete_alias.alias_name);
        if (!aliases.delete(alias)) throw notFound(`Alias \`${alias}\` doesn't exist!`);
      } else if (isObj(action.rename_alias)) {
        const { old_alias_name, new_alias_name } = action.rename_alias as {
          old_alias_name: string;
          new_alias_name: string;
        };
        const target = aliases.get(old_alias_name);
        if (target === undefined) throw notFound(`Alias \`${old_alias_name}\` doesn't exist!`);
        aliases.delete(old_alias_name);
        aliases.set(new_alias_name, target);
      } else {
        throw formatError('unknown alias operation');
      }
    }
    this.state.aliases.clear();
    for (const [k, v] of aliases) this.state.aliases.set(k, v);
    return this.ok(res, true, t);
  }

  private createCollection(res: ServerResponse, t: number, name: string, body: DJson): true {
    if (NAME_FORBIDDEN.test(name) || name.length > 255) {
      throw new DoubleError(
        422,
        'Validation error in path parameters: [name: collection name cannot contain any of <>:"/\\|?*\\0 and must be at most 255 characters]',
      );
    }
    if (this.state.collections.has(name))
      throw new DoubleError(409, `Wrong input: Collection \`${name}\` already exists!`);
    const shards = this.state.distributed ? this.state.nodes.length : 1;
    const [major, minor] = parseVersion(this.state.version);
    this.state.collections.set(name, new Collection(name, body, shards, [major, minor]));
    return this.ok(res, true, t);
  }

  private deleteCollection(name: string): boolean {
    if (!this.state.collections.delete(name)) return false;
    for (const [alias, target] of this.state.aliases) if (target === name) this.state.aliases.delete(alias);
    return true;
  }

  private upsert(res: ServerResponse, t: number, coll: Collection, body: DJson, wait: boolean): true {
    if (!isObj(body)) throw formatError('expected an object');
    let points: DJson[];
    if (Array.isArray(body.points)) {
      points = body.points;
    } else if (isObj(body.batch)) {
      const { ids, vectors, payloads } = body.batch as { ids: DJson[]; vectors: DJson; payloads?: DJson[] };
      points = ids.map((id, i) => ({
        id,
        vector: Array.isArray(vectors)
          ? vectors[i]!
          : Object.fromEntries(Object.entries(vectors as Obj).map(([n, v]) => [n, (v as DJson[])[i]!])),
        payload: payloads?.[i] ?? {},
      }));
    } else {
      throw formatError('data did not match any variant of untagged enum PointInsertOperations');
    }
    const prepared = coll.preparePoints(points);
    const op = coll.nextOperation();
    this.later(wait, () => coll.upsert(prepared));
    return this.ok(res, { operation_id: op, status: wait ? 'completed' : 'acknowledged' }, t);
  }

  private deletePoints(res: ServerResponse, t: number, coll: Collection, body: DJson, wait: boolean): true {
    if (!isObj(body) || !Array.isArray(body.points)) throw badRequest('the Qdrant double deletes points by id only');
    const keys = body.points.map((id) => idKey(pointId(id)));
    const op = coll.nextOperation();
    this.later(wait, () => {
      for (const k of keys) coll.shards.get(coll.shardOf(k))!.delete(k);
      coll.changed();
    });
    return this.ok(res, { operation_id: op, status: wait ? 'completed' : 'acknowledged' }, t);
  }

  private scroll(coll: Collection, body: DJson): Obj {
    const b = isObj(body) ? body : {};
    if (b.filter != null || b.order_by != null)
      throw badRequest('the Qdrant double does not implement filter or order_by in scroll');
    const limit = b.limit == null ? 10 : num(b.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new DoubleError(422, 'Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]');
    const all = coll.sortedPoints();
    let start = 0;
    if (b.offset != null) {
      // First point at or after the offset (binary search: pages are requested one after another).
      const offset = pointId(b.offset);
      let hi = all.length;
      while (start < hi) {
        const mid = (start + hi) >> 1;
        if (compareIds(all[mid]!.id, offset) < 0) start = mid + 1;
        else hi = mid;
      }
    }
    const page = all.slice(start, start + limit);
    const next = all[start + limit];
    return {
      points: page.map((p) => Collection.pointOut(p, b.with_payload ?? true, b.with_vector ?? false)),
      next_page_offset: next ? next.id : null,
    };
  }

  // ---- snapshots ----------------------------------------------------------------------------------------------

  private dir(parts: string[]): string {
    return join(this.snapshotsDir, ...parts.map((p) => encodeURIComponent(p)));
  }

  private snapshotName(prefix: string): string {
    let stamp = Math.floor(Date.now() / 1000);
    if (stamp <= this.lastStamp) stamp = this.lastStamp + 1;
    this.lastStamp = stamp;
    const ts = new Date(stamp * 1000).toISOString().slice(0, 19).replace(/[T:]/g, '-');
    return `${prefix}-${this.peerId}-${ts}.snapshot`;
  }

  private collectionTar(coll: Collection, shards: number[], kind: 'collection' | 'shard'): Buffer {
    const entries: TarEntry[] = [
      {
        name: 'qdrant-double.json',
        data: Buffer.from(
          dstringify({
            double: 'backdrill Qdrant REST double (test/doubles/qdrant): not a real Qdrant snapshot',
            kind,
            version: this.state.version,
            collection: coll.name,
            shards,
          }),
        ),
      },
      { name: 'config.json', data: Buffer.from(dstringify(coll.config)) },
      {
        name: 'payload_index.json',
        data: Buffer.from(
          dstringify(Object.fromEntries([...coll.payloadSchema].map(([k, v]) => [k, v as unknown as DJson]))),
        ),
      },
    ];
    for (const s of shards) entries.push({ name: `${s}/points.jsonl`, data: Buffer.from(coll.shardLines(s)) });
    return writeTar(entries);
  }

  private writeSnapshot(parts: string[], name: string, data: Buffer): Obj {
    const dir = this.dir(parts);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(`${file}.tmp`, data);
    renameSync(`${file}.tmp`, file);
    const checksum = createHash('sha256').update(data).digest('hex');
    writeFileSync(`${file}.checksum`, checksum);
    this.log(`snapshot written: ${parts.join('/')}/${name} (${data.length} bytes)`);
    return this.describe(dir, name);
  }

  private describe(dir: string, name: string): Obj {
    const file = join(dir, name);
    const st = statSync(file);
    const checksumFile = `${file}.checksum`;
    return {
      name,
      creation_time: st.mtime.toISOString().slice(0, 19),
      size: st.size,
      ...(existsSync(checksumFile) ? { checksum: readFileSync(checksumFile, 'utf8') } : {}),
    };
  }

  private createSnapshot(
    res: ServerResponse,
    t: number,
    wait: boolean,
    kind: 'full' | 'collection' | 'shard',
    name?: string,
    shard?: number,
  ): true {
    const st = this.state;
    let make: () => Obj;
    if (kind === 'full') {
      if (st.distributed) throw badRequest('full storage snapshots are not supported in distributed mode');
      make = () => {
        const entries: TarEntry[] = [
          {
            name: 'qdrant-double.json',
            data: Buffer.from(
              dstringify({
                double: 'backdrill Qdrant REST double: not a real Qdrant snapshot',
                kind: 'full',
                version: st.version,
              }),
            ),
          },
          { name: 'aliases.json', data: Buffer.from(dstringify(this.aliasList() as unknown as DJson)) },
        ];
        for (const coll of st.collections.values()) {
          entries.push({
            name: `collections/${encodeURIComponent(coll.name)}.snapshot`,
            data: this.collectionTar(coll, this.localShards(coll), 'collection'),
          });
        }
        return this.writeSnapshot(['full'], this.snapshotName('full-snapshot'), writeTar(entries));
      };
    } else {
      const coll = st.collection(name!);
      if (kind === 'shard') {
        if (!coll.shards.has(shard!)) throw notFound(`Shard ${shard} does not exist in collection \`${coll.name}\``);
        if (!this.isLocal(coll, shard!))
          throw badRequest(`Shard ${shard} of collection \`${coll.name}\` is not local on peer ${this.peerId}`);
      }
      make = () =>
        kind === 'collection'
          ? this.writeSnapshot(
              ['collections', coll.name],
              this.snapshotName(coll.name),
              this.collectionTar(coll, this.localShards(coll), 'collection'),
            )
          : this.writeSnapshot(
              ['collections', coll.name, 'shards', String(shard)],
              this.snapshotName(`${coll.name}-shard-${shard}`),
              this.collectionTar(coll, [shard!], 'shard'),
            );
    }
    if (!wait) {
      this.later(false, () => void make());
      return this.accepted(res, t);
    }
    return this.ok(res, make(), t);
  }

  private listSnapshots(parts: string[]): DJson {
    const dir = this.dir(parts);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((n) => n.endsWith('.snapshot'))
      .sort()
      .map((n) => this.describe(dir, n));
  }

  private deleteSnapshot(res: ServerResponse, t: number, parts: string[], name: string): true {
    const file = join(this.dir(parts), name);
    if (!existsSync(file)) throw notFound(`Snapshot ${name} not found`);
    rmSync(file);
    rmSync(`${file}.checksum`, { force: true });
    this.log(`snapshot deleted: ${parts.join('/')}/${name}`);
    return this.ok(res, true, t);
  }

  private download(req: IncomingMessage, res: ServerResponse, parts: string[], name: string): true {
    if (parts[0] === 'collections') this.state.collection(parts[1]!);
    const file = join(this.dir(parts), name);
    if (!existsSync(file) || name.includes('/')) throw notFound(`Snapshot ${name} not found`);
    const size = statSync(file).size;
    let start = 0;
    let status = 200;
    const headers: Record<string, string | number> = {
      'content-type': 'application/octet-stream',
      'accept-ranges': 'bytes',
    };
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    if (range && !this.faults.ignoreRange) {
      start = Number(range[1]);
      if (start >= size) {
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return true;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
    }
    headers['content-length'] = size - start;
    let cutAt: number | null = null;
    if (this.faults.cutDownloads > 0 && this.faults.cutDownloadAfterBytes !== null) {
      this.faults.cutDownloads--;
      cutAt = this.faults.cutDownloadAfterBytes;
    }
    this.log(
      `download ${name} from byte ${start}${cutAt === null ? '' : `, cutting the connection after ${cutAt} bytes (fault knob)`}`,
    );
    let corruptAt = -1;
    if (this.faults.corruptDownloads > 0) {
      this.faults.corruptDownloads--;
      corruptAt = Math.floor((size - start) / 2);
      this.log(`download ${name}: flipping the byte at offset ${start + corruptAt} (fault knob)`);
    }
    res.writeHead(status, headers);
    const stream = createReadStream(file, { start, highWaterMark: 16 * 1024 });
    let sent = 0;
    stream.on('data', (chunk) => {
      const buf = Buffer.from(chunk as Buffer);
      if (corruptAt >= sent && corruptAt < sent + buf.length) buf[corruptAt - sent] = buf[corruptAt - sent]! ^ 0xff;
      if (cutAt !== null && sent + buf.length > cutAt) {
        stream.destroy();
        res.write(buf.subarray(0, cutAt - sent), () => res.socket?.destroy());
        return;
      }
      sent += buf.length;
      if (!res.write(buf)) {
        stream.pause();
        res.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => res.end());
    stream.on('error', () => res.destroy());
    return true;
  }

  private async upload(
    req: IncomingMessage,
    res: ServerResponse,
    t: number,
    q: Record<string, string>,
    wait: boolean,
    name: string,
    shard?: number,
  ): Promise<true> {
    const priority = (q.priority ?? this.state.defaultPriority()) as RecoveryPriority;
    if (!['snapshot', 'replica', 'no_sync'].includes(priority)) {
      throw formatError(`unknown variant \`${priority}\`, expected one of \`no_sync\`, \`snapshot\`, \`replica\``);
    }
    const body = await this.readBody(req, Number.POSITIVE_INFINITY);
    const file = multipartFile(String(req.headers['content-type'] ?? ''), body);
    if (q.checksum) {
      const actual = createHash('sha256').update(file).digest('hex');
      if (actual !== q.checksum.toLowerCase())
        throw wrongInput(`Snapshot checksum mismatch: expected ${q.checksum}, got ${actual}`);
    }
    let entries: Map<string, Buffer>;
    try {
      entries = new Map(readTar(file).map((x) => [x.name, x.data]));
    } catch (err) {
      throw wrongInput(`failed to unpack the snapshot: ${(err as Error).message}`);
    }
    const metaRaw = entries.get('qdrant-double.json');
    if (!metaRaw) throw wrongInput('the uploaded file is not a snapshot of the Qdrant double');
    const meta = dparse(metaRaw.toString('utf8')) as Obj;
    if (!this.state.versionAccepts(String(meta.version))) {
      throw wrongInput(
        `Snapshot was created by Qdrant ${meta.version} and cannot be recovered by Qdrant ${this.state.version}: ` +
          'snapshots restore into the same or the next minor version',
      );
    }
    const recover = () =>
      shard === undefined
        ? this.recoverCollection(name, meta, entries, priority)
        : this.recoverShard(name, shard, meta, entries, priority);
    if (!wait) {
      this.later(false, recover);
      return this.accepted(res, t);
    }
    recover();
    return this.ok(res, true, t);
  }

  /** Local shards of the snapshot are loaded unless another active replica exists and priority prefers it. */
  private loadShards(
    coll: Collection,
    shards: number[],
    entries: Map<string, Buffer>,
    priority: RecoveryPriority,
  ): void {
    for (const s of shards) {
      if (!this.isLocal(coll, s)) continue;
      const otherReplicas = this.state.replicas(coll, s).some((p) => p !== this.index);
      if (otherReplicas && priority === 'replica') {
        this.log(
          `shard ${s} of ${coll.name}: priority=replica, keeping the data of the other replica (snapshot data not applied)`,
        );
        continue;
      }
      coll.loadShard(s, entries.get(`${s}/points.jsonl`)?.toString('utf8') ?? '');
    }
  }

  private recoverCollection(name: string, meta: Obj, entries: Map<string, Buffer>, priority: RecoveryPriority): void {
    if (meta.kind !== 'collection') throw wrongInput('the uploaded file is not a collection snapshot');
    const config = dparse(entries.get('config.json')!.toString('utf8')) as Obj;
    const params = config.params as Obj;
    let coll = this.state.collections.get(name);
    if (!coll) {
      coll = new Collection(
        name,
        {
          ...params,
          hnsw_config: config.hnsw_config!,
          optimizers_config: config.optimizer_config!,
          wal_config: config.wal_config!,
          quantization_config: config.quantization_config ?? null,
          strict_mode_config: config.strict_mode_config ?? null,
          ...(config.metadata ? { metadata: config.metadata } : {}),
        },
        num(params.shard_number),
        parseVersion(this.state.version).slice(0, 2) as [number, number],
      );
      this.state.collections.set(name, coll);
    } else {
      if (coll.vectorsSignature() !== dstringify(params.vectors ?? null)) {
        throw wrongInput(
          `Snapshot is not compatible with existing collection: Collection vectors: ${coll.vectorsSignature()} Snapshot Vectors: ${dstringify(params.vectors ?? null)}`,
        );
      }
      if (coll.shardNumber !== num(params.shard_number)) {
        throw wrongInput(
          `Snapshot is not compatible with existing collection: Collection shard number: ${coll.shardNumber} Snapshot shard number: ${params.shard_number}`,
        );
      }
    }
    this.loadShards(coll, (meta.shards as DJson[]).map(num), entries, priority);
    const schema = dparse(entries.get('payload_index.json')?.toString('utf8') ?? '{}') as Obj;
    coll.payloadSchema.clear();
    for (const [field, info] of Object.entries(schema))
      coll.payloadSchema.set(field, info as { data_type: string; params?: DJson });
  }

  private recoverShard(
    name: string,
    shard: number,
    meta: Obj,
    entries: Map<string, Buffer>,
    priority: RecoveryPriority,
  ): void {
    const coll = this.state.collection(name);
    if (meta.kind !== 'shard') throw wrongInput('the uploaded file is not a shard snapshot');
    if (!coll.shards.has(shard)) throw notFound(`Shard ${shard} does not exist in collection \`${name}\``);
    if (!this.isLocal(coll, shard))
      throw badRequest(`Shard ${shard} of collection \`${name}\` is not local on peer ${this.peerId}`);
    const [snapshotShard] = (meta.shards as DJson[]).map(num);
    if (!entries.has(`${snapshotShard}/points.jsonl`)) throw wrongInput('the shard snapshot holds no shard data');
    const data = entries.get(`${snapshotShard}/points.jsonl`)!;
    entries.set(`${shard}/points.jsonl`, data);
    this.loadShards(coll, [shard], entries, priority);
  }
}

/** The bytes of the "snapshot" part of a multipart/form-data body. */
function multipartFile(contentType: string, body: Buffer): Buffer {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) {
    throw new DoubleError(400, 'Bad request: expected a multipart/form-data body with a "snapshot" file');
  }
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) break;
    const headers = body.toString('utf8', pos + delimiter.length, headerEnd);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) break;
    if (/name="snapshot"/i.test(headers)) return body.subarray(headerEnd + 4, next);
    pos = next + 2;
  }
  throw new DoubleError(400, 'Bad request: the multipart body has no "snapshot" file part');
}

/** One simulated Qdrant deployment: one node (standalone) or several (distributed, one shared state). */
export class QdrantDouble {
  readonly nodes: QdrantDoubleNode[];
  private readonly dataDir: string;
  private readonly ownDir: boolean;
  private readonly state: DeploymentState;

  private constructor(options: QdrantDoubleOptions, nodeCount: number, distributed: boolean) {
    this.ownDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'qdrant-double-'));
    this.state = new DeploymentState(options.version ?? QDRANT_VERSION, distributed);
    this.nodes = Array.from(
      { length: nodeCount },
      (_, i) => new QdrantDoubleNode(this.state, i, options, this.dataDir),
    );
    this.state.nodes.push(...this.nodes);
  }

  /** A standalone Qdrant double. */
  static async start(options: QdrantDoubleOptions = {}): Promise<QdrantDouble> {
    return QdrantDouble.launch(options, 1, false);
  }

  /** A distributed Qdrant double: `nodes` nodes, collections sharded over them by default (one shard per node). */
  static async startCluster(nodes: number, options: QdrantDoubleOptions = {}): Promise<QdrantDouble> {
    return QdrantDouble.launch(options, nodes, true);
  }

  private static async launch(
    options: QdrantDoubleOptions,
    nodes: number,
    distributed: boolean,
  ): Promise<QdrantDouble> {
    const d = new QdrantDouble(options, nodes, distributed);
    await Promise.all(d.nodes.map((n) => n.listen()));
    return d;
  }

  /** The first node's URL (the only one when standalone). */
  get url(): string {
    return this.nodes[0]!.url;
  }

  get node(): QdrantDoubleNode {
    return this.nodes[0]!;
  }

  get version(): string {
    return this.state.version;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.close()));
    if (this.ownDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
