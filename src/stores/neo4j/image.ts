// The Neo4j server image drill sandboxes run on Docker hosts (src/drill/testcontainers.ts), pinned here: the
// Community image of the version the snapshot recorded (Aura and Enterprise exports restore into Community), or
// the pinned default when the version is unknown.

export const NEO4J_DEFAULT_VERSION = '5.26';

/** neo4j:<version>-community of a recorded version: "5.26.30" -> 5.26.30, "5.27-aura" -> 5.27, "2025.01.0" -> same. */
export function neo4jImageFor(version: string | undefined): string {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '');
  const tag = m ? [m[1], m[2], m[3]].filter((x) => x !== undefined).join('.') : NEO4J_DEFAULT_VERSION;
  return `neo4j:${tag}-community`;
}
