// Canonical forms of Qdrant points and collection settings, so that a fingerprint taken at backup time and one
// taken after a restore (possibly on another server version) hash identically when, and only when, the data is
// the same. Qdrant stores vectors as float32: every vector value is compared as its exact float32 bits.
import type { Schemas } from '@qdrant/js-client-rest';
import { digestOf } from '../fingerprint.ts';
import { JsonFloat, stringifyLossless, toNumber } from './json.ts';

export type PointId = number | bigint | string;

/** A point as scroll returns it (parsed losslessly). */
export interface ScrolledPoint {
  id: PointId;
  payload?: Record<string, unknown> | null;
  vector?: unknown;
  shard_key?: unknown;
}

export function describeId(id: PointId): string {
  return typeof id === 'string' ? id : id.toString();
}

function f32Hex(values: readonly unknown[]): string {
  const arr = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) arr[i] = toNumber(values[i]);
  return Buffer.from(arr.buffer).toString('hex');
}

function canonicalVector(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length > 0 && Array.isArray(v[0])) return `m:${v.map((row) => f32Hex(row as unknown[])).join(',')}`;
    return `d:${f32Hex(v)}`;
  }
  if (v !== null && typeof v === 'object' && 'indices' in v && 'values' in v) {
    const { indices, values } = v as { indices: unknown[]; values: unknown[] };
    const pairs = indices.map((ix, i) => [toNumber(ix), values[i]] as const).sort((a, b) => a[0] - b[0]);
    return `s:${pairs.map((p) => p[0]).join(',')}|${f32Hex(pairs.map((p) => p[1]))}`;
  }
  throw new Error(`unrecognised vector ${stringifyLossless(v).slice(0, 80)}`);
}

/** Vectors of a point by name ("" for the unnamed vector), each as an exact, order-independent string. */
export function canonicalVectors(vector: unknown): Record<string, string> {
  if (vector === null || vector === undefined) return {};
  if (Array.isArray(vector)) return { '': canonicalVector(vector) };
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(vector as Record<string, unknown>)) {
    if (v !== null && v !== undefined) out[name] = canonicalVector(v);
  }
  return out;
}

/** The element a collection's SetHash adds for one point: id, payload and vectors, all canonical. */
export function canonicalPoint(p: ScrolledPoint): string {
  const id = typeof p.id === 'string' ? `u:${p.id.toLowerCase()}` : `n:${p.id.toString()}`;
  return stringifyLossless({ id, payload: p.payload ?? {}, vectors: canonicalVectors(p.vector) }, true);
}

/** Drops null and undefined members (a server version that spells "unset" differently is not a difference). */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object' && !(value instanceof JsonFloat)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

type CollectionConfig = Schemas['CollectionConfig'];

/**
 * Digest of what defines a collection's data and search behaviour: vector parameters (named, sparse, multivector,
 * distance, datatype, on_disk, per-vector hnsw/quantization), shard and replication settings, hnsw, quantization
 * and metadata. Optimizer, WAL and strict-mode settings are restored but not compared: they are tuning whose
 * defaults move between server versions.
 */
export function configDigest(config: CollectionConfig): string {
  const relevant = {
    params: config.params,
    hnsw_config: config.hnsw_config,
    quantization_config: config.quantization_config ?? null,
    metadata: config.metadata ?? null,
  };
  return digestOf(stringifyLossless(dropNulls(relevant), true));
}

export function payloadIndexDigest(info: { data_type: string; params?: unknown }): string {
  return digestOf(stringifyLossless(dropNulls({ data_type: info.data_type, params: info.params ?? null }), true));
}

export function aliasDigest(collection: string): string {
  return digestOf(`alias->${collection}`);
}

export const printNames = {
  collection: (c: string) => `collection ${c}`,
  config: (c: string) => `collection ${c} config`,
  payloadIndex: (c: string, field: string) => `payload index ${c}.${field}`,
  alias: (a: string) => `alias ${a}`,
};
