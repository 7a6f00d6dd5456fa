// backdrill.yml section of a PostgreSQL store.
import { z } from 'zod';
import { StoreCommon } from '../common.ts';

export const PostgresStoreConfig = StoreCommon.extend({
  kind: z.literal('postgres'),
  /** postgresql://user:password@host:port/dbname (the database is where probes connect; default postgres). */
  url: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// URL'),
  /** Databases to back up; default: every database that accepts connections, except templates. */
  databases: z.array(z.string().min(1)).optional(),
  /** Databases to leave out. */
  exclude: z.array(z.string().min(1)).default([]),
  /** Also back up roles and tablespaces (pg_dumpall --globals-only). */
  globals: z.boolean().default(true),
  /** Include role passwords in the globals (only when asked: they are secrets). */
  rolePasswords: z.boolean().default(false),
  /** custom: one stream per database; directory: parallel dump (-j) for large databases. */
  format: z.enum(['custom', 'directory']).default('custom'),
  /** Parallel jobs for directory-format dumps and for pg_restore. */
  jobs: z.number().int().min(1).max(64).default(2),
  /** Directory with pg_dump / pg_restore / psql of the server's major version; default: found automatically. */
  binDir: z.string().optional(),
});
export type PostgresStoreConfig = z.infer<typeof PostgresStoreConfig>;
