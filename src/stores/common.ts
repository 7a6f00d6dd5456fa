// Config fields every store shares, and the store-name rule.
import { z } from 'zod';

export const STORE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const StoreCommon = z.object({
  /** Unique within backdrill.yml; recorded in snapshots and used by --store. */
  name: z.string().regex(STORE_NAME, 'use lowercase letters, digits, - and _ (at most 63, starting alphanumeric)'),
  /** Tags added to every snapshot of this store. */
  tags: z.array(z.string()).default([]),
});
