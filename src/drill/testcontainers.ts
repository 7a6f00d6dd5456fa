// The testcontainers provider: sandboxes as Docker containers through testcontainers-node, for runners and
// machines with a Docker host (GitHub's ubuntu runners have one). Each store's image is pinned in its own module
// (src/stores/<kind>/image.ts) and follows the server version the snapshot recorded; each container gets a random
// password or API key, a readiness wait of its own, and is removed on dispose (testcontainers' Ryuk reaper also
// removes it if this process dies). The library is loaded only when this provider is used.
import { randomBytes } from 'node:crypto';
import type { StartedTestContainer } from 'testcontainers';
import { BackdrillError } from '../errors.ts';
import { commonJs } from '../lazy.ts';
import { neo4jImageFor } from '../stores/neo4j/image.ts';
import { postgresImageFor } from '../stores/postgres/image.ts';
import { QDRANT_IMAGE, qdrantImageFor } from '../stores/qdrant/image.ts';
import type { Sandbox, SandboxProvider, SandboxRequest } from './sandbox.ts';

async function loadTestcontainers(): Promise<typeof import('testcontainers')> {
  const tc = commonJs(await import('testcontainers'));
  if (typeof tc.getContainerRuntimeClient !== 'function' || typeof tc.GenericContainer !== 'function') {
    throw new BackdrillError('fatal', 'the testcontainers library did not load (a broken install or bundle)', {
      hint: 'reinstall backdrill (npm ci), or use drill.provider local or external',
    });
  }
  return tc;
}

/** Whether a Docker host answers (DOCKER_HOST, the local socket, or a testcontainers config). */
export async function dockerAvailable(): Promise<boolean> {
  const { getContainerRuntimeClient } = await loadTestcontainers();
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** The image a sandbox of this store runs: the version the snapshot recorded, else the pinned default. */
export function sandboxImage(kind: 'postgres' | 'neo4j' | 'qdrant', serverVersion: string | undefined): string {
  switch (kind) {
    case 'postgres':
      return postgresImageFor(serverVersion);
    case 'neo4j':
      return neo4jImageFor(serverVersion);
    case 'qdrant':
      return serverVersion && /^v?\d+\.\d+\.\d+$/.test(serverVersion) ? qdrantImageFor(serverVersion) : QDRANT_IMAGE;
  }
}

export class TestcontainersProvider implements SandboxProvider {
  readonly name = 'testcontainers' as const;

  constructor(private readonly readyTimeoutMs = 180_000) {}

  async provision(request: SandboxRequest): Promise<Sandbox> {
    const { store, capture } = request;
    const tc = await loadTestcontainers();
    try {
      await tc.getContainerRuntimeClient();
    } catch (err) {
      throw new BackdrillError('usage', `no Docker host answered for the sandbox of store ${store.name}`, {
        hint: 'start Docker (or set DOCKER_HOST), or use drill.provider local (server binaries) or external (URLs in drill.targets)',
        cause: err,
      });
    }
    const { GenericContainer, Wait } = tc;
    const image = sandboxImage(store.kind, capture?.serverVersion);
    const secret = randomBytes(16).toString('hex');
    let container: StartedTestContainer;
    let target: string;
    let config: Sandbox['config'] = {};
    try {
      switch (store.kind) {
        case 'postgres':
          container = await new GenericContainer(image)
            .withEnvironment({ POSTGRES_PASSWORD: secret })
            .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
            .withExposedPorts(5432)
            // The entrypoint starts the server twice (init scripts, then for real): wait for the second start.
            .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
            .withStartupTimeout(this.readyTimeoutMs)
            .start();
          target = `postgresql://postgres:${secret}@${container.getHost()}:${container.getMappedPort(5432)}`;
          break;
        case 'neo4j':
          container = await new GenericContainer(image)
            .withEnvironment({ NEO4J_AUTH: `neo4j/${secret}` })
            .withExposedPorts(7687)
            .withWaitStrategy(Wait.forLogMessage('Started.'))
            .withStartupTimeout(this.readyTimeoutMs)
            .start();
          target = `bolt://neo4j:${secret}@${container.getHost()}:${container.getMappedPort(7687)}`;
          break;
        case 'qdrant':
          container = await new GenericContainer(image)
            .withEnvironment({ QDRANT__SERVICE__API_KEY: secret, QDRANT__TELEMETRY_DISABLED: 'true' })
            .withExposedPorts(6333)
            .withWaitStrategy(Wait.forHttp('/readyz', 6333))
            .withStartupTimeout(this.readyTimeoutMs)
            .start();
          target = `http://${container.getHost()}:${container.getMappedPort(6333)}`;
          config = { apiKey: secret };
          break;
      }
    } catch (err) {
      throw new BackdrillError('fatal', `the ${image} container for store ${store.name} did not start`, {
        hint: 'check that the image can be pulled (registry access, rate limits) and that Docker has memory to spare',
        cause: err,
      });
    }
    let disposed = false;
    return {
      store: store.name,
      provider: this.name,
      target,
      version: image,
      config,
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await container.stop({ remove: true, removeVolumes: true });
      },
    };
  }
}
