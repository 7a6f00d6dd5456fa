// How a CLI command is declared: its flags (node:util parseArgs specs with help text), its positional
// arguments and its run function. Help text is generated from these declarations, so it cannot drift.
import type { Readable, Writable } from 'node:stream';

export interface CliIO {
  stdin: Readable;
  /** stdin reads a file descriptor: each buffer it yields is fresh, and `backup --stdin` frees it once chunked. */
  stdinDisposable?: boolean;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** True when stderr is a terminal: progress is shown only then. */
  interactive: boolean;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in --help, e.g. "NAME". */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface Command {
  name: string;
  /** One line, shown in `backdrill --help`. */
  summary: string;
  /** e.g. "backdrill dump [flags] SNAPSHOT NAME" */
  usage: string;
  /** Longer text for `backdrill CMD --help`: environment, examples. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Names of positional arguments, in order; a trailing "..." takes the rest. */
  positionals: string[];
  run(args: { values: OptionValues; positionals: string[] }, io: CliIO): Promise<number>;
}
