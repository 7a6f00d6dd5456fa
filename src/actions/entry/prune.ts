// Bundle entry of the prune action (dist/actions/prune.js); the logic is in src/actions/prune.ts.
import { run } from '../prune.ts';

await run();
