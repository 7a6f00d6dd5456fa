// The PostgreSQL server image drill sandboxes run on Docker hosts (src/drill/testcontainers.ts), pinned here.
// A drill restores into the major version the snapshot recorded (a logical dump restores into the same major or a
// newer one; the official image is tagged by major).

export const POSTGRES_DEFAULT_MAJOR = 16;

/** postgres:<major> of a recorded server version such as "15.18" or "15.18 (Debian 15.18-1.pgdg120+1)". */
export function postgresImageFor(version: string | undefined): string {
  const major = /^(\d+)/.exec(version ?? '')?.[1];
  return `postgres:${major ?? POSTGRES_DEFAULT_MAJOR}`;
}
