// Bundle entry of the restore-drill action (dist/actions/restore-drill.js); the logic is in src/actions/restore-drill.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation.
import { runOnCommandThread } from '../../command-thread.ts';
import { run } from '../restore-drill.ts';

await runOnCommandThread(new URL(import.meta.url), run);
