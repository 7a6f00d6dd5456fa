// Which adapter serves which store kind (one line per kind). Adapters load on first use: each pulls in its
// driver (pg, neo4j-driver, the Qdrant client), which a backup of another kind or of stdin never needs.
import type { StoreConfig } from '../config/schema.ts';
import type { StoreAdapter } from './types.ts';

/** Each adapter has its own target type; callers only pass back what its target() returned. */
export type AnyAdapter = StoreAdapter<unknown>;

export async function adapterFor(config: StoreConfig): Promise<AnyAdapter> {
  switch (config.kind) {
    case 'postgres':
      return new (await import('./postgres/adapter.ts')).PostgresAdapter(config);
    case 'qdrant':
      return new (await import('./qdrant/adapter.ts')).QdrantAdapter(config);
    case 'neo4j':
      return new (await import('./neo4j/adapter.ts')).Neo4jAdapter(config);
  }
}
