// Child processes the drills (and the test services) start: free loopback ports, readiness polling, process
// groups that are always stopped (even when the parent dies, by a watchdog when it is killed outright), and
// one-shot commands with captured output.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

export function logTail(file: string, lines = 30): string {
  if (!existsSync(file)) return '';
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Ports freePort has handed out in this process. The kernel may give a port again as soon as freePort closes it,
 * before the server it was for binds it: a Neo4j whose set-initial-password took seconds before its start found
 * its port taken by a server started beside it.
 */
const handedOut = new Set<number>();

/** Asks the kernel for a free loopback port, one this process has not been given before. */
export async function freePort(): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await kernelPort();
    if (!handedOut.has(port) || attempt >= 50) {
      handedOut.add(port);
      return port;
    }
  }
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        reject(new Error('no port assigned'));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}

/** Whether something accepts TCP connections on host:port (loopback by default). */
export async function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
    s.connect(port, host);
  });
}

/** Polls `ready` every 250 ms until it returns true; false when the deadline passes or the process exits. */
export async function pollUntil(
  ready: () => Promise<boolean>,
  timeoutMs: number,
  proc?: ManagedProcess,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc?.exited) return false;
    try {
      if (await ready()) return true;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** A long-running child process whose output goes to a log file and that is always stopped. */
export class ManagedProcess {
  exited = false;
  exitCode: number | null = null;
  private readonly done: Promise<void>;

  constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.done = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        this.exitCode = code ?? (signal ? 128 : null);
        resolve();
      });
    });
  }

  /**
   * Starts `cmd` in a process group of its own. `orphanCleanup`: a directory to remove if this process dies
   * without stopping it (see watchOrphan).
   */
  static start(
    cmd: string,
    args: string[],
    logFile: string,
    options: SpawnOptions & { orphanCleanup?: string } = {},
  ): ManagedProcess {
    const { orphanCleanup, ...spawnOptions } = options;
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(cmd, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const watchdog = child.pid !== undefined ? watchOrphan(child.pid, orphanCleanup) : undefined;
    child.once('exit', () => watchdog?.kill());
    const managed = new ManagedProcess(child, logFile);
    liveProcesses.add(managed);
    child.once('exit', () => liveProcesses.delete(managed));
    return managed;
  }

  /** SIGTERM the process group, then SIGKILL after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const pid = this.child.pid;
    signalGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    await this.done;
    clearTimeout(killer);
  }

  async exit(): Promise<number | null> {
    await this.done;
    return this.exitCode;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

// The watchdog: while this process lives and the group runs, it sleeps; when this process is gone (SIGKILL, a
// CI runner killing the job) it stops the group (SIGTERM, SIGKILL after 15 s) and removes the directory. A group
// that ends normally ends its watchdog too (killed on the child's exit).
const WATCHDOG = `p=$1 g=$2 d=$3
while kill -s 0 "$p" 2>/dev/null; do
  kill -s 0 -- "-$g" 2>/dev/null || exit 0
  sleep 2
done
kill -s TERM -- "-$g" 2>/dev/null
i=0
while [ $i -lt 15 ] && kill -s 0 -- "-$g" 2>/dev/null; do sleep 1; i=$((i + 1)); done
kill -s KILL -- "-$g" 2>/dev/null
[ -n "$d" ] && rm -rf -- "$d"
exit 0`;

/**
 * Stops a process group when this process dies without stopping it: a process killed with SIGKILL runs no exit
 * handler, and its servers (each in a group of its own) would run on. A detached shell polls every 2 seconds.
 */
function watchOrphan(pgid: number, cleanupDir?: string): ChildProcess | undefined {
  try {
    const watchdog = spawn(
      '/bin/sh',
      ['-c', WATCHDOG, 'backdrill-watchdog', String(process.pid), String(pgid), cleanupDir ?? ''],
      { detached: true, stdio: 'ignore' },
    );
    watchdog.on('error', () => {}); // no shell: the exit handler below still covers every end but SIGKILL
    watchdog.unref();
    return watchdog;
  } catch {
    return undefined;
  }
}

const liveProcesses = new Set<ManagedProcess>();

// A test run that dies (Ctrl-C, an uncaught error) must not leave servers behind on the machine.
process.once('exit', () => {
  for (const p of liveProcesses) if (p.child.pid !== undefined) signalGroup(p.child.pid, 'SIGKILL');
});

/** Runs a command to completion; resolves with its exit code and output. Never throws on a non-zero exit. */
export async function run(
  cmd: string,
  args: string[],
  options: SpawnOptions & { input?: string; logFile?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      log?.write(d);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      log?.end();
      resolve({ code: code ?? 1, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
