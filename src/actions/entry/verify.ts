// Bundle entry of the verify action (dist/actions/verify.js); the logic is in src/actions/verify.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation. The logic is imported there only: the
// main thread loads no more than the relay.
import { runOnCommandThread } from '../../command-thread.ts';

await runOnCommandThread(new URL(import.meta.url), async () => (await import('../verify.ts')).run());
