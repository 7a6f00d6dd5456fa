// Bundle entry of the verify action (dist/actions/verify.js); the logic is in src/actions/verify.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation.
import { runOnCommandThread } from '../../command-thread.ts';
import { run } from '../verify.ts';

await runOnCommandThread(new URL(import.meta.url), run);
