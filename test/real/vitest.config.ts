// The suites that need a real server no machine of ours has (run by hand or in a Docker-enabled CI job):
//   docker run -d -p 6333:6333 qdrant/qdrant:v1.19.0      (the image pinned in src/stores/qdrant/image.ts)
//   QDRANT_URL=http://127.0.0.1:6333 npm run test:real-qdrant
// They are not part of `npm test`, and they fail (never skip) when their server is not given.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/real/**/*.real.ts'],
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
