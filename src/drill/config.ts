// The drill section of backdrill.yml and the duration syntax shared with it (30s, 15m, 2h, 1d).
import { z } from 'zod';
import { ProviderName } from './sandbox.ts';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration (use e.g. 90s, 15m, 2h, 1d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

export const Duration = z.string().regex(DURATION, 'a duration such as 90s, 15m, 2h or 1d');

export const DrillConfig = z
  .object({
    /** Where sandboxes come from; auto: testcontainers when Docker answers, else local binaries. */
    provider: z.union([ProviderName, z.literal('auto')]).default('auto'),
    /** Check files or folders of *.yml check files, relative to backdrill.yml. */
    checks: z.array(z.string()).default([]),
    /** external provider: the URL each store is restored into (e.g. GitHub service containers). */
    targets: z.record(z.string(), z.string()).default({}),
    /** Recovery time objective: the drill fails when restoring takes longer. */
    rto: Duration.optional(),
    /** Recovery point objective: the drill fails when the backup set is older than this. */
    rpo: Duration.optional(),
    /** A store whose restore takes longer is stopped and fails the drill. */
    restoreTimeout: Duration.default('1h'),
    /**
     * How long a sandbox may take to accept connections: an external target (a service container still starting)
     * or a server the local provider starts. Default: 2m for external targets, 1m for PostgreSQL, 3m for Neo4j.
     */
    readyTimeout: Duration.optional(),
    local: z
      .object({
        /** bin dir of PostgreSQL server binaries; default /usr/lib/postgresql/<recorded major>/bin. */
        postgresBinDir: z.string().optional(),
        /** A Neo4j installation (a home with lib/, or a folder of the server's jars). */
        neo4jHome: z.string().optional(),
        /** The qdrant server binary. */
        qdrantBinary: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type DrillConfig = z.infer<typeof DrillConfig>;
