// The sandbox providers: local server binaries, and external URLs given in backdrill.yml. (The testcontainers
// provider, for hosts with Docker, lives in testcontainers.ts.)
import { BackdrillError } from '../errors.ts';
import type { DrillConfig } from './config.ts';
import type { Sandbox, SandboxProvider, SandboxRequest } from './sandbox.ts';

function majorOf(version: string | undefined): number | undefined {
  const m = /^(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}

export class LocalProvider implements SandboxProvider {
  readonly name = 'local' as const;

  constructor(private readonly config: DrillConfig['local']) {}

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
        const server = await startLocalPostgres({ binDir });
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
        const server = await startLocalNeo4j({ installation });
        return {
          store: store.name,
          provider: this.name,
          target: server.url,
          version: server.version,
          config: {},
          dispose: () => server.stop(),
        };
      }
      default:
        throw new BackdrillError(
          'usage',
          `the local provider cannot start a ${store.kind} sandbox (store ${store.name}) yet`,
          {
            hint: `give the store a URL under drill.targets with drill.provider: external`,
          },
        );
    }
  }
}

/** Sandboxes that already exist (GitHub service containers, a staging server): nothing to start or stop. */
export class ExternalProvider implements SandboxProvider {
  readonly name = 'external' as const;

  constructor(private readonly targets: Record<string, string>) {}

  async provision(request: SandboxRequest): Promise<Sandbox> {
    const target = this.targets[request.store.name];
    if (!target) {
      throw new BackdrillError('usage', `drill.targets has no URL for store ${request.store.name}`, {
        hint: `add drill.targets.${request.store.name}: <URL of an empty server to restore into>`,
      });
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
