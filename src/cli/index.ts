// Process entry of the CLI bundle: runs main() in the tuned process of src/command-process.ts with the real stdio,
// and exits with the code main() returns. main.ts is imported in the command only: a process that re-executes
// itself loads no more than runCommand first.
import { runCommand } from '../command-process.ts';

await runCommand(new URL(import.meta.url), async (proc) =>
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
