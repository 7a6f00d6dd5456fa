// Bundle entry of the prune action (dist/actions/prune.js); the logic is in src/actions/prune.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation.
import { runOnCommandThread } from '../../command-thread.ts';
import { run } from '../prune.ts';

await runOnCommandThread(new URL(import.meta.url), run);
