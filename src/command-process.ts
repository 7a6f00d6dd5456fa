// Runs a whole command (the CLI's or an action's) in a process tuned for streaming: V8's young generation capped,
// its old generation kept close to what is alive, and on Linux glibc malloc tuned. Why: V8 grows a busy thread's
// young generation to 128 MiB and keeps it, nearly half of the 300 MiB a backup or restore may use, and glibc's
// default arenas fragment under multi-MiB chunks. Neither can be set from inside a running process, and a GitHub
// runner starts an action's node without flags. So the process replaces itself once (execve: same pid, same
// standard streams) with one started with the V8 flags and GLIBC_TUNABLES, and the command runs on its main thread.
// Where a process cannot replace itself (no process.execve: Windows, or a seccomp policy refuses it), the command
// runs on a worker thread instead, whose young generation resourceLimits can cap.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { MAPPED_FROM } from './pipeline/buffers.ts';

const ROLE = 'backdrill-command';

/**
 * The young generation's size, in MiB (V8's default grows to 128). Measured with the Neo4j bench at 300k nodes
 * (export, backup, restore peak RSS): 16 MiB 234/290/310 MiB, 32 MiB 200/297/326, 64 MiB 213/296/337, with V8's
 * default 244/319/369. CPU seconds varied by +-20% between runs on the shared machine, more than between these
 * sizes; 32 is the middle.
 */
export const YOUNG_GENERATION_MIB = 32;
/**
 * The same cap as V8 flags. V8 gives each of the young generation's two semi-spaces a third of it, rounded up to a
 * power of two: a worker's 32 MiB young generation and semi-spaces of half that both make a new space of 32 MiB
 * (v8.getHeapSpaceStatistics()). It starts at that size, as a worker's does: grown from V8's small default instead,
 * a Neo4j bench backup at 200k nodes took 18.8 CPU-s instead of 13.7 (restore 11.9 instead of 10.1).
 */
const SEMI_SPACE_MIB = YOUNG_GENERATION_MIB / 2;
export const SEMI_SPACE_FLAGS = [`--max-semi-space-size=${SEMI_SPACE_MIB}`, `--min-semi-space-size=${SEMI_SPACE_MIB}`];

/**
 * How much V8 lets a heap's old generation grow past what the last full collection left alive, in percent (V8
 * picks 10 to 300 by itself, by how fast it collects). A backup or restore streams garbage that lives just long
 * enough to be promoted (a batch of rows until its transaction commits, a chunk's lines until they are parsed):
 * with V8's own choice the command's old generation swung between 20 and 90 MiB, with 50% it stays near 30.
 * Measured with the Neo4j bench at 300k nodes, restore peak RSS and client CPU seconds: V8's choice 300-316 MiB
 * and 10 CPU-s, 25% 245 / 14, 50% 264 / 12, 100% 278 / 12.5 (CPU seconds vary by 20% between runs here).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * When V8 starts marking the old generation for a full collection, in percent of its limit: as a task from
 * MARKING_SOFT_PERCENT, at once from MARKING_HARD_PERCENT. V8's own rule starts marking once the space left under
 * the limit is no larger than the young generation. After a full collection of a heap under 64 MiB, the limit sits
 * exactly one young generation above what survived (V8's minimum step; 50% would be less), so that rule held at
 * once and V8 marked without pause: a PostgreSQL bench backup, whose heap is 11-15 MiB, ran 10 to 24 full
 * collections where 1 did with these settings, about 0.2 CPU-s. With growing factor 1.5 a heap's survivors fill
 * 67% of its limit: marking starts once it has grown a quarter past them.
 */
export const MARKING_SOFT_PERCENT = 85;
export const MARKING_HARD_PERCENT = 95;

