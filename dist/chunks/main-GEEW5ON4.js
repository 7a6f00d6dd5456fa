import { createRequire as __bdCreateRequire } from 'node:module'; import { fileURLToPath as __bdFileURLToPath } from 'node:url'; import { dirname as __bdDirname } from 'node:path'; const require = __bdCreateRequire(import.meta.url); const __filename = __bdFileURLToPath(import.meta.url); const __dirname = __bdDirname(__filename);
import {
  parseSubset,
  verifyRepository
} from "./chunk-J5TL6YBE.js";
import {
  runRetention
} from "./chunk-HAJ43HKX.js";
import {
  loadChecks,
  runDrill
} from "./chunk-4NRGZD7G.js";
import "./chunk-VOKAOIH6.js";
import {
  backupSet
} from "./chunk-XHNAJU57.js";
import {
  backupStreams,
  compareStore,
  findArtifact,
  readArtifact,
  restoreStore
} from "./chunk-CSRU5HLI.js";
import "./chunk-GFUANP3F.js";
import {
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_GRACE_MS,
  HEX64,
  LockRecord,
  ProviderName,
  Repository,
  RetentionPolicy,
  describeLock,
  describePolicy,
  formatBytes,
  formatLocal,
  formatPath,
  formatPhases,
  hasKeepRule,
  isStorageError,
  kdfFromEnv,
  layout,
  listAll,
  listLocks,
  loadConfig,
  normalizePolicy,
  openBackend,
  parseGrace,
  parseKeyFile,
  policyFromFlags,
  policyJson,
  renderMarkdown,
  snapshotSize,
  unlock,
  unwrapKeyFile,
  withLock
} from "./chunk-QIT5Z5FJ.js";
import "./chunk-UJ4HRMPL.js";
import "./chunk-GU6IFKOM.js";
import "./chunk-AWV2AHQ3.js";
import "./chunk-Q43U3EN7.js";
import "./chunk-HI5IRQ64.js";
import "./chunk-DRSBD567.js";
import "./chunk-Z5ZYMFWM.js";
import "./chunk-VBP2FRQE.js";
import {
  UsageError,
  isBackdrillError
} from "./chunk-KTEVNYR4.js";
import "./chunk-B5MALTEK.js";

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
    build: "node scripts/build-wasm.mjs && node scripts/build.mjs",
    "check-dist": "node scripts/build-wasm.mjs --check && node scripts/build.mjs --check",
    typecheck: "tsc -p tsconfig.json --noEmit",
    lint: "biome check .",
    format: "biome check --write .",
    pretest: "node scripts/check-node.mjs && npm run lint && npm run typecheck",
    test: "vitest run",
    "test:real-qdrant": "vitest run --config test/real/vitest.config.ts",
    demo: "node scripts/check-node.mjs && tsx scripts/demo.ts",
    backdrill: "tsx src/cli/index.ts",
    schema: "tsx scripts/gen-schema.ts",
    "bench:repo": "node bench/repo-backup.mjs",
    "bench:postgres": "node bench/postgres.mjs",
    "bench:neo4j": "node bench/neo4j.mjs"
  },
  devDependencies: {
    "@biomejs/biome": "2.5.15",
    "@octokit/openapi-types": "^29.0.1",
    "@types/node": "^24.19.2",
    "@types/pg": "^8.23.1",
    "@types/pg-copy-streams": "^1.2.5",
    esbuild: "^0.28.2",
    "fast-check": "^4.10.2",
    node: "24.21.0",
    tsx: "^4.23.15",
    typescript: "^5.9.3",
    vitest: "^4.1.12",
    wabt: "^1.0.39"
  },
  allowScripts: {
    node: true,
    esbuild: true
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@aws-sdk/client-s3": "^3.1169.0",
    "@aws-sdk/lib-storage": "^3.1169.0",
    "@qdrant/js-client-rest": "^1.19.0",
    "neo4j-driver": "^6.3.0",
    pg: "^8.23.1",
    "pg-copy-streams": "^7.0.0",
    testcontainers: "^11.14.0",
    yaml: "^2.9.1",
    zod: "^4.6.7"
  }
};

// src/cli/commands/backup.ts
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

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

