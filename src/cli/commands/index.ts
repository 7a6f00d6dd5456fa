// Every CLI command that exists, in the order `backdrill --help` lists them.
import type { Command } from '../command.ts';
import { backupCommand, dumpCommand } from './backup.ts';
import { catCommand, initCommand, keyCommand, snapshotsCommand, unlockCommand, verifyCommand } from './repo.ts';
import { compareCommand, restoreCommand } from './stores.ts';

export const commands: readonly Command[] = [
  initCommand,
  backupCommand,
  snapshotsCommand,
  dumpCommand,
  restoreCommand,
  compareCommand,
  verifyCommand,
  keyCommand,
  unlockCommand,
  catCommand,
];
