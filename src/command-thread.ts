// Runs a whole command (the CLI's or an action's) on a worker thread with a capped V8 young generation; the main
// thread only relays signals and the exit code. Why: V8 grows a busy thread's young generation to 128 MiB and keeps
// it, nearly half of the 300 MiB a backup or restore may use, and the flag that caps it (--max-semi-space-size)
// cannot be given to the node that a GitHub runner starts for an action; a worker's resourceLimits can.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const ROLE = 'backdrill-command';

/**
 * The young generation's size on the command thread, in MiB (V8's default grows to 128). Measured with the Neo4j
 * bench at 300k nodes (export, backup, restore peak RSS): 16 MiB 234/290/310 MiB, 32 MiB 200/297/326, 64 MiB
 * 213/296/337, on the main thread with the default 244/319/369. CPU seconds varied by +-20% between runs on the
 * shared machine, more than between these sizes; 32 is the middle.
 */
export const YOUNG_GENERATION_MIB = 32;

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
 * Call from a bundle entry module with its own URL: on the main thread it starts that module again on a command
 * thread and relays to it; on the command thread it runs `command` and sets the exit code it returns. On any other
 * thread (a pipeline worker loading the bundle) it does nothing. BACKDRILL_COMMAND_THREAD=0 runs `command` on the
 * main thread (debugging, profiling).
 */
export async function runOnCommandThread(
  entry: URL,
  /** Resolves with the exit code, or with anything else to keep process.exitCode as the command set it. */
  command: (proc: CommandProcess) => Promise<unknown>,
): Promise<void> {
  if (isMainThread && process.env.BACKDRILL_COMMAND_THREAD !== '0') {
    process.exitCode = await relay(entry);
    return;
  }
  const data = workerData as Partial<CommandData> | null;
  if (!isMainThread && data?.role !== ROLE) return;
  if (!isMainThread) listenForSignals();
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