// src/cli/progress.ts
function formatDuration(ms) {
  const s = Math.round(ms / 1e3);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
var Progress = class {
  constructor(io, label, total) {
    this.io = io;
    this.label = label;
    this.total = total;
  }
  io;
  label;
  total;
  started = Date.now();
  last = 0;
  shown = false;
  update(done, extra = "") {
    if (!this.io.interactive) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const secs = (now - this.started) / 1e3;
    const rate = secs > 0 ? done / secs : 0;
    let line = `${this.label} ${formatBytes(done)}`;
    if (this.total) {
      line += ` / ${formatBytes(this.total)} (${(100 * done / this.total).toFixed(1)}%)`;
      if (rate > 0) line += `, ETA ${formatDuration((this.total - done) / rate * 1e3)}`;
    }
    line += `, ${formatBytes(rate)}/s${extra ? `, ${extra}` : ""}`;
    this.io.stderr.write(`\r\x1B[K${line}`);
    this.shown = true;
  }
  done() {
    if (this.shown) this.io.stderr.write("\r\x1B[K");
  }
};

// src/cli/repo-options.ts
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
var repoOptions = {
  config: {
    type: "string",
    short: "c",
    value: "FILE",
    description: "backdrill.yml with the repository and the stores (env BACKDRILL_CONFIG; default ./backdrill.yml)"
  },
  repo: {
    type: "string",
    short: "r",
    value: "LOCATION",
    description: "repository: a folder, s3://bucket/prefix or s3:https://host/bucket (env BACKDRILL_REPOSITORY)"
  },
  "password-file": {
    type: "string",
    value: "FILE",
    description: "read the password from FILE (env BACKDRILL_PASSWORD_FILE)"
  },
  "password-command": {
    type: "string",
    value: "CMD",
    description: "run CMD and use its output as the password (env BACKDRILL_PASSWORD_COMMAND)"
  }
};
var repoEnvHelp = `Environment:
  BACKDRILL_REPOSITORY         repository location (instead of --repo)
  BACKDRILL_PASSWORD           the password
  BACKDRILL_PASSWORD_FILE      file holding the password
  BACKDRILL_PASSWORD_COMMAND   command printing the password
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_PROFILE, ...
                               S3 credentials: the standard AWS chain, so GitHub OIDC roles work`;
function str(values, name) {
  const v = values[name];
  return typeof v === "string" ? v : void 0;
}
function repoLocation(values, env, fromConfig) {
  const loc = str(values, "repo") || env.BACKDRILL_REPOSITORY || fromConfig?.location;
  if (!loc) {
    throw new UsageError("no repository given", "pass --repo LOCATION, set BACKDRILL_REPOSITORY, or use --config");
  }
  return loc;
}
function passwordFor(values, env, fromConfig) {
  const given = resolvePassword(values, env);
  if (given !== void 0 || !fromConfig) return given;
  return resolvePassword(
    { "password-file": fromConfig.passwordFile, "password-command": fromConfig.passwordCommand },
    { ...env, BACKDRILL_PASSWORD: fromConfig.password }
  );
}
function resolvePassword(values, env, names = { file: "password-file", command: "password-command" }, envPrefix = "BACKDRILL_PASSWORD") {
  const file = str(values, names.file) ?? env[`${envPrefix}_FILE`];
  const command = str(values, names.command) ?? env[`${envPrefix}_COMMAND`];
  if (file) {
    let text;
    try {
      text = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw new UsageError(
        `cannot read the password file ${file}: ${err.code ?? err.message}`,
        "check --password-file / BACKDRILL_PASSWORD_FILE"
      );
    }
    if (text === "") throw new UsageError(`the password file ${file} is empty`, "put the password in it");
    return text;
  }
  if (command) {
    const r = spawnSync("/bin/sh", ["-c", command], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env });
    if (r.status !== 0) {
      throw new UsageError(
        `the password command exited with code ${r.status ?? r.signal}`,
        "check --password-command / BACKDRILL_PASSWORD_COMMAND"
      );
    }
    const text = r.stdout.replace(/\r?\n$/, "");
    if (text === "") throw new UsageError("the password command printed nothing", "check --password-command");
    return text;
  }
  const direct = env[envPrefix];
  return direct === void 0 || direct === "" ? void 0 : direct;
}
function repositoryFromConfigFile(values, env) {
  const explicit = str(values, "config") ?? env.BACKDRILL_CONFIG;
  if (!explicit && !existsSync("backdrill.yml")) return void 0;
  return loadConfig(explicit ?? "backdrill.yml", env).config.repository;
}
async function openRepository(values, io, use = {}) {
  const { fromConfig } = use;
  const flagsOrEnv = str(values, "repo") || io.env.BACKDRILL_REPOSITORY;
  const settings = fromConfig ?? (flagsOrEnv ? void 0 : repositoryFromConfigFile(values, io.env));
  const location = repoLocation(values, io.env, settings);
  const password = passwordFor(values, io.env, settings);
  const backend = openBackend(location);
  try {
    const repo = await Repository.open(backend, {
      ...password === void 0 ? {} : { password },
      pipeline: use.pipeline === true
    });
    if (repo.weakKdf && io.env.BACKDRILL_INSECURE_TEST_KDF !== "1") {
      io.stderr.write(
        "warning: the key file for this password uses a weak KDF (made with BACKDRILL_INSECURE_TEST_KDF, a test setting); replace it with `backdrill key passwd`\n"
      );
    }
    return repo;
  } catch (err) {
    await backend.close();
    throw err;
  }
}
function initKdf(env) {
  return kdfFromEnv(env);
}
var noLockOption = {
  "no-lock": {
    type: "boolean",
    description: "do not take a shared lock (read-only storage); a concurrent prune may then cause false errors"
  }
};
async function withReadLock(repo, values, operation, fn) {
  if (values["no-lock"]) return fn();
  return withLock(repo, "shared", { operation }, fn);
}
async function withRepository(values, io, fn, use = {}) {
  const repo = await openRepository(values, io, use);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}
function configPath(values, env) {
  return str(values, "config") ?? env.BACKDRILL_CONFIG ?? "backdrill.yml";
}

