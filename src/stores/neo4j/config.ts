// backdrill.yml section of a Neo4j store: where the server is, which databases, and how to back them up (an online
// logical export over Bolt, or neo4j-admin dump/load of the server's own files).
import { z } from 'zod';
import { StoreCommon } from '../common.ts';

export const NEO4J_URL = /^(bolt|neo4j)(\+s|\+ssc)?:\/\/[^/?#]+/;

export const Neo4jDumpConfig = z
  .object({
    /** NEO4J_HOME of the server (conf/neo4j.conf is read from it; neo4j-admin runs against it). */
    home: z.string().min(1),
    /** The neo4j-admin command as argv; default: <home>/bin/neo4j-admin. */
    adminCommand: z.array(z.string().min(1)).min(1).optional(),
    /** NEO4J_CONF for neo4j-admin; default: <home>/conf. */
    conf: z.string().min(1).optional(),
  })
  .strict();
export type Neo4jDumpConfig = z.infer<typeof Neo4jDumpConfig>;

export const Neo4jStoreConfig = StoreCommon.extend({
  kind: z.literal('neo4j'),
  /** bolt://host:7687, neo4j://host or neo4j+s://xxxx.databases.neo4j.io (Aura); no credentials in it. */
  url: z.string().regex(NEO4J_URL, 'expected a bolt://, neo4j://, bolt+s:// or neo4j+s:// URL'),
  user: z.string().min(1).default('neo4j'),
  /** Use ${ENV} interpolation, never a literal. Leave out only for a server with auth disabled. */
  password: z.string().optional(),
  /** Databases to back up; default: every online user database (Community has one: neo4j). */
  databases: z.array(z.string().min(1)).min(1).optional(),
  /**
   * logical: online export over Bolt (any edition, Aura included; not point-in-time under concurrent writes).
   * dump: neo4j-admin database dump/load of the server files (Community: the DBMS must be stopped).
   */
  mode: z.enum(['logical', 'dump']).default('logical'),
  /** Nodes or relationships per write transaction in a logical restore. */
  batchSize: z.number().int().min(100).max(100_000).default(10_000),
  /** Where the server files are, for dump mode. */
  dump: Neo4jDumpConfig.optional(),
}).superRefine((c, ctx) => {
  if (c.mode === 'dump' && !c.dump) {
    ctx.addIssue({
      code: 'custom',
      path: ['dump'],
      message: 'mode: dump needs dump.home (the NEO4J_HOME of the server; neo4j-admin must run on the same machine)',
    });
  }
});
export type Neo4jStoreConfig = z.infer<typeof Neo4jStoreConfig>;
