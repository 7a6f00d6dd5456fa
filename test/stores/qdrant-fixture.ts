// Rich Qdrant test data, written over plain REST so it works the same against the Qdrant double and a real
// Qdrant: one unnamed vector; named vectors of different sizes, distances and datatypes; sparse vectors;
// multivectors; payloads with nested objects, arrays, unicode keys, nulls, geo points, datetime strings, an
// integral float (1.0) and an integer above 2^53; integer, UUID and u64-max point ids; payload indexes; aliases.

export interface QdrantEndpoint {
  url: string;
  apiKey?: string;
}

export async function qdrantRequest(ep: QdrantEndpoint, method: string, path: string, body?: string): Promise<string> {
  const res = await fetch(`${ep.url.replace(/\/$/, '')}${path}`, {
    method,
    headers: {
      ...(ep.apiKey ? { 'api-key': ep.apiKey } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/** JSON with values written verbatim: a string "@@1.0@@" becomes the number literal 1.0. */
function rawJson(value: unknown): string {
  return JSON.stringify(value).replace(/"@@(.*?)@@"/g, '$1');
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

export interface RichCollections {
  plain: string;
  named: string;
  empty: string;
  aliases: string[];
  /** Point ids of the plain collection as they appear in JSON (for deleting one in tests). */
  plainIds: string[];
}

function payload(i: number): Record<string, unknown> {
  return {
    title: `Document ${i}: vectors & "quotes"`,
    category: ['news', 'blog', 'paper'][i % 3],
    名前: `テスト${i}`,
    'emoji 🚀': i % 2 === 0 ? '✓' : 'ℵ₀',
    nested: { level: i % 5, tags: ['a', 'b', i], deep: { x: null, y: [{ z: i }, []] } },
    nothing: null,
    location: { lon: 13.4 + i / 100, lat: 52.5 - i / 100 },
    created_at: `2024-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:30:00Z`,
    score: i * 0.25 + 0.1,
    ratio: '@@1.0@@',
    big: '@@1152921504606846977@@',
    flag: i % 2 === 0,
    empty_obj: {},
    empty_arr: [],
  };
}

/** Creates the rich collections (names prefixed) and returns their names. */
export async function seedRich(ep: QdrantEndpoint, prefix: string, points = 60): Promise<RichCollections> {
  const plain = `${prefix}_plain`;
  const named = `${prefix}_named`;
  const empty = `${prefix}_empty`;
  const rnd = prng(42);

  await qdrantRequest(ep, 'PUT', `/collections/${plain}`, rawJson({ vectors: { size: 4, distance: 'Cosine' } }));
  const ids: unknown[] = [];
  for (let i = 1; i <= points; i++)
    ids.push(i % 10 === 0 ? `8f5e6c1a-0000-4000-8000-${String(i).padStart(12, '0')}` : i * 7);
  ids.push('@@18446744073709551615@@');
  const plainPoints = ids.map((id, i) => ({ id, vector: [rnd(), rnd(), rnd(), rnd()], payload: payload(i) }));
  for (let i = 0; i < plainPoints.length; i += 25) {
    await qdrantRequest(
      ep,
      'PUT',
      `/collections/${plain}/points?wait=true`,
      rawJson({ points: plainPoints.slice(i, i + 25) }),
    );
  }
  const indexes: Array<[string, unknown]> = [
    ['category', 'keyword'],
    ['nested.level', 'integer'],
    ['location', 'geo'],
    ['created_at', 'datetime'],
    ['score', 'float'],
    ['flag', 'bool'],
    ['title', { type: 'text', tokenizer: 'word', lowercase: true }],
  ];
  for (const [field_name, field_schema] of indexes) {
    await qdrantRequest(ep, 'PUT', `/collections/${plain}/index?wait=true`, rawJson({ field_name, field_schema }));
  }

  await qdrantRequest(
    ep,
    'PUT',
    `/collections/${named}`,
    rawJson({
      vectors: {
        image: { size: 8, distance: 'Euclid', datatype: 'float16', on_disk: true },
        text: { size: 3, distance: 'Dot', hnsw_config: { m: 8 } },
        colbert: { size: 2, distance: 'Cosine', multivector_config: { comparator: 'max_sim' } },
      },
      sparse_vectors: { keywords: { modifier: 'idf' } },
      shard_number: 2,
      on_disk_payload: false,
      hnsw_config: { m: 24, ef_construct: 64 },
      quantization_config: { scalar: { type: 'int8', quantile: 0.99, always_ram: true } },
      metadata: { owner: 'ml-team', since: '@@2.0@@' },
    }),
  );
  const namedPoints = Array.from({ length: points }, (_, i) => {
    const vector: Record<string, unknown> = {
      image: Array.from({ length: 8 }, () => rnd() * 100),
      text: [rnd(), rnd(), rnd()],
    };
    if (i % 2 === 0) vector.colbert = Array.from({ length: 2 + (i % 3) }, () => [rnd(), rnd()]);
    if (i % 3 !== 0) vector.keywords = { indices: [i + 5, 1, 3], values: [rnd(), 0.5, '@@2.0@@'] };
    return {
      id: i % 4 === 0 ? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` : i,
      vector,
      payload: payload(i + 1000),
    };
  });
  for (let i = 0; i < namedPoints.length; i += 25) {
    await qdrantRequest(
      ep,
      'PUT',
      `/collections/${named}/points?wait=true`,
      rawJson({ points: namedPoints.slice(i, i + 25) }),
    );
  }
  await qdrantRequest(
    ep,
    'PUT',
    `/collections/${named}/index?wait=true`,
    rawJson({ field_name: 'category', field_schema: { type: 'keyword', is_tenant: true } }),
  );

  await qdrantRequest(ep, 'PUT', `/collections/${empty}`, rawJson({ vectors: { size: 2, distance: 'Dot' } }));

  const aliases = [`${prefix}_current`, `${prefix}_models`];
  await qdrantRequest(
    ep,
    'POST',
    '/collections/aliases',
    rawJson({
      actions: [
        { create_alias: { collection_name: plain, alias_name: aliases[0] } },
        { create_alias: { collection_name: named, alias_name: aliases[1] } },
      ],
    }),
  );
  return {
    plain,
    named,
    empty,
    aliases,
    plainIds: ids.map((id) => (typeof id === 'string' && id.startsWith('@@') ? id.slice(2, -2) : JSON.stringify(id))),
  };
}

/** Every point of a collection as the server writes it (raw text, ids ascending), for byte-exact comparisons. */
export async function scrollText(ep: QdrantEndpoint, collection: string): Promise<string[]> {
  const pages: string[] = [];
  let offset: string | null = null;
  do {
    const body = `{"limit":50,"with_payload":true,"with_vector":true${offset === null ? '' : `,"offset":${offset}`}}`;
    const text = await qdrantRequest(ep, 'POST', `/collections/${collection}/points/scroll`, body);
    const result = /"result":(\{.*\}),"status"/s.exec(text)?.[1] ?? text;
    pages.push(result.replace(/,"next_page_offset":.*$/s, ''));
    const next = /"next_page_offset":(null|"[^"]*"|\d+)/.exec(text)?.[1] ?? 'null';
    offset = next === 'null' ? null : next;
  } while (offset !== null);
  return pages;
}
