// The backdrill.yml schema: the repository, the stores (one section per kind, defined by each store), and
// later sections (retention, drills). schema/backdrill.schema.json is generated from it for editors.
import { z } from 'zod';
import { DrillConfig } from '../drill/config.ts';
import { RetentionPolicy } from '../retention/policy.ts';
import { Neo4jStoreConfig } from '../stores/neo4j/config.ts';
import { PostgresStoreConfig } from '../stores/postgres/config.ts';
import { QdrantStoreConfig } from '../stores/qdrant/config.ts';

export const RepositoryConfig = z
  .object({
    /** A folder, s3://bucket/prefix or s3:https://host:port/bucket/prefix. */
    location: z.string().min(1),
    /** The repository password; use ${ENV} interpolation, never a literal. */
    password: z.string().optional(),
    passwordFile: z.string().optional(),
    passwordCommand: z.string().optional(),
  })
  .strict();

// Each store kind adds its section here (one line per kind).
export const StoreConfig = z.discriminatedUnion('kind', [PostgresStoreConfig, QdrantStoreConfig, Neo4jStoreConfig]);
export type StoreConfig = z.infer<typeof StoreConfig>;

export const BackdrillConfig = z
  .object({
    version: z.literal(1),
    repository: RepositoryConfig,
    stores: z.array(StoreConfig).min(1, 'list at least one store'),
    /** Commands run around `backdrill backup` (quiesce writers before, resume after). */
    hooks: z
      .object({ pre: z.array(z.string()).default([]), post: z.array(z.string()).default([]) })
      .strict()
      .default({ pre: [], post: [] }),
    drill: DrillConfig.default(DrillConfig.parse({})),
    /** What `backdrill forget` keeps (docs/retention.md); flags override it. */
    retention: RetentionPolicy.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.stores.forEach((s, i) => {
      const first = seen.get(s.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['stores', i, 'name'],
          message: `duplicate store name "${s.name}" (also stores[${first}])`,
        });
      }
      seen.set(s.name, i);
    });
  });
export type BackdrillConfig = z.infer<typeof BackdrillConfig>;

export function configJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(BackdrillConfig, { io: 'input', unrepresentable: 'any' }) as object),
    $id: 'https://backdrill.dev/schema/backdrill.schema.json',
    title: 'backdrill.yml',
  };
}
