// The Qdrant double as a command, standing in for the `qdrant` server binary where a test needs one (the local
// drill provider starts a binary; no real Qdrant binary can be had here). It reads the same environment
// configuration as Qdrant (QDRANT__SERVICE__HTTP_PORT, QDRANT__SERVICE__API_KEY, QDRANT__STORAGE__STORAGE_PATH)
// and prints a Qdrant-like start line. It is a double: an in-memory model of Qdrant's REST API, not a server.
import { QdrantDouble } from './server.ts';

const env = process.env;
const port = Number(env.QDRANT__SERVICE__HTTP_PORT ?? 6333);
const host = env.QDRANT__SERVICE__HOST ?? '127.0.0.1';
if (host !== '127.0.0.1' && host !== 'localhost') {
  console.error(`qdrant double: listens on 127.0.0.1 only, not ${host}`);
  process.exit(1);
}
const double = await QdrantDouble.start({
  port,
  ...(env.QDRANT__SERVICE__API_KEY ? { apiKey: env.QDRANT__SERVICE__API_KEY } : {}),
  ...(env.QDRANT__STORAGE__SNAPSHOTS_PATH ? { dataDir: env.QDRANT__STORAGE__SNAPSHOTS_PATH } : {}),
  ...(env.QDRANT_DOUBLE_VERSION ? { version: env.QDRANT_DOUBLE_VERSION } : {}),
});
console.log(`Qdrant HTTP listening on ${port} (qdrant double ${double.version})`);
const stop = () => {
  void double.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
