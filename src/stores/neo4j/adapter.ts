// The Neo4j store. Logical mode: an online export over Bolt (schema, nodes, relationships; every Cypher value
// exact) that works on every edition and on Aura, with the fingerprint computed from the export stream itself and
// an honest record of whether the graph moved meanwhile; restore in batches into an empty database. Dump mode:
// neo4j-admin database dump / load where the server files are reachable (Community: DBMS stopped).
import type { Driver } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { BackdrillError } from '../../errors.ts';
import type { Fingerprint } from '../fingerprint.ts';
import {
  type ArtifactSink,
  type ArtifactSource,
  IncompleteRestoreError,
  type ProbeResult,
  type RestoreOptions,
  type RestoreResult,
  type StoreAdapter,
  type StoreBackupResult,
} from '../types.ts';
import type { Neo4jDumpConfig, Neo4jStoreConfig } from './config.ts';
import {
  connect,
  connectionProblem,
  describeConn,
  errorCode,
  explained,
  type Neo4jConn,
  parseNeo4jUrl,
} from './connection.ts';
import { adminVersion, databaseOnDisk, databasesOnDisk, dumpDatabase, loadDatabase } from './dump.ts';
import { GraphExport, graphCounts } from './export.ts';
import { artifacts, type ExportRecord, LOGICAL_FORMAT, layoutOf, type SchemaFile } from './format.ts';
import { clearDatabase, restoreLogical } from './restore.ts';
import { type GraphSchema, readSchema, schemaPrint } from './schema.ts';

export interface Neo4jTarget {
  conn: Neo4jConn;
  /** Database in the snapshot -> database to restore into. */
  databases: Array<{ from: string; to: string }>;
  /** How the snapshot was taken, so how it restores. */
  mode: 'logical' | 'dump';
  /** The target server's files, for dump mode. */
  dump: Neo4jDumpConfig | undefined;
}

interface ServerInfo {
  version: string;
  edition: string;
}

interface DatabaseInfo {
  name: string;
  status: string;
  default: boolean;
}

const CONSISTENT_COPY_HINT =
  'for a consistent copy, quiesce writers around the backup (pre/post hooks), export from a read replica, or dump a ' +
  'stopped copy (mode: dump); see docs/stores/neo4j.md';

function sameCounts(a: { nodes: number; relationships: number }, b: { nodes: number; relationships: number }): boolean {
  return a.nodes === b.nodes && a.relationships === b.relationships;
}

export class Neo4jAdapter implements StoreAdapter<Neo4jTarget> {
  readonly kind = 'neo4j';
  readonly name: string;
  private readonly conn: Neo4jConn;

  constructor(readonly config: Neo4jStoreConfig) {
    this.name = config.name;
    this.conn = parseNeo4jUrl(config.url, config.name, { user: config.user, password: config.password }).conn;
  }

  private async server(driver: Driver): Promise<ServerInfo> {
    const res = await driver.executeQuery(
      'CALL dbms.components() YIELD name, versions, edition RETURN *',
      {},
      { database: 'system' },
    );
    const kernel = res.records.find((r) => r.get('name') === 'Neo4j Kernel') ?? res.records[0];
    return {
      version: String((kernel?.get('versions') as string[] | undefined)?.[0] ?? 'unknown'),
      edition: String(kernel?.get('edition') ?? 'unknown'),
    };
  }

