// Process entry of the CLI bundle: runs main() on the command thread (src/command-thread.ts) with the real stdio,
// and exits with the code main() returns.
import { runOnCommandThread } from '../command-thread.ts';
import { main } from './main.ts';

await runOnCommandThread(new URL(import.meta.url), (proc) =>
  main(process.argv.slice(2), {
    get stdin() {
      return proc.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: proc.interactive,
  }),
);
