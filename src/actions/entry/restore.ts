// Bundle entry of the restore action (dist/actions/restore.js); the logic is in src/actions/restore.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation.
import { runOnCommandThread } from '../../command-thread.ts';
import { run } from '../restore.ts';

await runOnCommandThread(new URL(import.meta.url), run);
