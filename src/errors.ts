// The error kinds every layer raises. Each names the thing at fault and what to do; the CLI and the actions map
// the kind to an exit code (src/cli/exit-codes.ts) and never print a stack trace for an expected failure.

export type ErrorKind =
  /** Anything unexpected: a bug, or an environment problem we have no better name for. */
  | 'fatal'
  /** Bad flags, bad config, bad input from the user. */
  | 'usage'
  /** Data is damaged or a check/drill failed: the repository or a restore cannot be trusted. */
  | 'integrity'
  | 'repository-missing'
  | 'lock-held'
  | 'wrong-key';

export class BackdrillError extends Error {
  readonly kind: ErrorKind;
  /** What the user can do about it, shown under the message. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BackdrillError';
    this.kind = kind;
    this.hint = options.hint;
  }
}

export class UsageError extends BackdrillError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

export function isBackdrillError(err: unknown): err is BackdrillError {
  return err instanceof BackdrillError;
}
