// Collection-level operations shared by both modes: reading every point (scroll), the fingerprint of a live
// collection, creating a collection from a recorded configuration, payload indexes, aliases, and batched
// upserts of exported point lines.
import type { Schemas } from '@qdrant/js-client-rest';
import { BackdrillError } from '../../errors.ts';
import { type DataSetPrint, type Fingerprint, SetHash } from '../fingerprint.ts';
import type { QdrantApi } from './api.ts';
import {
  aliasDigest,
  canonicalPoint,
  configDigest,
  dropNulls,
  payloadIndexDigest,
  printNames,
  type ScrolledPoint,
} from './canonical.ts';
import { type JsonValue, RawJson, stringifyLossless } from './json.ts';

export type CollectionInfo = Schemas['CollectionInfo'];
export type CollectionConfig = Schemas['CollectionConfig'];
export type PayloadIndexInfo = { data_type: string; params?: unknown };

export const enc = encodeURIComponent;

export async function collectionNames(api: QdrantApi): Promise<string[]> {
  const r = await api.call({ doing: 'listing collections' }, (c) => c.getCollections());
  return r.collections.map((c) => c.name).sort();
}

/** Read losslessly: collection metadata is arbitrary JSON, and an integral float in it must stay a float. */
export async function collectionInfo(api: QdrantApi, name: string): Promise<CollectionInfo> {
  const ctx = { doing: `reading collection ${name}`, collection: name };
  return (await api.json('GET', `/collections/${enc(name)}`, ctx)) as unknown as CollectionInfo;
}

export async function collectionExists(api: QdrantApi, name: string): Promise<boolean> {
  const r = await api.call({ doing: `checking whether collection ${name} exists` }, (c) => c.collectionExists(name));
  return r.exists;
}

export async function aliasesOf(api: QdrantApi): Promise<Array<{ alias: string; collection: string }>> {
  const r = await api.call({ doing: 'listing aliases' }, (c) => c.getAliases());
  return r.aliases
    .map((a) => ({ alias: a.alias_name, collection: a.collection_name }))
    .sort((a, b) => a.alias.localeCompare(b.alias));
}

export async function exactCount(api: QdrantApi, name: string): Promise<number> {
  const r = await api.call({ doing: `counting points of ${name}`, collection: name }, (c) =>
    c.count(name, { exact: true }),
  );
  return r.count;
}

/** Every point of a collection with payload and vectors, page by page, read losslessly. */
export async function* scrollPoints(api: QdrantApi, name: string, batchSize: number): AsyncGenerator<ScrolledPoint[]> {
  let offset: JsonValue | undefined;
  let previous = '';
  do {
    const body = { limit: batchSize, with_payload: true, with_vector: true, ...(offset == null ? {} : { offset }) };
    const ctx = { doing: `reading points of ${name}`, collection: name };
    const page = (await api.json('POST', `/collections/${enc(name)}/points/scroll`, ctx, body)) as unknown as {
      points: ScrolledPoint[];
      next_page_offset?: JsonValue;
    };
    yield page.points;
    offset = page.next_page_offset;
    const key = stringifyLossless(offset ?? null);
    if (offset != null && key === previous) {
      throw new BackdrillError(
        'fatal',
        `reading points of ${name}: the server returned the same next_page_offset ${key} twice`,
      );
    }
    previous = key;
  } while (offset !== null && offset !== undefined);
}

export interface CollectionPrint {
  info: CollectionInfo;
  data: DataSetPrint;
  schema: Record<string, string>;
}

/** Schema entries of one collection: its configuration digest and one digest per payload index. */
export function schemaPrint(name: string, info: CollectionInfo): Record<string, string> {
  const schema: Record<string, string> = { [printNames.config(name)]: configDigest(info.config) };
  for (const [field, idx] of Object.entries(info.payload_schema)) {
    if (idx) schema[printNames.payloadIndex(name, field)] = payloadIndexDigest(idx);
  }
  return schema;
}

/** The fingerprint of one live collection: configuration, payload indexes and a set hash of every point. */
export async function printCollection(api: QdrantApi, name: string, batchSize: number): Promise<CollectionPrint> {
  const info = await collectionInfo(api, name);
  const set = new SetHash();
  for await (const page of scrollPoints(api, name, batchSize)) for (const p of page) set.add(canonicalPoint(p));
  return { info, data: set.digest(), schema: schemaPrint(name, info) };
}

/** Adds one collection's print, and the aliases that point at collections in `names`, to a fingerprint. */
export function addToFingerprint(fp: Fingerprint, name: string, print: Pick<CollectionPrint, 'data' | 'schema'>): void {
  fp.data[printNames.collection(name)] = print.data;
  Object.assign(fp.schema, print.schema);
}

