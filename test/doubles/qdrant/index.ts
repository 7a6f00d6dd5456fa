// The Qdrant REST double (a test double, not Qdrant): see server.ts for what it implements and its fault knobs.
export {
  DOUBLE_COMMIT,
  type DoubleFaults,
  QdrantDouble,
  type QdrantDoubleNode,
  type QdrantDoubleOptions,
  type RecoveryPriority,
} from './server.ts';
export { readTar, writeTar } from './tar.ts';
