// The shared Qdrant double of a test run, started by the vitest globalSetup next to the real services. It is a
// double, not a Qdrant server (none can be obtained on our machines); it requires an API key like a production
// deployment would. Tests that need fault knobs start their own with QdrantDouble.start().
import { randomBytes } from 'node:crypto';
import type { QdrantInfo } from '../../services/types.ts';
import { QdrantDouble } from './server.ts';

export async function startQdrantDouble(): Promise<{ info: QdrantInfo; stop: () => Promise<void> }> {
  const apiKey = randomBytes(12).toString('hex');
  const double = await QdrantDouble.start({ apiKey });
  return {
    info: { url: double.url, apiKey, version: double.version, double: true },
    stop: () => double.stop(),
  };
}