  private async userDatabases(driver: Driver, conn: Neo4jConn): Promise<DatabaseInfo[]> {
    const res = await explained(this.name, conn, 'system', () =>
      driver.executeQuery(
        "SHOW DATABASES YIELD name, type, currentStatus, default WHERE type = 'standard' RETURN name, currentStatus, default",
        {},
        { database: 'system' },
      ),
    );
    // A cluster reports a database once per server: one entry per name, online if any copy is.
    const byName = new Map<string, DatabaseInfo>();
    for (const r of res.records) {
      const name = String(r.get('name'));
      const status = String(r.get('currentStatus'));
      const prev = byName.get(name);
      if (!prev || status === 'online') byName.set(name, { name, status, default: r.get('default') === true });
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private async selectDatabases(driver: Driver): Promise<string[]> {
    const all = await this.userDatabases(driver, this.conn);
    const wanted = this.config.databases ?? all.map((d) => d.name);
    const missing = wanted.filter((d) => !all.some((a) => a.name === d));
    if (missing.length > 0) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: database(s) ${missing.join(', ')} do not exist on ${describeConn(this.conn)}`,
        {
          hint: `the server has: ${all.map((d) => d.name).join(', ') || 'no user databases'}; fix databases: in backdrill.yml`,
        },
      );
    }
    const offline = all.filter((d) => wanted.includes(d.name) && d.status !== 'online');
    if (offline.length > 0) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: database(s) ${offline.map((d) => `${d.name} (${d.status})`).join(', ')} are not online on ${describeConn(this.conn)}`,
        { hint: 'start them (START DATABASE) or leave them out of databases: in backdrill.yml' },
      );
    }
    if (wanted.length === 0)
      throw new BackdrillError('usage', `store ${this.name}: the server has no user database to back up`);
    return wanted;
  }

  async probe(): Promise<ProbeResult> {
    if (this.config.mode === 'dump' && this.config.dump) {
      // The DBMS may well be stopped for a dump: the admin tool speaks for the installation.
      const version = await adminVersion(this.config.dump, this.name);
      return {
        kind: this.kind,
        version,
        details: { mode: 'dump', home: this.config.dump.home, databases: databasesOnDisk(this.config.dump) },
      };
    }
    const driver = await connect(this.conn, this.name);
    try {
      const server = await this.server(driver);
      const databases = [];
      for (const d of await this.userDatabases(driver, this.conn)) {
        const counts = d.status === 'online' ? await graphCounts(driver, d.name) : undefined;
        databases.push({ ...d, ...(counts ?? {}) });
      }
      const apoc = await driver.executeQuery(
        "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.' RETURN count(*) AS n",
        {},
        { database: 'system' },
      );
      return {
        kind: this.kind,
        version: server.version,
        details: {
          mode: this.config.mode,
          edition: server.edition,
          databases,
          // Reported for the user's information only: backdrill never needs APOC.
          apoc: Number(apoc.records[0]?.get('n') ?? 0) > 0,
        },
      };
    } finally {
      await driver.close();
    }
  }

  async backup(sink: ArtifactSink): Promise<StoreBackupResult> {
    return this.config.mode === 'dump' ? this.backupDump(sink) : this.backupLogical(sink);
  }

  private async backupLogical(sink: ArtifactSink): Promise<StoreBackupResult> {
    const driver = await connect(this.conn, this.name);
    const fingerprint: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    const warnings: string[] = [];
    const records: ExportRecord[] = [];
    try {
      const server = await this.server(driver);
      for (const db of await this.selectDatabases(driver)) {
        const record = await explained(this.name, this.conn, db, () =>
          this.exportDatabase(driver, db, server, sink, fingerprint, warnings),
        );
        records.push(record);
      }
      return {
        capture: {
          // Not a point in time (Neo4j has no snapshot reads over Bolt): the data is at least as new as this.
          at: records.map((r) => r.startedAt).sort()[0] ?? new Date().toISOString(),
          serverVersion: server.version,
          details: {
            mode: 'logical',
            edition: server.edition,
            pointInTime: records.every((r) => !r.changed),
            databases: records,
          },
        },
        fingerprint,
        warnings,
      };
    } finally {
      await driver.close();
    }
  }

