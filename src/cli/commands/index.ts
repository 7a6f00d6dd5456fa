// Every CLI command that exists, in the order `backdrill --help` lists them.
import type { Command } from '../command.ts';
import { backupCommand, dumpCommand } from './backup.ts';
import { drillCommand } from './drill.ts';
import { catCommand, initCommand, keyCommand, snapshotsCommand, unlockCommand, verifyCommand } from './repo.ts';
import { forgetCommand, pruneCommand } from './retention.ts';
import { compareCommand, restoreCommand } from './stores.ts';

export const commands: readonly Command[] = [
  initCommand,
  backupCommand,
  snapshotsCommand,
  dumpCommand,
  restoreCommand,
  compareCommand,
  drillCommand,
  verifyCommand,
  forgetCommand,
  pruneCommand,
  keyCommand,
  unlockCommand,
  catCommand,
];
