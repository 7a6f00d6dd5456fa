// The contract every store adapter (postgres, neo4j, qdrant) implements. An adapter produces and consumes byte
// streams (artifacts) and fingerprints; it never touches the repository's storage, and the repository never
// knows what a store is. src/stores/run.ts ties the two together.
import { z } from 'zod';
import { BackdrillError } from '../errors.ts';
import type { ByteSource } from '../pipeline/chunker.ts';
import type { ByteRange } from '../repo/read.ts';
import type { Fingerprint } from './fingerprint.ts';

/** Where an adapter writes its artifacts during a backup. */
export interface ArtifactSink {
  /**
   * Stores one artifact stream completely; rejects (and no snapshot is written) on any error. `disposable`: each
   * buffer the source yields is fresh and nothing reads it after the next is asked for (a child's stdout), so the
   * repository frees it as soon as its bytes are chunked.
   */
  add(name: string, source: ByteSource, options?: { disposable?: boolean }): Promise<void>;
}

/** Where an adapter reads its artifacts during a restore. */
export interface ArtifactSource {
  names(): string[];
  /** Size in bytes of an artifact. */
  size(name: string): number;
  /**
   * Bytes of an artifact, each chunk authenticated before it is yielded. With `{ releaseConsumed: true }` each
   * chunk's memory is reused or freed when the next is asked for: only for stream.pipeline into a writable, or
   * code done with a chunk before it awaits the next. With `{ range }` only those bytes (just the chunks that hold
   * them).
   */
  open(name: string, options?: { releaseConsumed?: boolean; range?: ByteRange }): AsyncIterable<Buffer>;
  /**
   * The average size of the pieces the bytes are stored in, when they are (the repository's chunks): a range read
   * costs the pieces that hold it, so reading a few bytes of a large piece costs the whole piece.
   */
  averagePiece?: number;
  /** What the adapter recorded at backup time (StoreBackupResult.capture), when the source is a snapshot. */
  capture?: unknown;
}

/** What the store looked like when its backup was taken, recorded in the snapshot manifest. */
export const CapturePoint = z.object({
  /** ISO time the data is consistent as of (snapshot export time, transaction start, ...). */
  at: z.string(),
  /** Server version string as reported by the server (drills provision the same version). */
  serverVersion: z.string(),
  /** Store-specific detail: LSN, snapshot id, database list, edition, export counts before/after, ... */
  details: z.record(z.string(), z.unknown()),
});
export type CapturePoint = z.infer<typeof CapturePoint>;

export interface ProbeResult {
  kind: string;
  version: string;
  /** Store-specific facts: databases, extensions, sizes, edition, collections, ... */
  details: Record<string, unknown>;
}

export interface StoreBackupResult {
  capture: CapturePoint;
  fingerprint: Fingerprint;
  /** Things the user should know (e.g. the graph changed during a non-transactional export). */
  warnings: string[];
}

export interface RestoreOptions {
  /** Restore into a non-empty target (after the caller saved it as a safety snapshot). */
  force: boolean;
  /** Parallel jobs where the store supports them. */
  jobs?: number;
  signal?: AbortSignal;
}

export interface RestoreResult {
  warnings: string[];
  /** Wall seconds of each phase of the restore, in order (where the store reports them), for RTO breakdowns. */
  phases?: Record<string, number>;
}

/** Raised when a restore could not restore everything: a partial restore is a failed restore (exit 3). */
export class IncompleteRestoreError extends BackdrillError {
  constructor(
    summary: string,
    /** What failed, one line each (object names and the server's reason). */
    readonly failures: string[],
  ) {
    const shown = failures
      .slice(0, 20)
      .map((f) => `\n  - ${f}`)
      .join('');
    const more = failures.length > 20 ? `\n  ... and ${failures.length - 20} more` : '';
    super('integrity', `${summary}:${shown}${more}`, {
      hint: 'the target holds a partial restore: do not use it; fix the cause (missing extension, role, version) and restore again',
    });
    this.name = 'IncompleteRestoreError';
  }
}

export interface StoreAdapter<Target> {
  readonly kind: string;
  /** The store's name from backdrill.yml. */
  readonly name: string;
  probe(): Promise<ProbeResult>;
  /**
   * Turns the user's --target (a URL; undefined: the store's own url from backdrill.yml) into this store's
   * restore target for the artifacts of one snapshot (which databases / collections go where).
   */
  target(spec: string | undefined, source: ArtifactSource): Target;
  /** Backs the store up into artifacts; the fingerprint describes exactly the data in them. */
  backup(sink: ArtifactSink): Promise<StoreBackupResult>;
  /** Whether a restore target holds data already (a restore refuses a non-empty target unless forced). */
  targetIsEmpty(target: Target): Promise<boolean>;
  /** Backs up what a forced restore into `target` would replace, so it can be rolled back (a safety snapshot). */
  backupTarget(target: Target, sink: ArtifactSink): Promise<StoreBackupResult>;
  /** Restores artifacts into a target; throws IncompleteRestoreError when anything failed to restore. */
  restore(source: ArtifactSource, target: Target, options: RestoreOptions): Promise<RestoreResult>;
  /** Fingerprint of a live target, to compare with `recorded` (the one taken at backup time, whose method and
   * parameters it follows). */
  fingerprint(target: Target, recorded?: Fingerprint): Promise<Fingerprint>;
}
