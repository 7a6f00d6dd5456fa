// Check files (drills/*.yml): per-store queries with expected results, and cross-store rules over key sets
// (equal, subset, disjoint) plus built-ins (orphans, nulls in critical fields, duplicate relationships).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeIssue } from '../config/load.ts';
import { UsageError } from '../errors.ts';

/** One query against one store. Exactly one of sql / cypher / qdrant. */
export const StoreQuery = z
  .object({
    store: z.string(),
    /** PostgreSQL: the database (default: the snapshot's only database). */
    database: z.string().optional(),
    sql: z.string().optional(),
    cypher: z.string().optional(),
    qdrant: z
      .object({
        collection: z.string(),
        /** count: points matching the filter; ids: the point ids (for key sets). */
        op: z.enum(['count', 'ids']).default('count'),
        filter: z.record(z.string(), z.unknown()).optional(),
        /** For ids: use this payload field instead of the point id. */
        payloadKey: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((q) => [q.sql, q.cypher, q.qdrant].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of sql, cypher or qdrant',
  });
export type StoreQuery = z.infer<typeof StoreQuery>;

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const Expectation = z
  .object({
    equals: Scalar.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    /** The whole result, as rows of values (order matters). */
    rows: z.array(z.array(Scalar)).optional(),
  })
  .strict()
  .refine((e) => Object.values(e).some((v) => v !== undefined), {
    message: 'say what to expect: equals, min, max or rows',
  });
export type Expectation = z.infer<typeof Expectation>;

export const Check = z.intersection(z.object({ name: z.string().min(1), expect: Expectation }), StoreQuery);
export type Check = z.infer<typeof Check>;

const KeyRule = z
  .object({
    name: z.string().min(1),
    kind: z.enum(['equal', 'subset', 'disjoint']),
    left: StoreQuery,
    right: StoreQuery,
  })
  .strict();

/** Built-ins: compiled into key rules or checks (see expandBuiltins). */
const Orphans = z
  .object({
    name: z.string().min(1),
    builtin: z.literal('orphans'),
    /** Keys that must each have a parent: e.g. SELECT customer_id::text FROM orders */
    children: StoreQuery,
    /** The parents' keys: e.g. MATCH (c:Customer) RETURN c.id */
    parents: StoreQuery,
  })
  .strict();
const Nulls = z
  .object({
    name: z.string().min(1),
    builtin: z.literal('nulls'),
    store: z.string(),
    database: z.string().optional(),
    /** PostgreSQL: table and critical columns; Neo4j: label and critical properties. */
    table: z.string().optional(),
    label: z.string().optional(),
    fields: z.array(z.string()).min(1),
  })
  .strict();
const DuplicateRelationships = z
  .object({
    name: z.string().min(1),
    builtin: z.literal('duplicate-relationships'),
    store: z.string(),
    type: z.string(),
  })
  .strict();

export const Rule = z.union([KeyRule, Orphans, Nulls, DuplicateRelationships]);
export type Rule = z.infer<typeof Rule>;
export type KeyRule = z.infer<typeof KeyRule>;

export const ChecksFile = z
  .object({
    version: z.literal(1),
    checks: z.array(Check).default([]),
    rules: z.array(Rule).default([]),
  })
  .strict();
export type ChecksFile = z.infer<typeof ChecksFile>;

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}
function cypherName(s: string): string {
  return `\`${s.replace(/`/g, '``')}\``;
}

/** Built-ins become plain checks and key rules the runner knows how to evaluate. */
export function expandBuiltins(file: ChecksFile): { checks: Check[]; rules: KeyRule[] } {
  const checks: Check[] = [...file.checks];
  const rules: KeyRule[] = [];
  for (const r of file.rules) {
    if ('kind' in r) rules.push(r);
    else if (r.builtin === 'orphans') rules.push({ name: r.name, kind: 'subset', left: r.children, right: r.parents });
    else if (r.builtin === 'nulls') {
      if (r.table) {
        const table = r.table.split('.').map(quoteIdent).join('.');
        const cond = r.fields.map((f) => `${quoteIdent(f)} IS NULL`).join(' OR ');
        checks.push({
          name: r.name,
          store: r.store,
          ...(r.database ? { database: r.database } : {}),
          sql: `SELECT count(*) FROM ${table} WHERE ${cond}`,
          expect: { equals: 0 },
        });
      } else if (r.label) {
        const cond = r.fields.map((f) => `n.${cypherName(f)} IS NULL`).join(' OR ');
        checks.push({
          name: r.name,
          store: r.store,
          cypher: `MATCH (n:${cypherName(r.label)}) WHERE ${cond} RETURN count(n)`,
          expect: { equals: 0 },
        });
      } else {
        throw new UsageError(`rule "${r.name}": the nulls built-in needs a table (PostgreSQL) or a label (Neo4j)`);
      }
    } else {
      checks.push({
        name: r.name,
        store: r.store,
        cypher: `MATCH (a)-[r:${cypherName(r.type)}]->(b) WITH a, b, count(r) AS n WHERE n > 1 RETURN count(*)`,
        expect: { equals: 0 },
      });
    }
  }
  return { checks, rules };
}

/** Reads every check file (a file, or each *.yml / *.yaml in a folder); errors name the file and the path. */
export function loadChecks(paths: string[], baseDir: string): { checks: Check[]; rules: KeyRule[]; files: string[] } {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(baseDir, p);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(full);
    } catch {
      throw new UsageError(`drill.checks: ${p} does not exist (relative to ${baseDir})`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(full).sort()) if (/\.ya?ml$/.test(f)) files.push(join(full, f));
    } else files.push(full);
  }
  const checks: Check[] = [];
  const rules: KeyRule[] = [];
  for (const f of files) {
    const doc = parseDocument(readFileSync(f, 'utf8'), { uniqueKeys: true });
    if (doc.errors.length > 0) throw new UsageError(`${f}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const parsed = ChecksFile.safeParse(doc.toJS());
    if (!parsed.success) {
      throw new UsageError(
        `${f}: ${parsed.error.issues.slice(0, 3).map(describeIssue).join('; ')}`,
        'see docs/drills.md',
      );
    }
    const expanded = expandBuiltins(parsed.data);
    checks.push(...expanded.checks);
    rules.push(...expanded.rules);
  }
  return { checks, rules, files };
}

/** Compares a query's first value (or all rows) with the expectation; returns why it failed, or undefined. */
export function judge(expect: Expectation, rows: unknown[][]): string | undefined {
  const first = rows[0]?.[0];
  const num =
    typeof first === 'number' ? first : typeof first === 'string' && first.trim() !== '' ? Number(first) : Number.NaN;
  if (expect.rows !== undefined) {
    const got = JSON.stringify(rows);
    const want = JSON.stringify(expect.rows);
    if (got !== want) return `expected rows ${want.slice(0, 200)}, got ${got.slice(0, 200)}`;
  }
  if (expect.equals !== undefined) {
    const ok = typeof expect.equals === 'number' ? num === expect.equals : String(first) === String(expect.equals);
    if (!ok) return `expected ${JSON.stringify(expect.equals)}, got ${JSON.stringify(first ?? null)}`;
  }
  if (expect.min !== undefined && !(num >= expect.min))
    return `expected at least ${expect.min}, got ${JSON.stringify(first ?? null)}`;
  if (expect.max !== undefined && !(num <= expect.max))
    return `expected at most ${expect.max}, got ${JSON.stringify(first ?? null)}`;
  return undefined;
}
