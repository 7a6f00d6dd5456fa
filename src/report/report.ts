// The drill report: one versioned JSON document (what `backdrill drill --json` prints, what the actions and the
// job summary consume, and what the repository keeps for trends). Validated with zod wherever it is read back.
import { z } from 'zod';

export const REPORT_VERSION = 1;

const Difference = z.object({
  area: z.enum(['schema', 'data']),
  object: z.string(),
  problem: z.enum(['missing', 'unexpected', 'changed', 'count']),
  message: z.string(),
});

export const StoreResult = z.object({
  store: z.string(),
  kind: z.string(),
  snapshot: z.string(),
  capturedAt: z.string().nullable(),
  serverVersion: z.string().nullable(),
  sandbox: z.object({ provider: z.string(), version: z.string() }).nullable(),
  /** Provisioning the sandbox, in ms. */
  provisionMs: z.number().nullable(),
  restore: z.object({
    ok: z.boolean(),
    ms: z.number().nullable(),
    error: z.string().nullable(),
    /** Objects that failed to restore (a partial restore). */
    failures: z.array(z.string()),
  }),
  fingerprint: z.object({ ok: z.boolean(), compared: z.boolean(), differences: z.array(Difference) }),
  size: z.number(),
});
export type StoreResult = z.infer<typeof StoreResult>;

export const CheckResult = z.object({
  name: z.string(),
  kind: z.enum(['query', 'rule']),
  stores: z.array(z.string()),
  ok: z.boolean(),
  message: z.string(),
  /** Up to 10 offending keys (rules). */
  samples: z.array(z.string()),
  counts: z.record(z.string(), z.number()).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

const Objective = z.object({ ms: z.number(), targetMs: z.number().nullable(), ok: z.boolean() });

export const DrillReport = z.object({
  version: z.literal(REPORT_VERSION),
  id: z.string(),
  repository: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  passed: z.boolean(),
  set: z.object({
    id: z.string().nullable(),
    time: z.string(),
    /** Largest difference between the stores' capture points. */
    skewMs: z.number(),
  }),
  stores: z.array(StoreResult),
  checks: z.array(CheckResult),
  /** Time from the start of the drill until every store was restored. */
  rto: Objective,
  /** Age of the backup set at the start of the drill. */
  rpo: Objective,
  /** Every reason the drill failed, one line each. */
  failures: z.array(z.string()),
  warnings: z.array(z.string()),
  /** Recent drills of this repository, oldest first, for trends. */
  history: z.array(z.object({ time: z.string(), rtoMs: z.number().nullable(), passed: z.boolean() })),
});
export type DrillReport = z.infer<typeof DrillReport>;
