// The sandbox providers: local server binaries, and external URLs given in backdrill.yml. (The testcontainers
// provider, for hosts with Docker, lives in testcontainers.ts.) Server starters load on first use.
import type { StoreConfig } from '../config/schema.ts';
import { BackdrillError } from '../errors.ts';
import { redactUrl } from '../urls.ts';
import type { DrillConfig } from './config.ts';
import { pollUntil, tcpOpen } from './process.ts';
import type { Sandbox, SandboxProvider, SandboxRequest } from './sandbox.ts';

function majorOf(version: string | undefined): number | undefined {
  const m = /^(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

export class LocalProvider implements SandboxProvider {
  readonly name = 'local' as const;

  constructor(
    private readonly config: DrillConfig['local'],
    /** Overrides each server's own readiness timeout (drill.readyTimeout). */
    private readonly readyTimeoutMs?: number,
  ) {}

  private get ready(): { readyTimeoutMs?: number } {
    return this.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: this.readyTimeoutMs };
  }

  async provision(request: SandboxRequest): Promise<Sandbox> {
    const { store } = request;
    switch (store.kind) {
      case 'postgres': {
        // Loaded here: the server helpers pull in the pg driver, which only a local sandbox needs.
        const { localPostgresBinDirs, startLocalPostgres } = await import('./local/postgres.ts');
        const major = majorOf(request.capture?.serverVersion);
        const binDir =
          this.config.postgresBinDir ??
          localPostgresBinDirs().find((b) => major === undefined || b.major === major)?.dir;
        if (!binDir) {
          throw new BackdrillError(
            'usage',
            `no local PostgreSQL ${major ?? ''} server binaries for the sandbox of store ${store.name}`.replace(
              '  ',
              ' ',
            ),
            {
              hint: `install PostgreSQL ${major} (e.g. apt-get install postgresql-${major}), set drill.local.postgresBinDir, or use drill.provider external or testcontainers`,
            },
          );
        }
        const server = await startLocalPostgres({ binDir, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          // A server URL without a database: each database is restored under its own name.
          target: server.url.replace(/\/postgres$/, ''),
          version: server.version,
          config: {},
          dispose: () => server.stop(),
        };
      }
      case 'neo4j': {
        const installation = this.config.neo4jHome ?? process.env.NEO4J_HOME;
        if (!installation) {
          throw new BackdrillError('usage', `no local Neo4j installation for the sandbox of store ${store.name}`, {
            hint: 'set drill.local.neo4jHome (a Neo4j 5 home, or the folder of its server jars), or use drill.targets',
          });
        }
        const { startLocalNeo4j } = await import('./local/neo4j.ts');
        const server = await startLocalNeo4j({ installation, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          target: server.url,
          version: server.version,
          config: {},
          dispose: () => server.stop(),
        };
      }
      case 'qdrant': {
        const binary = this.config.qdrantBinary;
        if (!binary) {
          throw new BackdrillError('usage', `no local Qdrant binary for the sandbox of store ${store.name}`, {
            hint: 'set drill.local.qdrantBinary (the qdrant server binary), or give the store a URL under drill.targets',
          });
        }
        const { startLocalQdrant } = await import('./local/qdrant.ts');
        const server = await startLocalQdrant({ binary, ...this.ready });
        return {
          store: store.name,
          provider: this.name,
          target: server.url,
          version: server.version,
          // The sandbox's own key, not the production one from the store's config.
          config: { apiKey: server.apiKey },
          dispose: () => server.stop(),
        };
      }
    }
  }
}

/** The port each kind's servers listen on, TLS or not (Qdrant Cloud serves HTTPS on 6333 too). */
const DEFAULT_PORTS: Record<StoreConfig['kind'], number> = { postgres: 5432, neo4j: 7687, qdrant: 6333 };

/** Host and port a target URL connects to (the store kind's default port when the URL has none). */
export function endpointOf(kind: StoreConfig['kind'], target: string): { host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return undefined;
  }
  if (!u.hostname) return undefined;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[kind];
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

/**
 * Sandboxes that already exist (GitHub service containers, a staging server): nothing to start or stop, but the
 * readiness wait still applies: a service container may still be starting when the drill begins.
 */
export class ExternalProvider implements SandboxProvider {
  readonly name = 'external' as const;

  constructor(
    private readonly targets: Record<string, string>,
    private readonly readyTimeoutMs = 120_000,
  ) {}

  async provision(request: SandboxRequest): Promise<Sandbox> {
    const target = this.targets[request.store.name];
    if (!target) {
      throw new BackdrillError('usage', `drill.targets has no URL for store ${request.store.name}`, {
        hint: `add drill.targets.${request.store.name}: <URL of an empty server to restore into>`,
      });
    }
    const endpoint = endpointOf(request.store.kind, target);
    if (!endpoint) {
      throw new BackdrillError(
        'usage',
        `drill.targets.${request.store.name} is not a URL (${request.store.kind} target expected)`,
        { hint: 'give a URL such as postgresql://host:5432, bolt://host:7687 or http://host:6333' },
      );
    }
    if (!(await pollUntil(() => tcpOpen(endpoint.port, endpoint.host), this.readyTimeoutMs))) {
      throw new BackdrillError(
        'usage',
        `the drill target of store ${request.store.name} (${redactUrl(target)}) did not accept connections within ${Math.round(this.readyTimeoutMs / 1000)} s`,
        {
          hint: "start the server (or the job's service container) first, check host and port, or raise drill.readyTimeout",
        },
      );
    }
    return {
      store: request.store.name,
      provider: this.name,
      target,
      version: 'external',
      config: {},
      dispose: async () => {},
    };
  }
}
