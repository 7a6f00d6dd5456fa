// Which adapter serves which store kind (one line per kind).
import type { StoreConfig } from '../config/schema.ts';
import { Neo4jAdapter } from './neo4j/adapter.ts';
import { PostgresAdapter } from './postgres/adapter.ts';
import { QdrantAdapter } from './qdrant/adapter.ts';
import type { StoreAdapter } from './types.ts';

/** Each adapter has its own target type; callers only pass back what its target() returned. */
export type AnyAdapter = StoreAdapter<unknown>;

export function adapterFor(config: StoreConfig): AnyAdapter {
  switch (config.kind) {
    case 'postgres':
      return new PostgresAdapter(config);
    case 'qdrant':
      return new QdrantAdapter(config);
    case 'neo4j':
      return new Neo4jAdapter(config);
  }
}
