// The exit codes of the backdrill CLI, in one place (restic users know most of them). README's table is checked
// against this module by test/cli.test.ts.
import type { ErrorKind } from '../errors.ts';

export const ExitCode = {
  ok: 0,
  fatal: 1,
  usage: 2,
  integrity: 3,
  repositoryMissing: 10,
  lockHeld: 11,
  wrongKey: 12,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each code means, as README and `backdrill --help` print it. */
export const exitCodeMeanings: ReadonlyArray<readonly [ExitCode, string]> = [
  [ExitCode.ok, 'success'],
  [ExitCode.fatal, 'fatal error (unexpected failure)'],
  [ExitCode.usage, 'usage or configuration error'],
  [ExitCode.integrity, 'integrity, check or drill failure'],
  [ExitCode.repositoryMissing, 'repository does not exist'],
  [ExitCode.lockHeld, 'repository is locked by another operation'],
  [ExitCode.wrongKey, 'wrong password or key'],
];

export function exitCodeFor(kind: ErrorKind): ExitCode {
  switch (kind) {
    case 'usage':
      return ExitCode.usage;
    case 'integrity':
      return ExitCode.integrity;
    case 'repository-missing':
      return ExitCode.repositoryMissing;
    case 'lock-held':
      return ExitCode.lockHeld;
    case 'wrong-key':
      return ExitCode.wrongKey;
    case 'fatal':
      return ExitCode.fatal;
  }
}
