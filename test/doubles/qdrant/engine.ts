// The Qdrant double's data model: collections with their configuration (defaults filled in as Qdrant reports
// them), points split over shards, vectors stored the way Qdrant stores them (float32, float16 or uint8; cosine
// vectors normalised on write, idempotently; sparse vectors sorted by index), payload indexes and aliases.
// Errors carry Qdrant's status codes and message texts.
import { DFloat, type DJson, dparse, dstringify, f32Text, num, Verbatim } from './json.ts';

export class DoubleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DoubleError';
  }
}

export const wrongInput = (m: string) => new DoubleError(400, `Wrong input: ${m}`);
export const badRequest = (m: string) => new DoubleError(400, `Bad request: ${m}`);
export const formatError = (m: string) => new DoubleError(400, `Format error in JSON body: ${m}`);
export const notFound = (m: string) => new DoubleError(404, `Not found: ${m}`);
export const collectionMissing = (name: string) => notFound(`Collection \`${name}\` doesn't exist!`);

type Obj = Record<string, DJson>;

export type StoredVector =
  | { kind: 'dense'; v: Float32Array }
  | { kind: 'multi'; rows: Float32Array[] }
  | { kind: 'sparse'; indices: number[]; values: Float32Array };

export type PointId = number | bigint | string;

export interface StoredPoint {
  id: PointId;
  vectors: Map<string, StoredVector>;
  payload: Obj;
}

interface VectorSpec {
  kind: 'dense' | 'multi' | 'sparse';
  size: number;
  distance: string;
  datatype: string;
}

const DISTANCES = ['Cosine', 'Euclid', 'Dot', 'Manhattan'];
const DATATYPES = ['float32', 'float16', 'uint8'];
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const U64_MAX = (1n << 64n) - 1n;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof DFloat);
}

function dropNulls(v: DJson | undefined): DJson | undefined {
  if (Array.isArray(v)) return v.map((x) => dropNulls(x) as DJson);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = dropNulls(x) as DJson;
    return out;
  }
  return v;
}