export function addAliases(
  fp: Fingerprint,
  aliases: Array<{ alias: string; collection: string }>,
  names: Set<string>,
): void {
  for (const a of aliases)
    if (names.has(a.collection)) fp.schema[printNames.alias(a.alias)] = aliasDigest(a.collection);
}

/** Collection parameters that CreateCollection does not take; applied afterwards with an update. */
const UPDATE_ONLY_PARAMS = ['read_fan_out_factor', 'read_fan_out_delay_ms'] as const;

/** The CreateCollection request that reproduces a recorded configuration. */
export function createRequest(config: CollectionConfig): Record<string, unknown> {
  const p = config.params as Record<string, unknown>;
  return dropNulls({
    vectors: p.vectors,
    sparse_vectors: p.sparse_vectors,
    shard_number: p.shard_number,
    sharding_method: p.sharding_method,
    replication_factor: p.replication_factor,
    write_consistency_factor: p.write_consistency_factor,
    on_disk_payload: p.on_disk_payload,
    payload: p.payload,
    hnsw_config: config.hnsw_config,
    optimizers_config: config.optimizer_config,
    wal_config: config.wal_config,
    quantization_config: config.quantization_config,
    strict_mode_config: config.strict_mode_config,
    metadata: config.metadata,
  }) as Record<string, unknown>;
}

export async function createCollection(api: QdrantApi, name: string, config: CollectionConfig): Promise<void> {
  const ctx = { doing: `creating collection ${name}` };
  await api.json('PUT', `/collections/${enc(name)}`, ctx, createRequest(config));
  const p = config.params as Record<string, unknown>;
  const later = Object.fromEntries(UPDATE_ONLY_PARAMS.filter((k) => p[k] != null).map((k) => [k, p[k]]));
  if (Object.keys(later).length > 0) await api.json('PATCH', `/collections/${enc(name)}`, ctx, { params: later });
}

export async function createPayloadIndexes(
  api: QdrantApi,
  name: string,
  schema: Record<string, PayloadIndexInfo | undefined>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const [field, idx] of Object.entries(schema).sort(([a], [b]) => a.localeCompare(b))) {
    if (!idx) continue;
    try {
      await api.json(
        'PUT',
        `/collections/${enc(name)}/index`,
        { doing: `creating payload index ${name}.${field}` },
        { field_name: field, field_schema: idx.params ?? idx.data_type },
        { wait: 'true' },
      );
    } catch (err) {
      failures.push(`payload index ${name}.${field}: ${(err as Error).message}`);
    }
  }
  return failures;
}

export async function createAlias(api: QdrantApi, alias: string, collection: string, replace: boolean): Promise<void> {
  const actions: unknown[] = [];
  if (replace) actions.push({ delete_alias: { alias_name: alias } });
  actions.push({ create_alias: { collection_name: collection, alias_name: alias } });
  await api.json('POST', '/collections/aliases', { doing: `creating alias ${alias}` }, { actions });
}

/** Splits a byte stream into lines (UTF-8 safe: only whole lines are decoded). */
export async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    let buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let nl = buf.indexOf(10);
    while (nl >= 0) {
      if (nl > 0) yield buf.toString('utf8', 0, nl);
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(10);
    }
    rest = Buffer.from(buf);
  }
  if (rest.length > 0) yield rest.toString('utf8');
}

/** Qdrant refuses requests over 32 MiB by default (service.max_request_size_mb): stay well below. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Upserts exported point lines in batches, each acknowledged only once applied (wait=true). The lines are sent
 * as they were exported, byte for byte. Returns the number of points written.
 */
export async function upsertLines(
  api: QdrantApi,
  name: string,
  source: AsyncIterable<string>,
  batchSize: number,
): Promise<number> {
  let batch: string[] = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const body = { points: batch.map((l) => new RawJson(l)) };
    const r = (await api.json(
      'PUT',
      `/collections/${enc(name)}/points`,
      { doing: `writing points ${written + 1}..${written + batch.length} of ${name}` },
      body,
      {
        wait: 'true',
      },
    )) as { status?: string } | null;
    if (r?.status !== 'completed') {
      throw new Error(
        `the server answered status "${r?.status}" for points ${written + 1}..${written + batch.length}, not "completed"`,
      );
    }
    written += batch.length;
    batch = [];
    bytes = 0;
  };
  for await (const line of source) {
    batch.push(line);
    bytes += Buffer.byteLength(line);
    if (batch.length >= batchSize || bytes >= MAX_BATCH_BYTES) await flush();
  }
  await flush();
  return written;
}
