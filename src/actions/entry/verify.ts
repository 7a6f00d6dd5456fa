// Bundle entry of the verify action (dist/actions/verify.js); the logic is in src/actions/verify.ts.
import { run } from '../verify.ts';

await run();