// src/cli/commands/backup.ts
var NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+=-]{0,199}$/;
function parseRetryLock(text) {
  if (text === void 0) return 0;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new UsageError(`--retry-lock ${text}: expected a duration such as 30s, 5m or 1h`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5 }[m[2] ?? "s"];
  return Number(m[1]) * unit;
}
var backupCommand = {
  name: "backup",
  summary: "back up the stores of backdrill.yml (or standard input with --stdin) into the repository",
  usage: "backdrill backup [--config FILE] [--store NAME]... [flags]  |  backdrill backup --stdin --name NAME [flags]",
  details: `With backdrill.yml: backs up every store (or those named by --store) into one backup set, one
snapshot per store, each with the store's capture point and fingerprint. With --stdin: stores standard
input as the artifact NAME of one snapshot.

A snapshot becomes visible only when everything is stored: an interrupted backup leaves no snapshot
(only unreferenced chunks, which the next backup reuses and prune collects).

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    store: {
      type: "string",
      value: "NAME",
      multiple: true,
      description: "only this store (with --stdin: the store name recorded; default NAME)"
    },
    tag: { type: "string", value: "TAG", multiple: true, description: "tag the snapshot(s)" },
    set: {
      type: "string",
      value: "ID",
      description: "join backup set ID (matrix jobs backing up stores in parallel pass the same ID)"
    },
    stdin: { type: "boolean", description: "read the data to back up from standard input" },
    name: { type: "string", value: "NAME", description: "with --stdin: the artifact name (e.g. dump.sql)" },
    "retry-lock": { type: "string", value: "DURATION", description: "wait up to DURATION for a conflicting lock" },
    json: {
      type: "boolean",
      description: "print {snapshot_id, bytes_processed, bytes_added, chunks_new, chunks_reused, duration_ms} (--stdin), or {backup_set, snapshots: [...]}"
    }
  },
  positionals: [],
  async run({ values }, io) {
    const tags = values.tag ?? [];
    for (const t of tags) {
      if (!NAME_RE.test(t)) throw new UsageError(`--tag ${JSON.stringify(t)}: use letters, digits and . _ @ + = -`);
    }
    const waitMs = parseRetryLock(values["retry-lock"]);
    if (values.set !== void 0 && !/^[A-Za-z0-9._-]{1,64}$/.test(values.set)) {
      throw new UsageError(`--set ${JSON.stringify(values.set)}: use up to 64 letters, digits and . _ -`);
    }
    if (values.stdin) return backupStdin(values, io, tags, waitMs);
    if (values.name)
      throw new UsageError("--name goes with --stdin", "store backups take their names from backdrill.yml");
    const { config } = loadConfig(configPath(values, io.env), io.env);
    const wanted = values.store ?? [];
    const unknown = wanted.filter((w) => !config.stores.some((s) => s.name === w));
    if (unknown.length > 0) {
      throw new UsageError(
        `--store ${unknown.join(", ")}: no such store in the config`,
        `stores: ${config.stores.map((s) => s.name).join(", ")}`
      );
    }
    const stores = config.stores.filter((s) => wanted.length === 0 || wanted.includes(s.name));
    return withRepository(
      values,
      io,
      async (repo) => {
        const progress = /* @__PURE__ */ new Map();
        const run = await backupSet(repo, config, stores, {
          tags,
          waitMs,
          ...values.set ? { backupSet: values.set } : {},
          env: io.env,
          log: (line) => io.stderr.write(`${line}
`),
          onProgress: (store, p) => {
            const bar = progress.get(store) ?? new Progress(io, `backup ${store}`);
            progress.set(store, bar);
            bar.update(p.bytesProcessed, `${formatBytes(p.bytesAdded)} added`);
          }
        });
        for (const bar of progress.values()) bar.done();
        const results = run.snapshots;
        for (const { snapshot, warnings } of results) {
          for (const w of warnings) io.stderr.write(`warning: ${w}
`);
          if (!values.json) {
            const st = snapshot.stats;
            io.stdout.write(
              `${snapshot.store.name}: snapshot ${snapshot.id.slice(0, 8)} saved, ${formatBytes(st.bytesProcessed)} processed, ${formatBytes(st.bytesAdded)} added in ${(snapshot.timings.durationMs / 1e3).toFixed(1)} s
`
            );
          }
        }
        const backupSetId = run.backupSet;
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({
              backup_set: backupSetId,
              snapshots: results.map(({ snapshot, warnings }) => ({
                store: snapshot.store.name,
                kind: snapshot.store.kind,
                ...stats(snapshot),
                warnings
              }))
            })}
`
          );
        }
        return ExitCode.ok;
      },
      { fromConfig: config.repository, pipeline: true }
    );
  }
};
function stats(snap) {
  return {
    snapshot_id: snap.id,
    bytes_processed: snap.stats.bytesProcessed,
    bytes_added: snap.stats.bytesAdded,
    chunks_new: snap.stats.chunksNew,
    chunks_reused: snap.stats.chunksReused,
    duration_ms: snap.timings.durationMs
  };
}
async function backupStdin(values, io, tags, waitMs) {
  const name = values.name;
  if (!name) throw new UsageError("backup --stdin needs --name NAME", "e.g. --name db.dump");
  if (!NAME_RE.test(name)) {
    throw new UsageError(`--name ${JSON.stringify(name)}: use letters, digits and . _ @ + = - (at most 200)`);
  }
  const store = (values.store ?? [])[0] ?? name;
  return withRepository(
    values,
    io,
    async (repo) => {
      const progress = new Progress(io, "backup");
      const snap = await backupStreams(
        repo,
        [{ name, source: io.stdin, disposable: io.stdinDisposable === true }],
        { store: { name: store, kind: "stream" }, tags },
        { waitMs, onProgress: (p) => progress.update(p.bytesProcessed, `${formatBytes(p.bytesAdded)} added`) }
      );
      progress.done();
      const s = snap.stats;
      if (values.json) {
        io.stdout.write(`${JSON.stringify(stats(snap))}
`);
      } else {
        io.stdout.write(
          `snapshot ${snap.id.slice(0, 8)} saved: ${formatBytes(s.bytesProcessed)} processed, ${formatBytes(s.bytesAdded)} added (${s.chunksNew} new, ${s.chunksReused} reused chunks) in ${(snap.timings.durationMs / 1e3).toFixed(1)} s
`
        );
      }
      return ExitCode.ok;
    },
    { pipeline: true }
  );
}
var dumpCommand = {
  name: "dump",
  summary: "write an artifact of a snapshot to standard output or a file",
  usage: "backdrill dump [flags] SNAPSHOT NAME",
  details: `SNAPSHOT is an ID, a unique prefix of one, or "latest". Every chunk is authenticated and re-hashed
before its bytes are written; on damage dump stops with exit 3. With --output the file appears only
when it is complete and correct.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    ...noLockOption,
    output: { type: "string", short: "o", value: "FILE", description: "write to FILE (atomically) instead of stdout" }
  },
  positionals: ["SNAPSHOT", "NAME"],
  async run({ values, positionals }, io) {
    const [ref, name] = positionals;
    return withRepository(
      values,
      io,
      async (repo) => withReadLock(repo, values, "dump", async () => {
        const snap = await repo.loadSnapshot(ref);
        const artifact = findArtifact(snap, name);
        const progress = new Progress(io, "dump", artifact.size);
        let done = 0;
        const source = async function* () {
          for await (const chunk of readArtifact(repo, artifact, { releaseConsumed: true })) {
            done += chunk.length;
            progress.update(done);
            yield chunk;
          }
        };
        const output = values.output;
        if (output) {
          const tmp = join(dirname(output), `.${randomBytes(6).toString("hex")}.backdrill-partial`);
          try {
            await pipeline(source(), createWriteStream(tmp, { flags: "wx" }));
            await rename(tmp, output);
          } catch (err) {
            await unlink(tmp).catch(() => {
            });
            throw err;
          }
        } else {
          await pipeline(source(), nonClosing(io.stdout));
        }
        progress.done();
        return ExitCode.ok;
      }),
      { pipeline: true }
    );
  }
};
function nonClosing(out) {
  return new Writable({
    write(chunk, _enc, cb) {
      if (out.write(chunk)) cb();
      else out.once("drain", () => cb());
    }
  });
}

// src/cli/commands/drill.ts
import { writeFileSync } from "node:fs";
import { dirname as dirname2 } from "node:path";
var drillCommand = {
  name: "drill",
  summary: "restore a backup set into throwaway servers and check it (RTO, RPO, fingerprints, checks)",
  usage: "backdrill drill [SET] [flags]",
  details: `SET is a backup set ID or prefix; default: the newest set holding every store of backdrill.yml.
Each store is restored into a sandbox (drill.provider: local server binaries, external URLs from
drill.targets, Docker containers through testcontainers, or auto: testcontainers where a Docker host
answers, else local), each sandbox waited for (drill.readyTimeout), its fingerprint compared with the one recorded at backup time, then
the checks of drill.checks run (queries with expected results, cross-store key rules). RTO (time until
every store is restored) and RPO (age of the set) are measured against drill.rto / drill.rpo. The result
is recorded in the repository. Exit 0 when the drill passed, 3 when anything failed (each failure named).

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    before: { type: "string", value: "TIME", description: "drill the newest set taken before TIME (ISO 8601)" },
    provider: {
      type: "string",
      value: "NAME",
      description: "local | external | testcontainers (overrides drill.provider)"
    },
    json: { type: "boolean", description: "print the report as JSON (versioned schema, see docs/drills.md)" },
    markdown: { type: "string", value: "FILE", description: "also write the Markdown report to FILE" },
    "report-json": { type: "string", value: "FILE", description: "also write the JSON report to FILE" },
    "no-record": { type: "boolean", description: "do not record the result in the repository" }
  },
  positionals: ["[SET]"],
  async run({ values, positionals }, io) {
    const loaded = loadConfig(configPath(values, io.env), io.env);
    const drill = { ...loaded.config.drill };
    if (values.provider !== void 0) {
      const p = ProviderName.safeParse(values.provider);
      if (!p.success) throw new UsageError(`--provider ${values.provider}: use local, external or testcontainers`);
      drill.provider = p.data;
    }
    let before;
    if (values.before !== void 0) {
      before = new Date(values.before);
      if (Number.isNaN(before.getTime())) throw new UsageError(`--before ${values.before}: not a date (use ISO 8601)`);
    }
    const checks = loadChecks(drill.checks, dirname2(loaded.path));
    return withRepository(
      values,
      io,
      async (repo) => {
        const report2 = await runDrill(repo, {
          config: loaded.config,
          drill,
          checks,
          ...positionals[0] ? { set: positionals[0] } : {},
          ...before ? { before } : {},
          record: !values["no-record"],
          log: (line) => io.stderr.write(`${line}
`)
        });
        const markdown = renderMarkdown(report2);
        if (values.markdown) writeFileSync(values.markdown, markdown);
        if (values["report-json"])
          writeFileSync(values["report-json"], `${JSON.stringify(report2, null, 2)}
`);
        io.stdout.write(values.json ? `${JSON.stringify(report2, null, 2)}
` : markdown);
        return report2.passed ? ExitCode.ok : ExitCode.integrity;
      },
      { fromConfig: loaded.config.repository, pipeline: true }
    );
  }
};

