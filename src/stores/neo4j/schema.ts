// Indexes and constraints of one Neo4j database: what SHOW INDEXES / SHOW CONSTRAINTS report, written to the
// export as they are (with the server's own CREATE statement) and digested for the fingerprint.
import type { Session } from 'neo4j-driver';
import { z } from 'zod';
import { digestOf } from '../fingerprint.ts';
import { encodeValue, quoteName } from './values.ts';

export const IndexDef = z.object({
  name: z.string(),
  /** RANGE, TEXT, POINT, FULLTEXT, VECTOR, LOOKUP (and whatever later servers add). */
  type: z.string(),
  entityType: z.string(),
  labelsOrTypes: z.array(z.string()).nullable(),
  properties: z.array(z.string()).nullable(),
  /** The constraint that owns this index (it is created with the constraint, never on its own). */
  owningConstraint: z.string().nullable(),
  /** Canonical encoding of options.indexConfig (analyzer, vector dimensions and similarity, spatial bounds, ...). */
  indexConfig: z.string(),
  indexProvider: z.string().nullable(),
  state: z.string(),
  createStatement: z.string(),
});
export type IndexDef = z.infer<typeof IndexDef>;

export const ConstraintDef = z.object({
  name: z.string(),
  /** UNIQUENESS, RELATIONSHIP_UNIQUENESS, NODE_KEY, NODE_PROPERTY_EXISTENCE, NODE_PROPERTY_TYPE, ... */
  type: z.string(),
  entityType: z.string(),
  labelsOrTypes: z.array(z.string()).nullable(),
  properties: z.array(z.string()).nullable(),
  propertyType: z.string().nullable(),
  indexConfig: z.string(),
  createStatement: z.string(),
});
export type ConstraintDef = z.infer<typeof ConstraintDef>;

export const GraphSchema = z.object({
  indexes: z.array(IndexDef),
  constraints: z.array(ConstraintDef),
});
export type GraphSchema = z.infer<typeof GraphSchema>;

function strings(x: unknown): string[] | null {
  return Array.isArray(x) ? x.map(String) : null;
}

function configOf(options: unknown): string {
  const config =
    options !== null && typeof options === 'object' ? (options as { indexConfig?: unknown }).indexConfig : undefined;
  if (config === null || config === undefined || typeof config !== 'object') return '{}';
  const entries = Object.keys(config)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${encodeValue((config as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** The schema as the server reports it now, sorted by name. */
export async function readSchema(session: Session): Promise<GraphSchema> {
  const idx = await session.run(
    `SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint, options, indexProvider,
            state, createStatement RETURN * ORDER BY name`,
  );
  const indexes: IndexDef[] = idx.records.map((r) => ({
    name: String(r.get('name')),
    type: String(r.get('type')),
    entityType: String(r.get('entityType')),
    labelsOrTypes: strings(r.get('labelsOrTypes')),
    properties: strings(r.get('properties')),
    owningConstraint: (r.get('owningConstraint') as string | null) ?? null,
    indexConfig: configOf(r.get('options')),
    indexProvider: (r.get('indexProvider') as string | null) ?? null,
    state: String(r.get('state')),
    createStatement: String(r.get('createStatement')),
  }));
  const con = await session.run(
    `SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties, propertyType, options, createStatement
     RETURN * ORDER BY name`,
  );
  const constraints: ConstraintDef[] = con.records.map((r) => ({
    name: String(r.get('name')),
    type: String(r.get('type')),
    entityType: String(r.get('entityType')),
    labelsOrTypes: strings(r.get('labelsOrTypes')),
    properties: strings(r.get('properties')),
    propertyType: (r.get('propertyType') as string | null) ?? null,
    indexConfig: configOf(r.get('options')),
    createStatement: String(r.get('createStatement')),
  }));
  return { indexes, constraints };
}

/**
 * Fingerprint entries of a schema: one per index and constraint, named by its (kept) name, digesting its definition.
 * The index provider is left out (a newer server may implement the same index with a newer provider); a FAILED
 * index digests differently from a working one, so a broken index in a restored copy shows up.
 */
export function schemaPrint(schema: GraphSchema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of schema.indexes) {
    const def = [i.type, i.entityType, i.labelsOrTypes, i.properties, i.owningConstraint, i.indexConfig];
    out[`index ${quoteName(i.name)}`] = digestOf(JSON.stringify(i.state === 'FAILED' ? ['FAILED', ...def] : def));
  }
  for (const c of schema.constraints) {
    const def = [c.type, c.entityType, c.labelsOrTypes, c.properties, c.propertyType, c.indexConfig];
    out[`constraint ${quoteName(c.name)}`] = digestOf(JSON.stringify(def));
  }
  return out;
}
