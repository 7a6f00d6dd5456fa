// Process entry of the CLI bundle: wires the real stdio and exits with the code main() returns. Worker threads
// of the pipeline load this same bundle, so only the main thread runs the CLI.
import { isMainThread } from 'node:worker_threads';
import { main } from './main.ts';

if (isMainThread) {
  const code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}