// src/cli/commands/repo.ts
function print(io, text) {
  io.stdout.write(text.endsWith("\n") ? text : `${text}
`);
}
function json(io, value) {
  io.stdout.write(`${JSON.stringify(value, null, 2)}
`);
}
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i])).join("  ")).join("\n");
}
var initCommand = {
  name: "init",
  summary: "create a new repository",
  usage: "backdrill init [flags]",
  details: `Creates an encrypted repository (AES-256-GCM, keys wrapped with scrypt) at --repo. An unencrypted one
must be asked for with --encryption none. init checks that the storage honours conditional writes
(If-None-Match) and warns when it does not.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    encryption: { type: "string", value: "MODE", description: "aes-256-gcm (default) or none" },
    "compression-level": {
      type: "string",
      value: "N",
      description: `zstd level 1-22 (default ${DEFAULT_COMPRESSION_LEVEL})`
    },
    json: { type: "boolean", description: "print the result as JSON" }
  },
  positionals: [],
  async run({ values }, io) {
    const location = repoLocation(values, io.env);
    const encryption = values.encryption ?? "aes-256-gcm";
    if (encryption !== "aes-256-gcm" && encryption !== "none") {
      throw new UsageError(`--encryption ${encryption}: unknown mode`, "use aes-256-gcm (the default) or none");
    }
    const levelText = values["compression-level"];
    const level = levelText === void 0 ? DEFAULT_COMPRESSION_LEVEL : Number(levelText);
    if (!Number.isInteger(level) || level < 1 || level > 22) {
      throw new UsageError(`--compression-level ${levelText}: expected a whole number from 1 to 22`);
    }
    const password = resolvePassword(values, io.env);
    if (encryption === "none" && password !== void 0) {
      throw new UsageError(
        "--encryption none was asked for, but a password is configured",
        "unset the password, or drop --encryption none"
      );
    }
    const backend = openBackend(location);
    try {
      const { repo, warnings } = await Repository.init(backend, {
        ...password === void 0 ? {} : { password },
        encryption,
        compressionLevel: level,
        kdf: initKdf(io.env)
      });
      for (const w of warnings) io.stderr.write(`warning: ${w}
`);
      if (io.env.BACKDRILL_INSECURE_TEST_KDF === "1") {
        io.stderr.write(
          "warning: BACKDRILL_INSECURE_TEST_KDF=1: the key file uses a cheap KDF meant for test suites\n"
        );
      }
      if (values.json)
        json(io, {
          id: repo.id,
          location: repo.location,
          encryption,
          conditional_writes: repo.config.conditionalWrites
        });
      else
        print(
          io,
          `created ${encryption === "none" ? "UNENCRYPTED " : ""}repository ${repo.id.slice(0, 10)} at ${repo.location}`
        );
      return ExitCode.ok;
    } finally {
      await backend.close();
    }
  }
};
var snapshotsCommand = {
  name: "snapshots",
  summary: "list snapshots",
  usage: "backdrill snapshots [flags]",
  details: repoEnvHelp,
  options: {
    ...repoOptions,
    store: { type: "string", value: "NAME", description: "only snapshots of this store" },
    tag: { type: "string", value: "TAG", multiple: true, description: "only snapshots with this tag" },
    json: { type: "boolean", description: "print a JSON array of {id, time, store, kind, tags, size, backup_set}" }
  },
  positionals: [],
  async run({ values }, io) {
    return withRepository(values, io, async (repo) => {
      const { snapshots, damaged } = await repo.listSnapshots();
      const tags = values.tag ?? [];
      const shown = snapshots.filter(
        (s) => (!values.store || s.store.name === values.store) && tags.every((t) => s.tags.includes(t))
      );
      for (const d of damaged) io.stderr.write(`warning: cannot read ${d.key}: ${d.message}
`);
      if (values.json) {
        json(
          io,
          shown.map((s) => ({
            id: s.id,
            time: s.time,
            store: s.store.name,
            kind: s.store.kind,
            tags: s.tags,
            size: snapshotSize(s),
            backup_set: s.backupSet
          }))
        );
        return ExitCode.ok;
      }
      if (shown.length === 0) {
        print(io, "no snapshots");
        return ExitCode.ok;
      }
      const rows = [["ID", "Time", "Store", "Kind", "Tags", "Size", "Set"]];
      for (const s of shown) {
        rows.push([
          s.id.slice(0, 8),
          s.time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
          s.store.name,
          s.store.kind,
          s.tags.join(","),
          formatBytes(snapshotSize(s)),
          s.backupSet?.slice(0, 8) ?? ""
        ]);
      }
      print(io, `${table(rows)}
${shown.length} snapshot(s)`);
      return ExitCode.ok;
    });
  }
};
var verifyCommand = {
  name: "verify",
  summary: "check that the repository is intact (structure, or all data with --read-data)",
  usage: "backdrill verify [flags]",
  details: `Without flags: every snapshot manifest is read and authenticated and every chunk it references
must exist with the recorded size. --read-data also downloads, decrypts and re-hashes the chunks;
--read-data-subset n/t reads one slice of t (run 1/7 .. 7/7 on successive days to cover everything
in a week), N% a random sample. Exit 3 when anything is damaged, naming the affected snapshots.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    ...noLockOption,
    "read-data": { type: "boolean", description: "download and check every chunk" },
    "read-data-subset": { type: "string", value: "n/t|N%", description: "download and check a subset of chunks" },
    json: { type: "boolean", description: "print {ok, errors: [{object, snapshots, message}], ...} as JSON" }
  },
  positionals: [],
  async run({ values }, io) {
    const subsetText = values["read-data-subset"];
    const subset = subsetText === void 0 ? void 0 : parseSubset(subsetText);
    const readData = Boolean(values["read-data"]) || subset !== void 0;
    return withRepository(
      values,
      io,
      async (repo) => {
        const result = await withReadLock(
          repo,
          values,
          "verify",
          () => verifyRepository(repo, {
            readData,
            ...subset ? { subset } : {},
            onProgress: (done, total) => {
              if (io.interactive) io.stderr.write(`\r\x1B[Kreading chunks ${done}/${total}`);
            }
          })
        );
        if (io.interactive) io.stderr.write("\r\x1B[K");
        if (values.json) {
          json(io, {
            ok: result.ok,
            errors: result.errors,
            snapshots: result.snapshots,
            chunks: result.chunks,
            chunks_read: result.chunksRead,
            bytes_read: result.bytesRead,
            unreferenced_chunks: result.unreferenced
          });
        } else {
          for (const e of result.errors) {
            io.stderr.write(
              `error: ${e.object}: ${e.message} (snapshots: ${e.snapshots.map((s) => s.slice(0, 8)).join(", ")})
`
            );
          }
          print(
            io,
            `${result.snapshots} snapshot(s), ${result.chunks} chunk(s) referenced` + (result.chunksRead ? `, ${result.chunksRead} read (${formatBytes(result.bytesRead)})` : "") + (result.unreferenced ? `, ${result.unreferenced} unreferenced (prune collects them)` : "") + (result.ok ? ": no errors" : `: ${result.errors.length} error(s)`)
          );
        }
        return result.ok ? ExitCode.ok : ExitCode.integrity;
      },
      { pipeline: readData }
    );
  }
};
var keyCommand = {
  name: "key",
  summary: "manage the key files (passwords) that open the repository: list, add, remove, passwd",
  usage: "backdrill key list|add|remove ID|passwd [flags]",
  details: `add and passwd take the new password from --new-password-file or BACKDRILL_NEW_PASSWORD(_FILE|_COMMAND).
passwd adds a key file for the new password and removes the one the current password opened.
Data is never re-encrypted: every key file wraps the same master keys.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    "new-password-file": { type: "string", value: "FILE", description: "file holding the new password" },
    "new-password-command": { type: "string", value: "CMD", description: "command printing the new password" },
    json: { type: "boolean", description: "print as JSON (list)" }
  },
  positionals: ["ACTION", "[ID]"],
  async run({ values, positionals }, io) {
    const [action, id] = positionals;
    if (!["list", "add", "remove", "passwd"].includes(action)) {
      throw new UsageError(`key ${action}: unknown action`, "use key list, key add, key remove ID or key passwd");
    }
    return withRepository(values, io, async (repo) => {
      const keys = await listAll(repo.backend, layout.keysPrefix);
      if (action === "list") {
        const rows = [["ID", "User", "Host", "Created"]];
        const out = [];
        for (const k of keys) {
          const file = parseKeyFile(await repo.backend.get(k.key), k.key);
          const kid = k.key.slice(layout.keysPrefix.length);
          out.push({ id: kid, username: file.username, hostname: file.hostname, created: file.created });
          rows.push([kid.slice(0, 8), file.username, file.hostname, file.created]);
        }
        if (values.json) json(io, out);
        else print(io, table(rows));
        return ExitCode.ok;
      }
      if (action === "remove") {
        if (!id) throw new UsageError("key remove: which key?", "give its ID (see `backdrill key list`)");
        const matches = keys.filter((k) => k.key.slice(layout.keysPrefix.length).startsWith(id));
        if (matches.length !== 1) {
          throw new UsageError(`key remove ${id}: ${matches.length === 0 ? "no such key" : "ambiguous prefix"}`);
        }
        if (keys.length === 1) {
          throw new UsageError("refusing to remove the last key file: the repository could never be opened again");
        }
        await repo.backend.delete(matches[0].key);
        print(io, `removed key ${matches[0].key.slice(layout.keysPrefix.length, layout.keysPrefix.length + 8)}`);
        return ExitCode.ok;
      }
      const newPassword = resolvePassword(
        values,
        io.env,
        { file: "new-password-file", command: "new-password-command" },
        "BACKDRILL_NEW_PASSWORD"
      );
      if (!newPassword) {
        throw new UsageError("no new password given", "pass --new-password-file FILE or set BACKDRILL_NEW_PASSWORD");
      }
      const newId = await repo.addKey(newPassword, initKdf(io.env));
      if (action === "passwd") {
        const current = resolvePassword(values, io.env);
        for (const k of keys) {
          const file = parseKeyFile(await repo.backend.get(k.key), k.key);
          if (await unwrapKeyFile(file, current)) await repo.backend.delete(k.key);
        }
        print(io, `password changed (new key ${newId.slice(0, 8)})`);
      } else {
        print(io, `added key ${newId.slice(0, 8)}`);
      }
      return ExitCode.ok;
    });
  }
};
var unlockCommand = {
  name: "unlock",
  summary: "remove stale locks (all locks with --remove-all)",
  usage: "backdrill unlock [flags]",
  details: `A lock is stale when it expired (its holder stopped refreshing it) or its process is gone from this
host. Live locks are listed and left alone unless --remove-all is given: removing a live lock lets
prune delete chunks a running backup still needs.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    "remove-all": { type: "boolean", description: "remove every lock, live ones too (dangerous)" }
  },
  positionals: [],
  async run({ values }, io) {
    return withRepository(values, io, async (repo) => {
      const removed = await unlock(repo, Boolean(values["remove-all"]));
      for (const l of removed) print(io, `removed ${describeLock(l)}`);
      const left = await listLocks(repo);
      for (const l of left) print(io, `kept ${describeLock(l)}`);
      if (removed.length === 0 && left.length === 0) print(io, "no locks");
      return ExitCode.ok;
    });
  }
};
var catCommand = {
  name: "cat",
  summary: "print a decrypted repository object, for debugging: config, snapshot ID, key ID, lock ID, locks",
  usage: "backdrill cat config|snapshot ID|key ID|lock ID|locks [flags]",
  details: repoEnvHelp,
  options: { ...repoOptions },
  positionals: ["WHAT", "[ID]"],
  async run({ values, positionals }, io) {
    const [what, id] = positionals;
    return withRepository(values, io, async (repo) => {
      switch (what) {
        case "config": {
          const { chunkIdKey: _secret, ...shown } = repo.config;
          json(io, shown);
          return ExitCode.ok;
        }
        case "snapshot": {
          const s = await repo.loadSnapshot(need(id, "snapshot"));
          json(io, s);
          return ExitCode.ok;
        }
        case "key": {
          const k = (await listAll(repo.backend, layout.keysPrefix)).filter(
            (o) => o.key.slice(layout.keysPrefix.length).startsWith(need(id, "key"))
          );
          if (k.length !== 1) throw new UsageError(`key ${id}: ${k.length === 0 ? "no such key" : "ambiguous"}`);
          json(io, parseKeyFile(await repo.backend.get(k[0].key), k[0].key));
          return ExitCode.ok;
        }
        case "lock": {
          const lid = need(id, "lock");
          if (!HEX64.test(lid)) throw new UsageError("cat lock needs the full lock ID (see `backdrill cat locks`)");
          json(io, await repo.getJson("lock", lid, layout.lock(lid), LockRecord));
          return ExitCode.ok;
        }
        case "locks": {
          const locks = await listLocks(repo);
          json(
            io,
            locks.map((l) => ({ id: l.id, stale: l.stale, description: describeLock(l), record: l.record ?? null }))
          );
          return ExitCode.ok;
        }
        default:
          throw new UsageError(`cat ${what}: unknown object type`, "use config, snapshot ID, key ID, lock ID or locks");
      }
    });
  }
};
function need(id, what) {
  if (!id) throw new UsageError(`cat ${what}: missing ID`);
  return id;
}

