// Sandboxes: throwaway servers a drill restores into. One interface, three providers (testcontainers on Docker
// hosts, local server binaries, external URLs); every sandbox has a readiness wait of its own and a disposal
// that runs whether the drill passed, failed or was interrupted.
import { z } from 'zod';
import type { StoreConfig } from '../config/schema.ts';
import type { CapturePoint } from '../stores/types.ts';

export const ProviderName = z.enum(['local', 'external', 'testcontainers']);
export type ProviderName = z.infer<typeof ProviderName>;

export interface Sandbox {
  store: string;
  provider: ProviderName;
  /** What a restore and a compare are pointed at (a URL with credentials the store's config does not hold). */
  target: string;
  /** Server version the sandbox runs, for the report. */
  version: string;
  /** Overrides for the store's config when talking to the sandbox (user, password, api key). */
  config: Partial<StoreConfig>;
  /** Stops the server and removes its files. Safe to call twice. */
  dispose(): Promise<void>;
}

export interface SandboxRequest {
  store: StoreConfig;
  /** What the snapshot recorded about the server: the sandbox runs the same version where it can. */
  capture: CapturePoint | undefined;
  signal?: AbortSignal;
}

export interface SandboxProvider {
  readonly name: ProviderName;
  provision(request: SandboxRequest): Promise<Sandbox>;
}

/** Disposes every sandbox even if some disposals fail; reports what could not be cleaned up. */
export async function disposeAll(sandboxes: Iterable<Sandbox>): Promise<string[]> {
  const problems: string[] = [];
  await Promise.all(
    [...sandboxes].map(async (s) => {
      try {
        await s.dispose();
      } catch (err) {
        problems.push(`sandbox of ${s.store}: ${(err as Error).message}`);
      }
    }),
  );
  return problems;
}
