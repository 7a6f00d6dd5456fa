// Connection details of the real test services, handed from the vitest globalSetup to every test file.
// Plain data only: it crosses from the main process to the workers.

export interface PostgresInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Directory with the server's own client binaries (pg_dump, pg_restore, psql) of the same major version. */
  binDir: string;
  /** e.g. "15.18" */
  version: string;
}

export interface Neo4jInfo {
  /** bolt://127.0.0.1:PORT */
  boltUrl: string;
  user: string;
  password: string;
  /** NEO4J_HOME of the shared instance (conf/, data/, logs/). */
  home: string;
  /** e.g. "5.26.x" */
  version: string;
}

export interface MinioInfo {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The Qdrant REST double (test/doubles/qdrant): no real Qdrant server can be obtained on our machines. */
export interface QdrantInfo {
  /** http://127.0.0.1:PORT */
  url: string;
  apiKey: string;
  /** Version the double reports at GET / */
  version: string;
  double: true;
}

export interface ServiceInfo {
  postgres: PostgresInfo;
  neo4j: Neo4jInfo;
  minio: MinioInfo;
  qdrant: QdrantInfo;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ServiceInfo;
  }
}