// src/cli/commands/retention.ts
import { existsSync as existsSync2 } from "node:fs";
async function withRepo(values, io, fn) {
  const repo = await openRepository(values, io);
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}
var str2 = (values, name) => values[name];
var commonOptions = {
  "dry-run": { type: "boolean", short: "n", description: "print the plan and what would be freed; change nothing" },
  "retry-lock": { type: "string", value: "DURATION", description: "wait up to DURATION for a conflicting lock" },
  verbose: { type: "boolean", short: "v", description: "report each step on stderr (lock, plan, deletions)" },
  json: { type: "boolean", description: "print the plan and the result as JSON" }
};
var graceOption = {
  grace: {
    type: "string",
    value: "DURATION",
    description: "delete unreferenced chunks only when older than this (default 1h; 0s, 30m, 2h, 1d)"
  }
};
function configuredRetention(values, env) {
  const keepFlag = Object.keys(values).some((k) => k.startsWith("keep-") && values[k] !== void 0);
  if (keepFlag && values.grace !== void 0) return void 0;
  const explicit = str2(values, "config") ?? env.BACKDRILL_CONFIG;
  if (!explicit && !existsSync2("backdrill.yml")) return void 0;
  const path = explicit ?? "backdrill.yml";
  const section = loadConfig(path, env).config.retention;
  if (section === void 0) return void 0;
  const r = RetentionPolicy.safeParse(section);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UsageError(
    `${path}: ${formatPath(["retention", ...issue.path])}: ${issue.message}`,
    "see docs/retention.md"
  );
}
function graceMs(values, config) {
  const text = str2(values, "grace") ?? config?.grace;
  if (text === void 0) return DEFAULT_GRACE_MS;
  const r = parseGrace(text);
  if (!r.ok) throw new UsageError(`--grace ${JSON.stringify(text)}: ${r.message}`);
  return r.value;
}
function resolvePolicy(values, config) {
  const keepFlags = {
    keepLast: str2(values, "keep-last"),
    keepHourly: str2(values, "keep-hourly"),
    keepDaily: str2(values, "keep-daily"),
    keepWeekly: str2(values, "keep-weekly"),
    keepMonthly: str2(values, "keep-monthly"),
    keepYearly: str2(values, "keep-yearly"),
    keepWithin: str2(values, "keep-within"),
    keepTag: values["keep-tag"]
  };
  const fromFlags = Object.values(keepFlags).some((v) => v !== void 0);
  const flags = policyFromFlags({
    ...keepFlags,
    groupBy: str2(values, "group-by"),
    timezone: str2(values, "timezone")
  });
  const base = fromFlags ? { ...flags } : { ...config ?? {} };
  const groupBy = flags.groupBy ?? config?.groupBy;
  const timezone = flags.timezone ?? config?.timezone;
  if (groupBy !== void 0) base.groupBy = groupBy;
  if (timezone !== void 0) base.timezone = timezone;
  const policy = normalizePolicy(base);
  if (!hasKeepRule(policy)) {
    throw new UsageError(
      "forget: no retention policy given: refusing to forget every snapshot",
      "give at least one keep rule, e.g. --keep-daily 7 --keep-weekly 5 --keep-monthly 12 (or a retention section in backdrill.yml); to delete only unreferenced data, run `backdrill prune`"
    );
  }
  if (policy.groupBy === "set" && values.store !== void 0) {
    throw new UsageError(
      "--group-by set contradicts --store: a backup set spans stores and is kept or forgotten as a whole",
      "drop --store to judge whole sets, or use --group-by store to judge one store"
    );
  }
  return policy;
}
function eventPrinter(io, values) {
  let lastCollect = 0;
  return (e) => {
    if (!values.verbose && !io.interactive) return;
    const line = (s) => io.stderr.write(values.verbose ? `${s}
` : `\r\x1B[K${s}`);
    switch (e.phase) {
      case "locked":
        if (values.verbose) line("exclusive lock taken");
        break;
      case "planned":
        if (values.verbose) line(`plan: forget ${e.forget}, keep ${e.keep}, free about ${formatBytes(e.bytes)}`);
        break;
      case "forget":
        line(`forgot snapshot ${e.id.slice(0, 8)} (${e.done}/${e.total})`);
        break;
      case "collect":
        if (values.verbose || Date.now() - lastCollect > 200) line(`deleted chunks ${e.done}/${e.total}`);
        lastCollect = Date.now();
        break;
    }
  };
}
function snapshotJson(s) {
  return { id: s.id, time: s.time, store: s.store.name, tags: s.tags, backup_set: s.backupSet };
}
function report(io, values, r, grace, collect) {
  if (io.interactive && !values.verbose) io.stderr.write("\r\x1B[K");
  const e = r.estimate;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          dry_run: r.dryRun,
          policy: r.plan ? policyJson(r.plan.policy) : null,
          snapshots: (r.plan?.decisions ?? []).map((d) => ({
            ...snapshotJson(d.snapshot),
            group: d.group,
            action: d.keep ? "keep" : "forget",
            reasons: d.reasons
          })),
          untouched: (r.plan?.untouched ?? []).map(snapshotJson),
          keep: r.plan ? r.plan.keep.length : null,
          forget: r.plan ? r.plan.forget.length : 0,
          grace_ms: collect ? grace : null,
          estimate: {
            bytes_freed: e.bytesFreed,
            manifests: e.manifests,
            chunks: e.chunks,
            unreferenced: e.unreferenced,
            young_unreferenced: e.young
          },
          deleted: { snapshots: r.deleted.snapshots, chunks: r.deleted.chunks, bytes_freed: r.deleted.bytesFreed },
          warnings: r.warnings
        },
        null,
        2
      )}
