// The backdrill CLI: global flags, subcommand dispatch, help generated from the command declarations, and the
// mapping of every error to an exit code and a message that says what to do.
import { parseArgs } from 'node:util';
import pkg from '../../package.json' with { type: 'json' };
import { isBackdrillError, UsageError } from '../errors.ts';
import { isStorageError } from '../storage/backend.ts';
import type { CliIO, Command } from './command.ts';
import { commands } from './commands/index.ts';
import { ExitCode, exitCodeFor, exitCodeMeanings } from './exit-codes.ts';

export const VERSION: string = pkg.version;

export function mainHelp(): string {
  const width = Math.max(8, ...commands.map((c) => c.name.length)) + 2;
  const lines = [
    'backdrill: encrypted, deduplicated backups of Neo4j, PostgreSQL and Qdrant, and restore drills that prove them.',
    '',
    'Usage: backdrill <command> [flags]',
    '       backdrill <command> --help',
    '',
    'Commands:',
    ...(commands.length > 0
      ? commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`)
      : ['  (none yet: the repository and store commands land with their issues)']),
    '',
    'Global flags:',
    '  -h, --help      show help (for a command: backdrill <command> --help)',
    '  -V, --version   print the version',
    '',
    'Exit codes:',
    ...exitCodeMeanings.map(([code, meaning]) => `  ${String(code).padEnd(4)}${meaning}`),
    '',
  ];
  return lines.join('\n');
}

export function commandHelp(cmd: Command): string {
  const flags = Object.entries(cmd.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return `  ${left.padEnd(30)}${o.description}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `Usage: ${cmd.usage}`,
    '',
    cmd.summary,
    ...(cmd.details ? ['', cmd.details.trimEnd()] : []),
    '',
    'Flags:',
    ...flags,
    `  ${'-h, --help'.padEnd(30)}show this help`,
    '',
  ].join('\n');
}

function parseCommandArgs(cmd: Command, argv: string[]) {
  const options = Object.fromEntries(
    Object.entries(cmd.options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(
      `${cmd.name}: ${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}`,
      `run \`backdrill ${cmd.name} --help\` for the flags it takes`,
    );
  }
  return parsed;
}

function checkPositionals(cmd: Command, positionals: string[]): void {
  const rest = cmd.positionals.at(-1)?.endsWith('...') ?? false;
  const required = cmd.positionals.filter((p) => !p.startsWith('[') && !p.endsWith('...')).length;
  const max = rest ? Number.POSITIVE_INFINITY : cmd.positionals.length;
  if (positionals.length < required) {
    throw new UsageError(
      `${cmd.name}: missing ${cmd.positionals.slice(positionals.length, required).join(' ')}`,
      `usage: ${cmd.usage}`,
    );
  }
  if (positionals.length > max) {
    throw new UsageError(`${cmd.name}: unexpected argument ${JSON.stringify(positionals[max])}`, `usage: ${cmd.usage}`);
  }
}

/** Runs the CLI with argv (without node and script) and returns the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const target = first === 'help' ? rest[0] : undefined;
      if (target !== undefined) {
        const cmd = commands.find((c) => c.name === target);
        if (!cmd) throw unknownCommand(target);
        io.stdout.write(commandHelp(cmd));
        return ExitCode.ok;
      }
      io.stdout.write(mainHelp());
      return first === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      io.stdout.write(`backdrill ${VERSION} (node ${process.version})\n`);
      return ExitCode.ok;
    }
    const cmd = commands.find((c) => c.name === first);
    if (!cmd) throw unknownCommand(first);
    const parsed = parseCommandArgs(cmd, rest);
    if (parsed.values.help) {
      io.stdout.write(commandHelp(cmd));
      return ExitCode.ok;
    }
    checkPositionals(cmd, parsed.positionals);
    return await cmd.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (err) {
    return reportError(err, io);
  }
}

function unknownCommand(name: string): UsageError {
  const hint = name.startsWith('-')
    ? 'global flags are --help and --version'
    : 'run `backdrill --help` for the commands';
  return new UsageError(`unknown command ${JSON.stringify(name)}`, hint);
}

export function reportError(err: unknown, io: CliIO): number {
  if (isBackdrillError(err)) {
    io.stderr.write(`backdrill: ${err.message}\n`);
    if (err.hint) io.stderr.write(`  ${err.hint}\n`);
    return exitCodeFor(err.kind);
  }
  if (isStorageError(err)) {
    io.stderr.write(`backdrill: storage error: ${err.message}\n`);
    const hint =
      err.code === 'permission'
        ? 'check the storage credentials and their permissions on the bucket or folder'
        : err.retryable
          ? 'the storage kept failing after retries; check its health and the network, then run again'
          : 'check the repository location and the storage';
    io.stderr.write(`  ${hint}\n`);
    return ExitCode.fatal;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`backdrill: unexpected error: ${e.message}\n`);
  if (io.env.BACKDRILL_DEBUG) io.stderr.write(`${e.stack ?? ''}\n`);
  else io.stderr.write('  set BACKDRILL_DEBUG=1 for a stack trace, and please report it\n');
  return ExitCode.fatal;
}
