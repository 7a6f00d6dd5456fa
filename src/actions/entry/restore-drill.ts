// Bundle entry of the restore-drill action (dist/actions/restore-drill.js); the logic is in src/actions/restore-drill.ts.
import { run } from '../restore-drill.ts';

await run();
