// Bundle entry of the restore action (dist/actions/restore.js); the logic is in src/actions/restore.ts.
import { run } from '../restore.ts';

await run();
