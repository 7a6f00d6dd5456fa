// Bundle entry of the backup action (dist/actions/backup.js); the logic is in src/actions/backup.ts. It runs on the
// command thread (src/command-thread.ts), which caps V8's young generation.
import { runOnCommandThread } from '../../command-thread.ts';
import { run } from '../backup.ts';

await runOnCommandThread(new URL(import.meta.url), run);
