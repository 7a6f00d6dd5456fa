// Bundle entry of the backup action (dist/actions/backup.js); the logic is in src/actions/backup.ts. It runs in the
// tuned process of src/command-process.ts (V8's young generation capped, malloc tuned). The logic is imported in the
// command only: a process that re-executes itself loads no more than runCommand first.
import { runCommand } from '../../command-process.ts';

await runCommand(new URL(import.meta.url), async () => (await import('../backup.ts')).run());
