// Every CLI command that exists, in the order `backdrill --help` lists them.
import type { Command } from '../command.ts';

export const commands: readonly Command[] = [];