/**
 * glibc malloc settings the process re-executes itself with. By default each thread that allocates gets an arena of
 * its own, and a freed large block (a chunk: 0.5 to 8 MiB) raises the size from which malloc maps memory directly,
 * so later chunks are carved from the arenas, which fragment and keep what they once held. Measured with the Neo4j
 * bench at 1M nodes: the arenas grew to 124 MiB during a restore; with 2 arenas and blocks of 128 KiB and more
 * mapped directly they stayed at 16 MiB and the restore's peak RSS went from 336 to 276 MiB (the PostgreSQL bench's
 * restore: 294 to 156 MiB). The cost: each such block is a fresh mapping, faulted in page by page. Mapping from
 * 1 MiB instead keeps the blocks that come and go by the hundred at a steady size (zstd's window and input buffers,
 * sealed and decrypted chunks of 0.6 MiB) in the arenas, while chunk-sized ones stay mapped: the PostgreSQL bench's
 * restore then takes 0.2 fewer CPU-s (310k page faults instead of 400k) for 5 MiB more peak RSS, and the Neo4j
 * bench at 300k nodes peaks within 6 MiB of before (backup 232 vs 238, restore 236 vs 231 MiB).
 * glibc.malloc.hugetlb=1 asks for transparent huge pages on those mappings (madvise): chunk buffers are sized in whole
 * 2 MiB pages (pipeline/buffers.ts, largeCapacity), so each is faulted in 2 MiB at a time instead of 4 KiB. A page
 * fault costs about 2.5 us on this project's 2-core VM: the PostgreSQL bench's backup took 470k faults and its restore
 * 300k before, 80k and 55k after, 1 and 0.5 fewer CPU-s.
 */
export const MALLOC_TUNABLES = `glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=${MAPPED_FROM}:glibc.malloc.hugetlb=1`;
/** Set for the re-executed process: the user's GLIBC_TUNABLES (empty when unset), restored once it has started. */
const TUNED = 'BACKDRILL_TUNED';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type RelayedSignal = (typeof SIGNALS)[number];

type ToCommand = { signal: RelayedSignal };
type FromCommand = { unhandledSignal: RelayedSignal };

interface CommandData {
  role: typeof ROLE;
  /** Whether the process's stderr is a terminal (a worker's never is). */
  interactive: boolean;
}

/** What the command sees of its process. */
export interface CommandProcess {
  /** fd 0, opened on first use (a worker's own process.stdin is empty). */
  readonly stdin: Readable;
  interactive: boolean;
}

/**
 * Call from a bundle entry module with its own URL. On the main thread it tunes the process (tuneProcess) and runs
 * `command`, setting the exit code it returns; where the process could not be started with the V8 flags, it starts
 * the module again on a command thread (a worker with the young generation capped) and relays to it instead. On the
 * command thread it runs `command`; on any other thread (a pipeline worker loading the bundle) it does nothing.
 * BACKDRILL_COMMAND_THREAD=1 always runs `command` on a command thread.
 */
export async function runCommand(
  entry: URL,
  /** Resolves with the exit code, or with anything else to keep process.exitCode as the command set it. */
  command: (proc: CommandProcess) => Promise<unknown>,
): Promise<void> {
  const data = workerData as Partial<CommandData> | null;
  if (isMainThread) {
    const capped = tuneProcess();
    // Process-wide V8 flags, read at each collection; one the user gave node on its command line wins (node
    // refuses them in NODE_OPTIONS).
    if (!nodeFlags().some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) {
      setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    }
    if (!nodeFlags().some((a) => /^--incremental[-_]marking[-_](soft|hard)[-_]trigger\b/.test(a))) {
      setFlagsFromString(`--incremental-marking-soft-trigger=${MARKING_SOFT_PERCENT}`);
      setFlagsFromString(`--incremental-marking-hard-trigger=${MARKING_HARD_PERCENT}`);
    }
    if (!capped || process.env.BACKDRILL_COMMAND_THREAD === '1') {
      process.exitCode = await relay(entry);
      return;
    }
  } else if (data?.role !== ROLE) {
    return;
  } else {
    listenForSignals();
  }
  let stdin: Readable | undefined;
  const proc: CommandProcess = {
    get stdin() {
      stdin ??= isMainThread ? process.stdin : createReadStream('', { fd: 0, autoClose: false });
      return stdin;
    },
    interactive: isMainThread ? process.stderr.isTTY === true : data?.interactive === true,
  };
  const code = await command(proc);
  if (typeof code === 'number') process.exitCode = code;
}

