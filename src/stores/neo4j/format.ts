// The artifacts of a Neo4j snapshot. Logical mode writes, per database, four artifacts in this order:
//   databases/<db>/schema.json           indexes and constraints (GraphSchema) as the export began
//   databases/<db>/nodes.jsonl           one node a line: {"i":ref,"l":[labels],"p":{props}}
//   databases/<db>/relationships.jsonl   one relationship a line: {"s":ref,"e":ref,"t":type,"p":{props}}
//   databases/<db>/export.json           what the export saw (ExportRecord), written last
// (refs only tie relationships to nodes inside one export; values are encoded as values.ts describes).
// Dump mode writes databases/<db>.dump: the neo4j-admin database dump archive, byte for byte.
import { z } from 'zod';
import { BackdrillError } from '../../errors.ts';
import type { ArtifactSource } from '../types.ts';
import { GraphSchema } from './schema.ts';

export const LOGICAL_FORMAT = 'backdrill-neo4j-logical';

const dir = (db: string) => `databases/${encodeURIComponent(db)}/`;
export const artifacts = {
  schema: (db: string) => `${dir(db)}schema.json`,
  nodes: (db: string) => `${dir(db)}nodes.jsonl`,
  relationships: (db: string) => `${dir(db)}relationships.jsonl`,
  record: (db: string) => `${dir(db)}export.json`,
  dump: (db: string) => `databases/${encodeURIComponent(db)}.dump`,
};

export const SchemaFile = GraphSchema.extend({
  format: z.literal(LOGICAL_FORMAT),
  version: z.literal(1),
  database: z.string(),
});
export type SchemaFile = z.infer<typeof SchemaFile>;

export const GraphCounts = z.object({
  nodes: z.number().int().nonnegative(),
  relationships: z.number().int().nonnegative(),
});
export type GraphCounts = z.infer<typeof GraphCounts>;

/** What one database's logical export saw: the honest account of its consistency. */
export const ExportRecord = z.object({
  format: z.literal(LOGICAL_FORMAT),
  version: z.literal(1),
  database: z.string(),
  serverVersion: z.string(),
  edition: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Counts the server reported just before and just after the export. */
  before: GraphCounts,
  after: GraphCounts,
  /** What the export wrote (and the fingerprint describes). */
  exported: GraphCounts,
  /** Relationships left out because an endpoint node was created after the node scan. */
  skippedRelationships: z.number().int().nonnegative(),
  /** Whether the schema (indexes, constraints) differed at the end from what schema.json holds. */
  schemaChanged: z.boolean(),
  /** The graph changed while the export ran: the export is not a point-in-time copy. */
  changed: z.boolean(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export type SnapshotLayout = { mode: 'logical'; databases: string[] } | { mode: 'dump'; databases: string[] };

/** Which databases a snapshot holds, and in which mode it was taken. */
export function layoutOf(source: ArtifactSource): SnapshotLayout | undefined {
  const logical = new Set<string>();
  const dumps = new Set<string>();
  for (const n of source.names()) {
    const m = /^databases\/([^/]+)\/export\.json$/.exec(n);
    if (m) logical.add(decodeURIComponent(m[1]!));
    const d = /^databases\/([^/]+)\.dump$/.exec(n);
    if (d) dumps.add(decodeURIComponent(d[1]!));
  }
  if (logical.size > 0) return { mode: 'logical', databases: [...logical].sort() };
  if (dumps.size > 0) return { mode: 'dump', databases: [...dumps].sort() };
  return undefined;
}

/** Reads a small JSON artifact completely and validates it. */
export async function readJsonArtifact<T>(source: ArtifactSource, name: string, schema: z.ZodType<T>): Promise<T> {
  const parts: Buffer[] = [];
  for await (const b of source.open(name)) parts.push(b);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (err) {
    throw new BackdrillError('integrity', `artifact ${name} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackdrillError(
      'integrity',
      `artifact ${name}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
