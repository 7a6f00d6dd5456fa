import { createRequire as __bdCreateRequire } from 'node:module'; const require = __bdCreateRequire(import.meta.url);

// src/cli/index.ts
import { isMainThread } from "node:worker_threads";

// src/cli/main.ts
import { parseArgs } from "node:util";

// package.json
var package_default = {
  name: "backdrill",
  version: "0.1.0",
  description: "Encrypted, deduplicated backups of Neo4j, PostgreSQL and Qdrant with restore drills that prove them, as GitHub Actions and a CLI.",
  license: "Apache-2.0",
  type: "module",
  bin: {
    backdrill: "bin/backdrill.js"
  },
  engines: {
    node: ">=22.15"
  },
  files: [
    "bin",
    "build",
    "actions",
    "dist",
    "schema"
  ],
  scripts: {
    build: "node scripts/build.mjs",
    "check-dist": "node scripts/build.mjs --check",
    typecheck: "tsc -p tsconfig.json --noEmit",
    lint: "biome check .",
    format: "biome check --write .",
    pretest: "node scripts/check-node.mjs && npm run lint && npm run typecheck",
    test: "vitest run",
    demo: "node scripts/check-node.mjs && node scripts/demo.mjs",
    backdrill: "tsx src/cli/index.ts"
  },
  devDependencies: {
    "@biomejs/biome": "2.5.15",
    "@types/node": "^24.19.2",
    "@types/pg": "^8.23.1",
    esbuild: "^0.28.2",
    node: "24.21.0",
    tsx: "^4.23.15",
    typescript: "^5.9.3",
    vitest: "^4.1.12"
  },
  allowScripts: {
    node: true,
    esbuild: true
  },
  dependencies: {
    "@aws-sdk/client-s3": "^3.1169.0",
    "@aws-sdk/lib-storage": "^3.1169.0",
    "neo4j-driver": "^6.3.0",
    pg: "^8.23.1",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  }
};

// src/errors.ts
var BackdrillError = class extends Error {
  kind;
  /** What the user can do about it, shown under the message. */
  hint;
  constructor(kind, message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = "BackdrillError";
    this.kind = kind;
    this.hint = options.hint;
  }
};
var UsageError = class extends BackdrillError {
  constructor(message, hint) {
    super("usage", message, hint === void 0 ? {} : { hint });
    this.name = "UsageError";
  }
};
function isBackdrillError(err) {
  return err instanceof BackdrillError;
}

// src/cli/commands/index.ts
var commands = [];

// src/cli/exit-codes.ts
var ExitCode = {
  ok: 0,
  fatal: 1,
  usage: 2,
  integrity: 3,
  repositoryMissing: 10,
  lockHeld: 11,
  wrongKey: 12
};
var exitCodeMeanings = [
  [ExitCode.ok, "success"],
  [ExitCode.fatal, "fatal error (unexpected failure)"],
  [ExitCode.usage, "usage or configuration error"],
  [ExitCode.integrity, "integrity, check or drill failure"],
  [ExitCode.repositoryMissing, "repository does not exist"],
  [ExitCode.lockHeld, "repository is locked by another operation"],
  [ExitCode.wrongKey, "wrong password or key"]
];
function exitCodeFor(kind) {
  switch (kind) {
    case "usage":
      return ExitCode.usage;
    case "integrity":
      return ExitCode.integrity;
    case "repository-missing":
      return ExitCode.repositoryMissing;
    case "lock-held":
      return ExitCode.lockHeld;
    case "wrong-key":
      return ExitCode.wrongKey;
    case "fatal":
      return ExitCode.fatal;
  }
}