  private async exportDatabase(
    driver: Driver,
    db: string,
    server: ServerInfo,
    sink: ArtifactSink,
    fingerprint: Fingerprint,
    warnings: string[],
  ): Promise<ExportRecord> {
    const startedAt = new Date().toISOString();
    const before = await graphCounts(driver, db);
    const schemaBefore = await this.schemaOf(driver, db);
    const schemaFile: SchemaFile = { format: LOGICAL_FORMAT, version: 1, database: db, ...schemaBefore };
    await sink.add(artifacts.schema(db), [Buffer.from(`${JSON.stringify(schemaFile, null, 1)}\n`)]);
    const exp = new GraphExport(driver, db);
    await sink.add(artifacts.nodes(db), exp.nodes());
    await sink.add(artifacts.relationships(db), exp.relationships());
    const after = await graphCounts(driver, db);
    const schemaAfter = await this.schemaOf(driver, db);
    const exported = { nodes: exp.printer.nodeCount, relationships: exp.printer.relationshipCount };
    const schemaChanged = JSON.stringify(schemaPrint(schemaBefore)) !== JSON.stringify(schemaPrint(schemaAfter));
    const changed =
      !sameCounts(before, after) ||
      !sameCounts(before, exported) ||
      exp.skippedRelationships > 0 ||
      exp.printer.nodeTable.duplicates > 0 ||
      schemaChanged;
    const record: ExportRecord = {
      format: LOGICAL_FORMAT,
      version: 1,
      database: db,
      serverVersion: server.version,
      edition: server.edition,
      startedAt,
      finishedAt: new Date().toISOString(),
      before,
      after,
      exported,
      skippedRelationships: exp.skippedRelationships,
      schemaChanged,
      changed,
    };
    await sink.add(artifacts.record(db), [Buffer.from(`${JSON.stringify(record, null, 1)}\n`)]);

    const prefix = `${db}: `;
    for (const [k, v] of Object.entries(schemaPrint(schemaBefore))) fingerprint.schema[prefix + k] = v;
    Object.assign(fingerprint.data, exp.printer.data(prefix));
    if (changed) {
      const parts = [
        `nodes ${before.nodes} before, ${exported.nodes} exported, ${after.nodes} after`,
        `relationships ${before.relationships} before, ${exported.relationships} exported, ${after.relationships} after`,
      ];
      if (exp.skippedRelationships > 0)
        parts.push(`${exp.skippedRelationships} relationship(s) to nodes created meanwhile left out`);
      if (schemaChanged) parts.push('indexes or constraints changed');
      warnings.push(
        `${this.name}/${db}: the graph changed while it was exported (${parts.join('; ')}): this backup is not a ` +
          `point-in-time copy, though it is self-consistent and its fingerprint describes exactly what it holds; ${CONSISTENT_COPY_HINT}`,
      );
    }
    const notOnline = schemaBefore.indexes.filter((i) => i.state !== 'ONLINE');
    if (notOnline.length > 0) {
      warnings.push(
        `${this.name}/${db}: index(es) ${notOnline.map((i) => `${i.name} (${i.state})`).join(', ')} were not online; ` +
          'a restore creates them afresh',
      );
    }
    return record;
  }

  private async schemaOf(driver: Driver, database: string): Promise<GraphSchema> {
    const session = driver.session({ database, defaultAccessMode: neo4j.session.READ });
    try {
      return await readSchema(session);
    } finally {
      await session.close();
    }
  }

  private async backupDump(sink: ArtifactSink): Promise<StoreBackupResult> {
    const dump = this.config.dump!;
    const version = await adminVersion(dump, this.name);
    const databases = this.config.databases ?? databasesOnDisk(dump);
    if (databases.length === 0) {
      throw new BackdrillError('usage', `store ${this.name}: no databases to dump under ${dump.home}`, {
        hint: 'check dump.home (the server NEO4J_HOME) or list databases: in backdrill.yml',
      });
    }
    const dumped: Array<Record<string, unknown>> = [];
    for (const db of databases) {
      const startedAt = new Date().toISOString();
      await dumpDatabase(dump, db, artifacts.dump(db), sink, this.name);
      dumped.push({ database: db, startedAt, finishedAt: new Date().toISOString() });
    }
    return {
      capture: {
        at: String(dumped[0]!.startedAt),
        serverVersion: version,
        details: {
          mode: 'dump',
          home: dump.home,
          // neo4j-admin dumps a database only while the server has it closed: the dump is a consistent copy.
          pointInTime: true,
          databases: dumped,
        },
      },
      fingerprint: { version: 1, kind: this.kind, schema: {}, data: {} },
      warnings: [
        `${this.name}: dump mode records no fingerprint (the database is offline while it is dumped); a drill proves ` +
          'the dump loads, and takes the fingerprint of the loaded copy',
      ],
    };
  }

