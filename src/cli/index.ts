// Process entry of the CLI bundle: runs main() on the command thread (src/command-thread.ts) with the real stdio,
// and exits with the code main() returns. main.ts is imported on the command thread only: the main thread (which
// may re-execute itself first) loads no more than the relay.
import { runOnCommandThread } from '../command-thread.ts';

await runOnCommandThread(new URL(import.meta.url), async (proc) =>
  (await import('./main.ts')).main(process.argv.slice(2), {
    get stdin() {
      return proc.stdin;
    },
    stdinDisposable: true,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: proc.interactive,
  }),
);