// src/cli/main.ts
var VERSION = package_default.version;
function mainHelp() {
  const width = Math.max(8, ...commands.map((c) => c.name.length)) + 2;
  const lines = [
    "backdrill: encrypted, deduplicated backups of Neo4j, PostgreSQL and Qdrant, and restore drills that prove them.",
    "",
    "Usage: backdrill <command> [flags]",
    "       backdrill <command> --help",
    "",
    "Commands:",
    ...commands.length > 0 ? commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`) : ["  (none yet: the repository and store commands land with their issues)"],
    "",
    "Global flags:",
    "  -h, --help      show help (for a command: backdrill <command> --help)",
    "  -V, --version   print the version",
    "",
    "Exit codes:",
    ...exitCodeMeanings.map(([code, meaning]) => `  ${String(code).padEnd(4)}${meaning}`),
    ""
  ];
  return lines.join("\n");
}
function commandHelp(cmd) {
  const flags = Object.entries(cmd.options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`;
    return `  ${left.padEnd(30)}${o.description}${o.multiple ? " (repeatable)" : ""}`;
  });
  return [
    `Usage: ${cmd.usage}`,
    "",
    cmd.summary,
    ...cmd.details ? ["", cmd.details.trimEnd()] : [],
    "",
    "Flags:",
    ...flags,
    `  ${"-h, --help".padEnd(30)}show this help`,
    ""
  ].join("\n");
}
function parseCommandArgs(cmd, argv) {
  const options = Object.fromEntries(
    Object.entries(cmd.options).map(([name, o]) => [
      name,
      { type: o.type, ...o.short ? { short: o.short } : {}, ...o.multiple ? { multiple: true } : {} }
    ])
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true
    });
  } catch (err) {
    throw new UsageError(
      `${cmd.name}: ${err.message.replace(/\. To specify a positional.*$/s, "")}`,
      `run \`backdrill ${cmd.name} --help\` for the flags it takes`
    );
  }
  return parsed;
}
function checkPositionals(cmd, positionals) {
  const rest = cmd.positionals.at(-1)?.endsWith("...") ?? false;
  const required = cmd.positionals.filter((p) => !p.startsWith("[") && !p.endsWith("...")).length;
  const max = rest ? Number.POSITIVE_INFINITY : cmd.positionals.length;
  if (positionals.length < required) {
    throw new UsageError(
      `${cmd.name}: missing ${cmd.positionals.slice(positionals.length, required).join(" ")}`,
      `usage: ${cmd.usage}`
    );
  }
  if (positionals.length > max) {
    throw new UsageError(`${cmd.name}: unexpected argument ${JSON.stringify(positionals[max])}`, `usage: ${cmd.usage}`);
  }
}
async function main(argv, io) {
  try {
    const [first, ...rest] = argv;
    if (first === void 0 || first === "--help" || first === "-h" || first === "help") {
      const target = first === "help" ? rest[0] : void 0;
      if (target !== void 0) {
        const cmd2 = commands.find((c) => c.name === target);
        if (!cmd2) throw unknownCommand(target);
        io.stdout.write(commandHelp(cmd2));
        return ExitCode.ok;
      }
      io.stdout.write(mainHelp());
      return first === void 0 ? ExitCode.usage : ExitCode.ok;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      io.stdout.write(`backdrill ${VERSION} (node ${process.version})
`);
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
function unknownCommand(name) {
  const hint = name.startsWith("-") ? "global flags are --help and --version" : "run `backdrill --help` for the commands";
  return new UsageError(`unknown command ${JSON.stringify(name)}`, hint);
}
function reportError(err, io) {
  if (isBackdrillError(err)) {
    io.stderr.write(`backdrill: ${err.message}
`);
    if (err.hint) io.stderr.write(`  ${err.hint}
`);
    return exitCodeFor(err.kind);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`backdrill: unexpected error: ${e.message}
`);
  if (io.env.BACKDRILL_DEBUG) io.stderr.write(`${e.stack ?? ""}
`);
  else io.stderr.write("  set BACKDRILL_DEBUG=1 for a stack trace, and please report it\n");
  return ExitCode.fatal;
}

// src/cli/index.ts
if (isMainThread) {
  const code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: process.stderr.isTTY === true
  });
  process.exitCode = code;
}