function merge(defaults: Obj, given: DJson | undefined): Obj {
  const out: Obj = { ...defaults };
  if (isObj(given)) for (const [k, v] of Object.entries(given)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** A point id as Qdrant accepts it: an unsigned 64-bit integer or a UUID (stored hyphenated, lowercase). */
export function pointId(v: DJson): PointId {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'bigint' && v >= 0n && v <= U64_MAX) return v;
  if (typeof v === 'string' && UUID.test(v)) {
    const h = v.replace(/-/g, '').toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  throw formatError(
    `value ${dstringify(v)} is not a valid point ID, valid values are either an unsigned integer or a UUID`,
  );
}

export function idKey(id: PointId): string {
  return typeof id === 'string' ? `u${id}` : `n${id.toString()}`;
}

/** Qdrant orders integer ids before UUIDs, each in ascending order. */
export function compareIds(a: PointId, b: PointId): number {
  const as = typeof a === 'string';
  const bs = typeof b === 'string';
  if (as !== bs) return as ? 1 : -1;
  if (as && bs) return a < b ? -1 : a > b ? 1 : 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function toStorage(values: DJson[], spec: VectorSpec, what: string): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = num(values[i]);
    if (!Number.isFinite(x)) throw formatError(`${what}: vector values must be numbers`);
    out[i] =
      spec.datatype === 'uint8'
        ? Math.min(255, Math.max(0, Math.trunc(x)))
        : spec.datatype === 'float16'
          ? (Math as unknown as { f16round(x: number): number }).f16round(x)
          : Math.fround(x);
  }
  if (spec.distance === 'Cosine' && spec.datatype !== 'uint8') normalise(out);
  return out;
}

/**
 * Squared length as Qdrant computes it on x86-64 with AVX+FMA (vectors of 32+ dimensions): four 8-lane fused
 * multiply-add accumulators over blocks of 32, a fixed horizontal sum, then the tail one by one. Shorter vectors
 * take the scalar path (a sequential float32 sum). The order matters: renormalising an already normalised vector
 * must be a no-op, as it is on the server, and a sequential sum over 1536 dimensions is off by more than the
 * server's 1e-6 tolerance for one vector in six, where Qdrant's own order practically never is.
 */
function lengthSquared(v: Float32Array): number {
  const f = Math.fround;
  if (v.length < 32) {
    let s = 0;
    for (const x of v) s = f(s + f(x * x));
    return s;
  }
  const m = v.length - (v.length % 32);
  const acc = Array.from({ length: 4 }, () => new Float32Array(8));
  for (let i = 0; i < m; i += 32) {
    for (let r = 0; r < 4; r++) {
      const a = acc[r]!;
      for (let l = 0; l < 8; l++) {
        const x = v[i + r * 8 + l]!;
        a[l] = f(x * x + a[l]!); // FMA: x*x is exact in float64; only a rare double rounding differs
      }
    }
  }
  const total = Array.from({ length: 8 }, (_, l) => f(f(acc[0]![l]! + acc[1]![l]!) + f(acc[2]![l]! + acc[3]![l]!)));
  const halves = [0, 1, 2, 3].map((i) => f(total[i + 4]! + total[i]!));
  let len = f(f(halves[0]! + halves[1]!) + f(halves[2]! + halves[3]!));
  for (let i = m; i < v.length; i++) len = f(len + f(v[i]! * v[i]!));
  return len;
}

/** Qdrant's cosine preprocessing: skipped when the length is zero or already 1 (within 1e-6), so it is idempotent. */
function normalise(v: Float32Array): void {
  const len = lengthSquared(v);
  if (len < 1.1920929e-7 || Math.abs(len - 1) <= 1e-6) return;
  const l = Math.fround(Math.sqrt(len));
  for (let i = 0; i < v.length; i++) v[i] = Math.fround(v[i]! / l);
}

function f32Json(v: Float32Array): string {
  return `[${Array.from(v, f32Text).join(',')}]`;
}

/** Text of a vector as Qdrant writes it; cached on the stored vector (formatting float32 values is the slow part). */
const vectorText = new WeakMap<StoredVector, string>();

export function vectorOut(v: StoredVector): DJson {
  let text = vectorText.get(v);
  if (text === undefined) {
    if (v.kind === 'dense') text = f32Json(v.v);
    else if (v.kind === 'multi') text = `[${v.rows.map(f32Json).join(',')}]`;
    else text = `{"indices":${JSON.stringify(v.indices)},"values":${f32Json(v.values)}}`;
    vectorText.set(v, text);
  }
  return new Verbatim(text) as unknown as DJson;
}

export class Collection {
  readonly config: Obj;
  readonly payloadSchema = new Map<string, { data_type: string; params?: DJson }>();
  readonly shards = new Map<number, Map<string, StoredPoint>>();
  private opId = 0;
  /** All points in scroll order, rebuilt after a change (scroll pages would otherwise sort on every request). */
  private sorted: StoredPoint[] | undefined;
  private readonly specs = new Map<string, VectorSpec>();

  constructor(
    readonly name: string,
    body: DJson,
    defaultShards: number,
    /** The server version: features newer than it are unknown fields, as on that Qdrant. */
    private readonly serverVersion: [number, number] = [1, 99],
  ) {
    const b = isObj(body) ? body : {};
    const vectors = b.vectors ?? {};
    const params: Obj = {};
    if (isObj(vectors) && 'size' in vectors) {
      this.addSpec('', vectors);
      params.vectors = dropNulls(vectors) as DJson;
    } else if (isObj(vectors)) {
      const named: Obj = {};
      for (const [n, p] of Object.entries(vectors)) {
        if (!isObj(p)) throw formatError(`vectors.${n}: expected vector parameters`);
        this.addSpec(n, p);
        named[n] = dropNulls(p) as DJson;
      }
      params.vectors = named;
    } else {
      throw formatError('vectors: expected vector parameters or a map of them');
    }
    const shardNumber = num(b.shard_number ?? defaultShards);
    const replication = num(b.replication_factor ?? 1);
    if (!(shardNumber >= 1) || !(replication >= 1))
      throw wrongInput('shard_number and replication_factor must be at least 1');
    params.shard_number = shardNumber;
    if (b.sharding_method != null) params.sharding_method = b.sharding_method;
    params.replication_factor = replication;
    params.write_consistency_factor = num(b.write_consistency_factor ?? 1);
    params.on_disk_payload = b.on_disk_payload ?? true;
    if (b.payload != null) params.payload = b.payload;
    if (isObj(b.sparse_vectors)) {
      for (const n of Object.keys(b.sparse_vectors))
        this.specs.set(n, { kind: 'sparse', size: 0, distance: 'Dot', datatype: 'float32' });
      params.sparse_vectors = dropNulls(b.sparse_vectors) as DJson;
    }
    this.config = {
      params,
      hnsw_config: merge(
        { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        b.hnsw_config,
      ),
      optimizer_config: merge(
        {
          deleted_threshold: 0.2,
          vacuum_min_vector_number: 1000,
          default_segment_number: 0,
          max_segment_size: null,
          memmap_threshold: null,
          indexing_threshold: 10000,
          flush_interval_sec: 5,
          max_optimization_threads: null,
        },
        b.optimizers_config,
      ),
      wal_config: merge({ wal_capacity_mb: 32, wal_segments_ahead: 0 }, b.wal_config),
      quantization_config: b.quantization_config ?? null,
      strict_mode_config: merge({ enabled: false }, b.strict_mode_config),
      ...(b.metadata != null ? { metadata: b.metadata } : {}),
    };
    for (let s = 0; s < shardNumber; s++) this.shards.set(s, new Map());
  }

  private addSpec(name: string, p: Obj): void {
    const [major, minor] = this.serverVersion;
    if (p.multivector_config != null && major === 1 && minor < 10) {
      // Multivectors arrived in Qdrant 1.10.
      throw formatError(`vectors${name ? `.${name}` : ''}: unknown field \`multivector_config\``);
    }
    const size = num(p.size);
    const distance = String(p.distance);
    const datatype = p.datatype == null ? 'float32' : String(p.datatype);
    if (!Number.isInteger(size) || size < 1)
      throw formatError(`vectors${name ? `.${name}` : ''}.size: must be a positive integer`);
    if (!DISTANCES.includes(distance)) {
      throw formatError(
        `unknown variant \`${distance}\`, expected one of ${DISTANCES.map((d) => `\`${d}\``).join(', ')}`,
      );
    }
    if (!DATATYPES.includes(datatype)) throw formatError(`unknown datatype \`${datatype}\``);
    this.specs.set(name, { kind: p.multivector_config != null ? 'multi' : 'dense', size, distance, datatype });
  }

  get shardNumber(): number {
    return this.shards.size;
  }

  get replicationFactor(): number {
    return num((this.config.params as Obj).replication_factor);
  }

  nextOperation(): number {
    return this.opId++;
  }

  updateParams(patch: DJson): void {
    if (!isObj(patch)) throw formatError('expected an object');
    if (isObj(patch.params)) Object.assign(this.config.params as Obj, dropNulls(patch.params));
    if (isObj(patch.hnsw_config)) this.config.hnsw_config = merge(this.config.hnsw_config as Obj, patch.hnsw_config);
    if (isObj(patch.optimizers_config))
      this.config.optimizer_config = merge(this.config.optimizer_config as Obj, patch.optimizers_config);
    if (patch.quantization_config !== undefined) this.config.quantization_config = patch.quantization_config;
  }

  shardOf(key: string): number {
    return hashKey(key) % this.shardNumber;
  }

  /** Validates and converts points first; applies none of them if any is invalid (as Qdrant does for a batch). */
  preparePoints(points: DJson[]): StoredPoint[] {
    return points.map((raw, i) => {
      if (!isObj(raw)) throw formatError(`points[${i}]: expected an object`);
      const id = pointId(raw.id ?? null);
      const vectors = new Map<string, StoredVector>();
      const given = raw.vector ?? raw.vectors;
      const entries: Array<[string, DJson]> = Array.isArray(given)
        ? [['', given]]
        : isObj(given)
          ? Object.entries(given)
          : [];
      for (const [name, value] of entries) {
        if (value === null) continue;
        const spec = this.specs.get(name);
        if (!spec) throw wrongInput(`Not existing vector name error: ${name === '' ? '(default vector)' : name}`);
        vectors.set(name, this.convert(spec, value, name));
      }
      const payload = raw.payload ?? {};
      if (!isObj(payload)) throw formatError(`points[${i}].payload: expected an object`);
      return { id, vectors, payload };
    });
  }

  private convert(spec: VectorSpec, value: DJson, name: string): StoredVector {
    const what = name === '' ? 'vector' : `vector ${name}`;
    if (spec.kind === 'sparse') {
      if (!isObj(value) || !Array.isArray(value.indices) || !Array.isArray(value.values)) {
        throw formatError(`${what}: expected a sparse vector {indices, values}`);
      }
      if (value.indices.length !== value.values.length) {
        throw new DoubleError(422, `Validation error in JSON body: [${name}: must be the same length as indices]`);
      }
      const values = value.values;
      const pairs = value.indices.map((ix, i) => [num(ix), num(values[i]!)] as const);
      if (new Set(pairs.map((p) => p[0])).size !== pairs.length) {
        throw new DoubleError(422, `Validation error in JSON body: [${name}: indices must be unique]`);
      }
      pairs.sort((a, b) => a[0] - b[0]);
      return {
        kind: 'sparse',
        indices: pairs.map((p) => p[0]),
        values: Float32Array.from(pairs, (p) => Math.fround(p[1])),
      };
    }
    const check = (len: number) => {
      if (len !== spec.size) throw wrongInput(`Vector dimension error: expected dim: ${spec.size}, got ${len}`);
    };
    if (spec.kind === 'multi') {
      if (!Array.isArray(value) || !value.every(Array.isArray))
        throw formatError(`${what}: expected a multivector (a list of vectors)`);
      return {
        kind: 'multi',
        rows: (value as DJson[][]).map((row) => {
          check(row.length);
          return toStorage(row, spec, what);
        }),
      };
    }
    if (!Array.isArray(value) || value.some((x) => Array.isArray(x) || isObj(x)))
      throw formatError(`${what}: expected a dense vector`);
    check(value.length);
    return { kind: 'dense', v: toStorage(value, spec, what) };
  }

  /** Call after changing points directly in `shards`. */
  changed(): void {
    this.sorted = undefined;
  }

  upsert(points: StoredPoint[]): void {
    this.sorted = undefined;
    for (const p of points) {
      const key = idKey(p.id);
      this.shards.get(this.shardOf(key))!.set(key, p);
    }
  }

  /** Every point in Qdrant's scroll order. */
  sortedPoints(shards?: Iterable<number>): StoredPoint[] {
    if (shards === undefined && this.sorted) return this.sorted;
    const all: StoredPoint[] = [];
    for (const s of shards ?? this.shards.keys()) for (const p of this.shards.get(s)?.values() ?? []) all.push(p);
    all.sort((a, b) => compareIds(a.id, b.id));
    if (shards === undefined) this.sorted = all;
    return all;
  }

  get pointsCount(): number {
    let n = 0;
    for (const s of this.shards.values()) n += s.size;
    return n;
  }

  createIndex(field: string, schema: DJson): void {
    if (!field) throw formatError('field_name must not be empty');
    const types = ['keyword', 'integer', 'float', 'geo', 'text', 'bool', 'datetime', 'uuid'];
    if (typeof schema === 'string' && types.includes(schema)) {
      this.payloadSchema.set(field, { data_type: schema });
    } else if (isObj(schema) && typeof schema.type === 'string' && types.includes(schema.type)) {
      this.payloadSchema.set(field, { data_type: schema.type, params: schema });
    } else {
      throw formatError(`field_schema: unknown payload schema ${dstringify(schema)}`);
    }
  }

  private indexedPoints(field: string): number {
    const path = field.replace(/\[\]/g, '').split('.');
    let n = 0;
    for (const s of this.shards.values()) {
      for (const p of s.values()) {
        let v: DJson | undefined = p.payload;
        for (const part of path) v = isObj(v) ? v[part] : undefined;
        if (v !== undefined && v !== null) n++;
      }
    }
    return n;
  }

  info(): Obj {
    const schema: Obj = {};
    for (const [field, s] of this.payloadSchema) {
      schema[field] = {
        data_type: s.data_type,
        ...(s.params !== undefined ? { params: s.params } : {}),
        points: this.indexedPoints(field),
      };
    }
    const count = this.pointsCount;
    return {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: count,
      segments_count: this.shardNumber,
      config: this.config,
      payload_schema: schema,
    };
  }

  /** A point as scroll returns it. */
  static pointOut(p: StoredPoint, withPayload: DJson | undefined, withVector: DJson | undefined): Obj {
    const out: Obj = { id: p.id };
    if (withPayload === true || withPayload === undefined) out.payload = p.payload;
    else if (Array.isArray(withPayload)) {
      out.payload = Object.fromEntries(
        withPayload.filter((k) => typeof k === 'string' && k in p.payload).map((k) => [k, p.payload[k as string]!]),
      );
    } else out.payload = null;
    if (withVector === true || Array.isArray(withVector)) {
      const names = [...p.vectors.keys()].filter((n) => withVector === true || withVector.includes(n));
      if (names.length === 1 && names[0] === '' && withVector === true) out.vector = vectorOut(p.vectors.get('')!);
      else out.vector = Object.fromEntries(names.map((n) => [n, vectorOut(p.vectors.get(n)!)]));
    } else {
      out.vector = null;
    }
    return out;
  }

  /** The JSON lines of a shard's points, the double's own snapshot format. */
  shardLines(shard: number): string {
    return this.sortedPoints([shard])
      .map((p) => dstringify(Collection.pointOut(p, true, true)))
      .join('\n');
  }

  /** Replaces a shard's points with those of a snapshot file (values already in storage form). */
  loadShard(shard: number, text: string): void {
    const points = new Map<string, StoredPoint>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      const raw = dparse(line) as Obj;
      const id = pointId(raw.id!);
      const vectors = new Map<string, StoredVector>();
      const v = raw.vector;
      const entries: Array<[string, DJson]> = Array.isArray(v) ? [['', v]] : isObj(v) ? Object.entries(v) : [];
      for (const [name, value] of entries) {
        const spec = this.specs.get(name);
        if (!spec) throw wrongInput(`Not existing vector name error: ${name}`);
        if (spec.kind === 'sparse') {
          const s = value as Obj;
          vectors.set(name, {
            kind: 'sparse',
            indices: (s.indices as DJson[]).map(num),
            values: Float32Array.from(s.values as DJson[], num),
          });
        } else if (spec.kind === 'multi') {
          vectors.set(name, { kind: 'multi', rows: (value as DJson[][]).map((r) => Float32Array.from(r, num)) });
        } else {
          vectors.set(name, { kind: 'dense', v: Float32Array.from(value as DJson[], num) });
        }
      }
      points.set(idKey(id), { id, vectors, payload: (raw.payload as Obj) ?? {} });
    }
    this.shards.set(shard, points);
    this.sorted = undefined;
  }

  /** Vector parameters, to check that a snapshot fits an existing collection. */
  vectorsSignature(): string {
    return dstringify((this.config.params as Obj).vectors ?? null);
  }
}