`
    );
    for (const w of r.warnings) io.stderr.write(`warning: ${w}
`);
    return;
  }
  const out = [];
  if (r.plan) {
    const p = r.plan.policy;
    out.push(describePolicy(p));
    const groups = [...new Set(r.plan.decisions.map((d) => d.group))];
    for (const g of groups) {
      const ds = r.plan.decisions.filter((d) => d.group === g);
      const kept = ds.filter((d) => d.keep).length;
      out.push("", `${g}: keep ${kept}, forget ${ds.length - kept}`);
      const header = [
        "ID",
        `Time (${p.timezone})`,
        "Store",
        "Tags",
        ...p.groupBy === "set" ? ["Set"] : [],
        "Action",
        "Why"
      ];
      const rows = [header];
      for (const d of ds) {
        const s = d.snapshot;
        rows.push([
          s.id.slice(0, 8),
          formatLocal(Date.parse(s.time), p.timezone),
          s.store.name,
          s.tags.join(",") || "-",
          ...p.groupBy === "set" ? [s.backupSet?.slice(0, 8) ?? "-"] : [],
          d.keep ? "keep" : "forget",
          d.reasons.join("; ")
        ]);
      }
      out.push(table(rows));
    }
    if (r.plan.untouched.length > 0) out.push("", `${r.plan.untouched.length} snapshot(s) of other stores left alone`);
    out.push("");
  }
  const parts = [`${e.manifests.count} manifest(s)`];
  if (collect) parts.push(`${e.chunks.count + e.unreferenced.count} chunk(s)`);
  const young = collect && e.young.count > 0 ? `; ${e.young.count} unreferenced chunk(s) (${formatBytes(e.young.bytes)}) are younger than the grace period ${formatDuration(grace)} and stay for now` : "";
  if (r.dryRun) {
    out.push(
      `dry run: would forget ${r.plan?.forget.length ?? 0} snapshot(s) and free about ${formatBytes(e.bytesFreed)} (${parts.join(", ")})${young}`
    );
  } else {
    out.push(
      `forgot ${r.deleted.snapshots} snapshot(s)` + (collect ? `, deleted ${r.deleted.chunks} unreferenced chunk(s)` : "") + `: freed ${formatBytes(r.deleted.bytesFreed)} (estimated ${formatBytes(e.bytesFreed)})${young}`
    );
    if (!collect && r.deleted.snapshots > 0) {
      out.push("the data of forgotten snapshots stays until `backdrill prune` (or forget --prune) collects it");
    }
  }
  io.stdout.write(`${out.join("\n")}
