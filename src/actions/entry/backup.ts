// Bundle entry of the backup action (dist/actions/backup.js); the logic is in src/actions/backup.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation. The logic is imported there only: the
// main thread loads no more than the relay.
import { runOnCommandThread } from '../../command-thread.ts';

await runOnCommandThread(new URL(import.meta.url), async () => (await import('../backup.ts')).run());