/** The flags node was started with: its command line's and NODE_OPTIONS'. */
function nodeFlags(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
}

/**
 * Main thread, first thing: re-executes the process with SEMI_SPACE_FLAGS and, on Linux, MALLOC_TUNABLES (never
 * returns then), or, in the process that was re-executed, gives the environment back its own GLIBC_TUNABLES so that
 * the programs backdrill starts (pg_dump, servers of a drill) do not inherit ours. Malloc is left alone when the user
 * tuned it already (GLIBC_TUNABLES with glibc.malloc, or a MALLOC_* variable), off Linux, and with
 * BACKDRILL_MALLOC_TUNABLES=0; musl ignores it. Returns whether the young generation is capped by a flag (ours, or
 * the user's own --max-semi-space-size).
 */
function tuneProcess(): boolean {
  const env = process.env;
  const original = env[TUNED];
  if (original !== undefined) {
    delete env[TUNED];
    if (original === '') delete env.GLIBC_TUNABLES;
    else env.GLIBC_TUNABLES = original;
    return true;
  }
  const semiGiven = nodeFlags().some((a) => /^--max[-_]semi[-_]space[-_]size\b/.test(a));
  const userMalloc =
    /glibc\.malloc\./.test(env.GLIBC_TUNABLES ?? '') || Object.keys(env).some((k) => k.startsWith('MALLOC_'));
  const malloc = process.platform === 'linux' && env.BACKDRILL_MALLOC_TUNABLES !== '0' && !userMalloc;
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if ((semiGiven && !malloc) || typeof execve !== 'function') return semiGiven;
  const flags = semiGiven ? [] : SEMI_SPACE_FLAGS;
  const tunables = malloc ? [env.GLIBC_TUNABLES, MALLOC_TUNABLES].filter(Boolean).join(':') : env.GLIBC_TUNABLES;
  try {
    execve.call(
      process,
      process.execPath,
      [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)],
      {
        ...env,
        ...(tunables === undefined ? {} : { GLIBC_TUNABLES: tunables }),
        [TUNED]: env.GLIBC_TUNABLES ?? '',
      },
    );
  } catch {
    // Could not re-execute (a seccomp policy, say): run as started, with glibc's defaults.
  }
  return semiGiven;
}

/** Main thread: runs the entry on a command thread; resolves with its exit code. */
function relay(entry: URL): Promise<number> {
  const data: CommandData = { role: ROLE, interactive: process.stderr.isTTY === true };
  const worker = new Worker(entry, {
    argv: process.argv.slice(2),
    workerData: data,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB },
  });
  const forward = (signal: RelayedSignal) => worker.postMessage({ signal } satisfies ToCommand);
  const stopRelaying = () => {
    for (const s of SIGNALS) process.removeListener(s, forward);
  };
  for (const s of SIGNALS) process.on(s, forward);
  worker.on('message', (m: FromCommand) => {
    if (!m.unhandledSignal) return;
    // The command does not handle it: what the signal would have done to a single-threaded process.
    stopRelaying();
    process.kill(process.pid, m.unhandledSignal);
  });
  return new Promise((resolve) => {
    worker.once('error', (err) => {
      // An uncaught error, reported as node reports one on the main thread.
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    });
    worker.once('exit', (code) => {
      stopRelaying();
      resolve(code);
    });
  });
}

/** Command thread: a relayed signal reaches the command's process.on(signal) handlers, or goes back unhandled. */
function listenForSignals(): void {
  const port = parentPort!;
  port.on('message', (m: ToCommand) => {
    if (!m.signal) return;
    if (process.listenerCount(m.signal) > 0) process.emit(m.signal, m.signal);
    else port.postMessage({ unhandledSignal: m.signal } satisfies FromCommand);
  });
  // Listening must not keep a finished command's thread alive.
  port.unref();
}