`);
  for (const w of r.warnings) io.stderr.write(`warning: ${w}
`);
}
var forgetCommand = {
  name: "forget",
  summary: "forget snapshots by a retention policy (--prune also frees their data)",
  usage: "backdrill forget --keep-... [flags]",
  details: `Applies a retention policy (restic's forget rules; docs/retention.md) to each store's history, or with
--group-by set to backup sets as units. A snapshot is kept when any rule keeps it; the newest snapshot of
every store, and the newest snapshots a passed drill restored, are always kept. The keep rules come
from the flags, or else from the retention section of backdrill.yml (flags replace its keep rules as a
whole). Without any keep rule forget refuses to run. --dry-run prints the plan with the reason for every
decision and changes nothing.

Counts take a whole number or "unlimited". Durations of --keep-within: y years, m months, w weeks,
d days, h hours, in that order (1y6m, 30d), measured back from the group's newest snapshot. Calendar
buckets (hourly .. yearly, ISO weeks) are taken in --timezone (an IANA name; default UTC).

Forgetting deletes manifests only; --prune then deletes every chunk no remaining snapshot references
that is older than --grace. Both run under the exclusive lock.

${repoEnvHelp}`,
  options: {
    ...repoOptions,
    "keep-last": { type: "string", short: "l", value: "N", description: "keep the N newest snapshots" },
    "keep-hourly": {
      type: "string",
      short: "H",
      value: "N",
      description: "keep the newest snapshot of each of N hours"
    },
    "keep-daily": { type: "string", short: "d", value: "N", description: "keep the newest snapshot of each of N days" },
    "keep-weekly": { type: "string", short: "w", value: "N", description: "keep the newest of each of N ISO weeks" },
    "keep-monthly": { type: "string", short: "m", value: "N", description: "keep the newest of each of N months" },
    "keep-yearly": { type: "string", short: "y", value: "N", description: "keep the newest of each of N years" },
    "keep-within": {
      type: "string",
      value: "DURATION",
      description: "keep all snapshots within DURATION of the newest (e.g. 30d, 1y6m)"
    },
    "keep-tag": { type: "string", multiple: true, value: "TAG", description: "keep every snapshot with this tag" },
    "group-by": { type: "string", value: "store|set", description: "judge each store (default), or backup sets" },
    timezone: { type: "string", value: "TZ", description: "time zone of the calendar buckets (default UTC)" },
    store: { type: "string", value: "NAME", description: "judge only this store's snapshots" },
    prune: { type: "boolean", description: "also delete the data no remaining snapshot references" },
    ...graceOption,
    ...commonOptions
  },
  positionals: [],
  async run({ values }, io) {
    const config = configuredRetention(values, io.env);
    const policy = resolvePolicy(values, config);
    const collect = Boolean(values.prune);
    if (!collect && values.grace !== void 0) {
      throw new UsageError("--grace applies only with --prune", "add --prune, or drop --grace");
    }
    const grace = graceMs(values, config);
    const waitMs = parseRetryLock(str2(values, "retry-lock"));
    return withRepo(values, io, async (repo) => {
      const result = await runRetention(repo, {
        policy,
        ...values.store === void 0 ? {} : { store: values.store },
        collect,
        graceMs: grace,
        dryRun: Boolean(values["dry-run"]),
        lockWaitMs: waitMs,
        onEvent: eventPrinter(io, values)
      });
      report(io, values, result, grace, collect);
      return ExitCode.ok;
    });
  }
};
var pruneCommand = {
  name: "prune",
  summary: "delete data no snapshot references (left by forget or interrupted backups)",
  usage: "backdrill prune [flags]",
  details: `Takes the exclusive lock, reads every manifest (refusing to run when one cannot be read: its data
would look unreferenced), and deletes each chunk that no snapshot references and that is older than
--grace (default 1h). The grace period protects chunks a backup has uploaded but not yet referenced.
prune needs no policy and never forgets a snapshot; use \`backdrill forget --keep-...\` for that.
An interrupted prune leaves a valid repository; run it again to finish.

${repoEnvHelp}`,
  options: { ...repoOptions, ...graceOption, ...commonOptions },
  positionals: [],
  async run({ values }, io) {
    const grace = graceMs(values, values.grace === void 0 ? configuredRetention(values, io.env) : void 0);
    const waitMs = parseRetryLock(str2(values, "retry-lock"));
    return withRepo(values, io, async (repo) => {
      const result = await runRetention(repo, {
        collect: true,
        graceMs: grace,
        dryRun: Boolean(values["dry-run"]),
        lockWaitMs: waitMs,
        onEvent: eventPrinter(io, values)
      });
      report(io, values, result, grace, true);
      return ExitCode.ok;
    });
  }
};

