// The Qdrant server image backdrill is tested against, pinned in this one place. Drill sandboxes (src/drill, on
// Docker hosts) start it through Testcontainers' module `@testcontainers/qdrant`:
//   new QdrantContainer(QDRANT_IMAGE).start()  -> container.getRestHostAddress()  (REST port 6333)
// or the generic path: new GenericContainer(QDRANT_IMAGE).withExposedPorts(6333)
//   .withWaitStrategy(Wait.forHttp('/readyz', 6333)).start()
// A snapshot-mode drill must provision the minor version recorded in the snapshot instead (qdrantImageFor).

export const QDRANT_VERSION = '1.19.0';
export const QDRANT_IMAGE = `qdrant/qdrant:v${QDRANT_VERSION}`;

/** The image of a given server version, e.g. the one a snapshot-mode backup recorded. */
export function qdrantImageFor(version: string): string {
  return `qdrant/qdrant:v${version.replace(/^v/, '')}`;
}
