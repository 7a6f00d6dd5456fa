// Bundle entry of the backup action (dist/actions/backup.js); the logic is in src/actions/backup.ts.
import { run } from '../backup.ts';

await run();