// src/cli/commands/stores.ts
function storeFrom(values, io) {
  const loaded = loadConfig(configPath(values, io.env), io.env);
  const name = values.store;
  if (!name) {
    throw new UsageError("--store NAME is required", `stores: ${loaded.config.stores.map((s) => s.name).join(", ")}`);
  }
  const store = loaded.config.stores.find((s) => s.name === name);
  if (!store) {
    throw new UsageError(
      `--store ${name}: no such store in ${loaded.path}`,
      `stores: ${loaded.config.stores.map((s) => s.name).join(", ")}`
    );
  }
  return { store, repository: loaded.config.repository };
}
async function snapshotOf(repo, ref, store) {
  const snap = await repo.loadSnapshot(ref, { store: store.name });
  if (snap.store.name !== store.name) {
    throw new UsageError(
      `snapshot ${snap.id.slice(0, 8)} belongs to store "${snap.store.name}", not "${store.name}"`,
      "pass the matching --store, or pick a snapshot of this store (backdrill snapshots --store NAME)"
    );
  }
  return snap;
}
var storeFlags = {
  ...repoOptions,
  store: { type: "string", value: "NAME", description: "the store (from backdrill.yml) the snapshot belongs to" },
  target: {
    type: "string",
    value: "URL",
    description: "where to restore/compare (default: the store's own url); credentials as in the store's config"
  }
};
var restoreCommand = {
  name: "restore",
  summary: "restore a snapshot of a store into a server (refuses a non-empty target unless --force)",
  usage: "backdrill restore SNAPSHOT --store NAME [--target URL] [--force] [flags]",
  details: `SNAPSHOT is an ID, a unique prefix, or "latest" (of --store). The target must be empty; with --force its
current contents are first saved as a safety snapshot (tag "safety") and the command to roll back is
printed. A restore that cannot restore every object fails (exit 3) and lists what failed: a partial
restore is never reported as success.

${repoEnvHelp}`,
  options: {
    ...storeFlags,
    force: { type: "boolean", description: "replace a non-empty target (after saving it as a safety snapshot)" },
    jobs: { type: "string", value: "N", description: "parallel restore jobs where the store supports them" },
    json: {
      type: "boolean",
      description: "print {snapshot_id, store, duration_ms, phases_s, safety_snapshot_id, warnings}"
    }
  },
  positionals: ["SNAPSHOT"],
  async run({ values, positionals }, io) {
    const { store, repository } = storeFrom(values, io);
    const jobsText = values.jobs;
    const jobs = jobsText === void 0 ? void 0 : Number(jobsText);
    if (jobs !== void 0 && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)) {
      throw new UsageError(`--jobs ${jobsText}: expected a whole number from 1 to 64`);
    }
    const target = values.target;
    return withRepository(
      values,
      io,
      async (repo) => {
        const snap = await snapshotOf(repo, positionals[0], store);
        const r = await restoreStore(repo, store, snap, {
          ...target ? { target } : {},
          force: Boolean(values.force),
          ...jobs ? { jobs } : {}
        });
        for (const w of r.warnings) io.stderr.write(`warning: ${w}
`);
        if (r.safety) {
          io.stderr.write(
            `the target's previous contents are saved as snapshot ${r.safety.id.slice(0, 8)}; to roll back:
  backdrill restore ${r.safety.id} --store ${store.name}${target ? " --target <the same target>" : ""} --force
`
          );
        }
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({
              snapshot_id: snap.id,
              store: store.name,
              duration_ms: r.durationMs,
              phases_s: r.phases ?? {},
              safety_snapshot_id: r.safety?.id ?? null,
              warnings: r.warnings
            })}
`
          );
        } else {
          io.stdout.write(
            `restored snapshot ${snap.id.slice(0, 8)} of ${store.name} in ${(r.durationMs / 1e3).toFixed(1)} s${r.phases ? ` (${formatPhases(r.phases)})` : ""}
`
          );
        }
        return ExitCode.ok;
      },
      { fromConfig: repository, pipeline: true }
    );
  }
};
var compareCommand = {
  name: "compare",
  summary: "compare a live store with a snapshot's fingerprint and print what differs",
  usage: "backdrill compare SNAPSHOT --store NAME [--target URL] [flags]",
  details: `Fingerprints the live target (counts and content hashes per table / label / collection, and each
schema object) and compares it with the fingerprint recorded at backup time. Exit 0 when they match,
3 when anything differs, naming each object.

${repoEnvHelp}`,
  options: {
    ...storeFlags,
    json: { type: "boolean", description: "print {match, differences: [{area, object, problem, message}]}" }
  },
  positionals: ["SNAPSHOT"],
  async run({ values, positionals }, io) {
    const { store, repository } = storeFrom(values, io);
    return withRepository(
      values,
      io,
      async (repo) => {
        const snap = await snapshotOf(repo, positionals[0], store);
        const diffs = await compareStore(repo, store, snap, values.target);
        if (values.json) {
          io.stdout.write(`${JSON.stringify({ match: diffs.length === 0, differences: diffs })}
`);
        } else if (diffs.length === 0) {
          io.stdout.write(`${store.name} matches snapshot ${snap.id.slice(0, 8)}
`);
        } else {
          for (const d of diffs) io.stdout.write(`${d.area} ${d.problem}: ${d.message}
`);
          io.stdout.write(`${diffs.length} difference(s) from snapshot ${snap.id.slice(0, 8)}
`);
        }
        return diffs.length === 0 ? ExitCode.ok : ExitCode.integrity;
      },
      { fromConfig: repository }
    );
  }
};

// src/cli/commands/index.ts
var commands = [
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
  catCommand
];

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
  if (isStorageError(err)) {
    io.stderr.write(`backdrill: storage error: ${err.message}
`);
    const hint = err.code === "permission" ? "check the storage credentials and their permissions on the bucket or folder" : err.retryable ? "the storage kept failing after retries; check its health and the network, then run again" : "check the repository location and the storage";
    io.stderr.write(`  ${hint}
`);
    return ExitCode.fatal;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr.write(`backdrill: unexpected error: ${e.message}
`);
  if (io.env.BACKDRILL_DEBUG) io.stderr.write(`${e.stack ?? ""}
`);
  else io.stderr.write("  set BACKDRILL_DEBUG=1 for a stack trace, and please report it\n");
  return ExitCode.fatal;
}
export {
  VERSION,
  commandHelp,
  main,
  mainHelp,
  reportError
};