  target(spec: string | undefined, source: ArtifactSource): Neo4jTarget {
    const layout = layoutOf(source);
    if (!layout)
      throw new BackdrillError('integrity', `store ${this.name}: the snapshot holds no Neo4j export or dump`);
    let conn = this.conn;
    let named: string | undefined;
    let dump = this.config.dump;
    if (spec) {
      let home: string | null = null;
      let url = spec;
      try {
        const u = new URL(spec);
        home = u.searchParams.get('home');
        u.searchParams.delete('home');
        url = u.toString();
      } catch {
        // parseNeo4jUrl explains
      }
      const parsed = parseNeo4jUrl(url, this.name, { user: this.config.user, password: this.config.password });
      conn = parsed.conn;
      named = parsed.database;
      // The admin command of backdrill.yml serves any home; the conf is the target home's own.
      if (home) dump = { home, ...(dump?.adminCommand ? { adminCommand: dump.adminCommand } : {}) };
    }
    if (layout.mode === 'dump' && !dump) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: the snapshot is a neo4j-admin dump; loading it needs the target's NEO4J_HOME`,
        {
          hint: 'set dump.home in backdrill.yml, or add ?home=/path/to/neo4j to the --target URL',
        },
      );
    }
    let databases: Neo4jTarget['databases'];
    if (named) {
      if (layout.databases.length > 1) {
        throw new BackdrillError(
          'usage',
          `the snapshot holds ${layout.databases.length} databases (${layout.databases.join(', ')}); the target names one`,
          { hint: 'give a server URL without a database: each database is restored under its own name' },
        );
      }
      databases = [{ from: layout.databases[0]!, to: named }];
    } else {
      databases = layout.databases.map((d) => ({ from: d, to: d }));
    }
    return { conn, databases, mode: layout.mode, dump };
  }

  async targetIsEmpty(target: Neo4jTarget): Promise<boolean> {
    if (target.mode === 'dump') return !target.databases.some(({ to }) => databaseOnDisk(target.dump!, to));
    const driver = await connect(target.conn, this.name);
    try {
      const existing = new Set((await this.userDatabases(driver, target.conn)).map((d) => d.name));
      for (const { to } of target.databases) {
        if (existing.has(to) && !(await this.databaseIsEmpty(driver, target.conn, to))) return false;
      }
      return true;
    } finally {
      await driver.close();
    }
  }

  async backupTarget(target: Neo4jTarget, sink: ArtifactSink): Promise<StoreBackupResult> {
    let existing: string[];
    if (target.mode === 'dump') {
      existing = target.databases.map((d) => d.to).filter((db) => databaseOnDisk(target.dump!, db));
    } else {
      const driver = await connect(target.conn, this.name);
      try {
        const all = new Set((await this.userDatabases(driver, target.conn)).map((d) => d.name));
        existing = target.databases.map((d) => d.to).filter((db) => all.has(db));
      } finally {
        await driver.close();
      }
    }
    const adapter = new Neo4jAdapter({
      ...this.config,
      url: target.conn.url,
      user: target.conn.user,
      password: target.conn.password,
      databases: existing,
      mode: target.mode,
      dump: target.dump,
    });
    return adapter.backup(sink);
  }

  private async databaseIsEmpty(driver: Driver, conn: Neo4jConn, database: string): Promise<boolean> {
    return explained(this.name, conn, database, async () => {
      const q = async (query: string) =>
        (await driver.executeQuery(query, {}, { database })).records[0]?.get('n') as bigint | boolean | undefined;
      // SHOW commands cannot run inside subqueries: three round trips.
      if ((await q('MATCH (n) RETURN count(n) > 0 AS n')) === true) return false;
      if (Number(await q("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP' RETURN count(*) AS n")) > 0) return false;
      return Number(await q('SHOW CONSTRAINTS YIELD name RETURN count(*) AS n')) === 0;
    });
  }

  async restore(source: ArtifactSource, target: Neo4jTarget, options: RestoreOptions): Promise<RestoreResult> {
    return target.mode === 'dump'
      ? this.restoreDump(source, target, options)
      : this.restoreLogical(source, target, options);
  }

  private async ensureDatabase(driver: Driver, target: Neo4jTarget, database: string): Promise<void> {
    const existing = await this.userDatabases(driver, target.conn);
    if (existing.some((d) => d.name === database)) return;
    try {
      await driver.executeQuery('CREATE DATABASE $name IF NOT EXISTS WAIT', { name: database }, { database: 'system' });
    } catch (err) {
      throw new BackdrillError(
        'usage',
        `store ${this.name}: database ${database} does not exist on ${describeConn(target.conn)} and cannot be created (${
          (err as Error).message.split('\n')[0]
        })`,
        {
          hint: `Community Edition has one user database (${existing.map((d) => d.name).join(', ') || 'neo4j'}): name it in the --target URL, e.g. bolt://host:7687/neo4j`,
          cause: err,
        },
      );
    }
  }

  private async restoreLogical(
    source: ArtifactSource,
    target: Neo4jTarget,
    options: RestoreOptions,
  ): Promise<RestoreResult> {
    const driver = await connect(target.conn, this.name);
    const warnings: string[] = [];
    const failures: string[] = [];
    const phases: Record<string, number> = {};
    try {
      for (const { from, to } of target.databases) {
        options.signal?.throwIfAborted();
        await this.ensureDatabase(driver, target, to);
        if (!(await this.databaseIsEmpty(driver, target.conn, to))) {
          if (!options.force) {
            throw new BackdrillError(
              'usage',
              `store ${this.name}: database ${to} on ${describeConn(target.conn)} is not empty`,
              {
                hint: 'restore into an empty database, or pass --force (the current contents are saved as a safety snapshot first)',
              },
            );
          }
          await clearDatabase(driver, to);
        }
        try {
          const out = await restoreLogical({
            driver,
            store: this.name,
            from,
            to,
            source,
            batchSize: this.config.batchSize,
            jobs: Math.min(4, Math.max(1, options.jobs ?? 2)),
            ...(options.signal ? { signal: options.signal } : {}),
          });
          failures.push(...out.failures);
          warnings.push(...out.warnings);
          for (const [phase, s] of Object.entries(out.phases)) phases[`${from} ${phase}`] = s;
        } catch (err) {
          const problem = connectionProblem(err, this.name, target.conn, to);
          if (problem) throw problem;
          if (err instanceof BackdrillError || (err instanceof Error && err.name === 'AbortError')) throw err;
          failures.push(`${from}: ${(err as Error).message.split('\n')[0]} (code ${errorCode(err) || 'none'})`);
          failures.push(`${from}: database ${to} holds a partial restore; restore again with --force`);
        }
      }
    } finally {
      await driver.close();
    }
    if (failures.length > 0) {
      throw new IncompleteRestoreError(
        `store ${this.name}: ${failures.length} problem(s) restoring into ${describeConn(target.conn)}`,
        failures,
      );
    }
    return { warnings, phases };
  }

  private async restoreDump(
    source: ArtifactSource,
    target: Neo4jTarget,
    options: RestoreOptions,
  ): Promise<RestoreResult> {
    const dump = target.dump!;
    for (const { from, to } of target.databases) {
      options.signal?.throwIfAborted();
      if (!options.force && databaseOnDisk(dump, to)) {
        throw new BackdrillError(
          'usage',
          `store ${this.name}: database ${to} already has store files under ${dump.home}`,
          {
            hint: 'load into a fresh installation, or pass --force to replace it (the DBMS must be stopped)',
          },
        );
      }
      await loadDatabase(dump, to, source.open(artifacts.dump(from)), this.name, true);
    }
    return {
      warnings: [
        `${this.name}: loaded with neo4j-admin; start the DBMS (Community) or the database (Enterprise: CREATE/START DATABASE) to use it`,
      ],
    };
  }

  async fingerprint(target: Neo4jTarget): Promise<Fingerprint> {
    const driver = await connect(target.conn, this.name);
    const fp: Fingerprint = { version: 1, kind: this.kind, schema: {}, data: {} };
    try {
      for (const { from, to } of target.databases) {
        await explained(this.name, target.conn, to, async () => {
          const prefix = `${from}: `;
          for (const [k, v] of Object.entries(schemaPrint(await this.schemaOf(driver, to)))) fp.schema[prefix + k] = v;
          const exp = new GraphExport(driver, to);
          for await (const _ of exp.nodes(false));
          for await (const _ of exp.relationships(false));
          Object.assign(fp.data, exp.printer.data(prefix));
        });
      }
    } finally {
      await driver.close();
    }
    return fp;
  }
}
