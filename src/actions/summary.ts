// The reports of backup, verify, prune and restore (the JSON the CLI's --json prints, plus the outcome) and their
// Markdown for job summaries and issues. Drills use src/report (DrillReport + renderMarkdown).
import type { Snapshot } from '../repo/format.ts';
import type { VerifyResult } from '../repo/verify.ts';
import { formatBytes as bytes, cell, formatMs, formatPhases } from '../report/markdown.ts';

/** bytes processed / bytes added; "inf" when nothing new was stored. */
export function dedupRatio(processed: number, added: number): string {
  if (added === 0) return processed === 0 ? '1.00' : 'inf';
  return (processed / added).toFixed(2);
}

export interface BackupReport {
  kind: 'backup';
  passed: boolean;
  error: string | null;
  backup_set: string | null;
  snapshots: Array<{
    store: string;
    kind: string;
    snapshot_id: string;
    bytes_processed: number;
    bytes_added: number;
    chunks_new: number;
    chunks_reused: number;
    duration_ms: number;
    warnings: string[];
  }>;
}

export function backupReport(
  set: string | null,
  results: Array<{ snapshot: Snapshot; warnings: string[] }>,
  error: string | null,
): BackupReport {
  return {
    kind: 'backup',
    passed: error === null,
    error,
    backup_set: set,
    snapshots: results.map(({ snapshot: s, warnings }) => ({
      store: s.store.name,
      kind: s.store.kind,
      snapshot_id: s.id,
      bytes_processed: s.stats.bytesProcessed,
      bytes_added: s.stats.bytesAdded,
      chunks_new: s.stats.chunksNew,
      chunks_reused: s.stats.chunksReused,
      duration_ms: s.timings.durationMs,
      warnings,
    })),
  };
}

export function renderBackup(r: BackupReport): string {
  const out = [`## ${r.passed ? '✅ Backup done' : '❌ Backup failed'}`, ''];
  if (r.backup_set) out.push(`Backup set \`${r.backup_set.slice(0, 12)}\``, '');
  if (r.error) out.push(`**Error:** ${cell(r.error)}`, '');
  if (r.snapshots.length > 0) {
    out.push(
      '| store | kind | snapshot | size | new bytes | dedup ratio | duration | throughput | chunks new / reused |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const s of r.snapshots) {
      const tput = s.duration_ms > 0 ? `${bytes(Math.round((s.bytes_processed * 1000) / s.duration_ms))}/s` : '—';
      out.push(
        `| ${cell(s.store)} | ${s.kind} | \`${s.snapshot_id.slice(0, 8)}\` | ${bytes(s.bytes_processed)} | ` +
          `${bytes(s.bytes_added)} | ${dedupRatio(s.bytes_processed, s.bytes_added)} | ${formatMs(s.duration_ms)} | ` +
          `${tput} | ${s.chunks_new} / ${s.chunks_reused} |`,
      );
    }
    const processed = r.snapshots.reduce((n, s) => n + s.bytes_processed, 0);
    const added = r.snapshots.reduce((n, s) => n + s.bytes_added, 0);
    out.push(
      '',
      `Total: ${bytes(processed)} processed, ${bytes(added)} added (dedup ratio ${dedupRatio(processed, added)}).`,
    );
  }
  const warnings = r.snapshots.flatMap((s) => s.warnings.map((w) => `${s.store}: ${w}`));
  if (warnings.length > 0) {
    out.push('', '<details><summary>Warnings</summary>', '', ...warnings.map((w) => `- ${cell(w)}`), '', '</details>');
  }
  return `${out.join('\n')}\n`;
}

export interface VerifyReport {
  kind: 'verify';
  passed: boolean;
  error: string | null;
  read_data_subset: string | null;
  snapshots: number;
  chunks: number;
  chunks_read: number;
  bytes_read: number;
  unreferenced_chunks: number;
  errors: VerifyResult['errors'];
}

export function verifyReport(r: VerifyResult | null, subset: string | null, error: string | null): VerifyReport {
  return {
    kind: 'verify',
    passed: error === null && r !== null && r.ok,
    error,
    read_data_subset: subset,
    snapshots: r?.snapshots ?? 0,
    chunks: r?.chunks ?? 0,
    chunks_read: r?.chunksRead ?? 0,
    bytes_read: r?.bytesRead ?? 0,
    unreferenced_chunks: r?.unreferenced ?? 0,
    errors: r?.errors ?? [],
  };
}

export function renderVerify(r: VerifyReport): string {
  const out = [`## ${r.passed ? '✅ Repository verified' : '❌ Repository verification failed'}`, ''];
  if (r.error) out.push(`**Error:** ${cell(r.error)}`, '');
  out.push(
    '| snapshots | chunks referenced | chunks read | bytes read | unreferenced chunks | errors |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${r.snapshots} | ${r.chunks} | ${r.chunks_read} | ${bytes(r.bytes_read)} | ${r.unreferenced_chunks} | ${r.errors.length} |`,
  );
  if (r.read_data_subset) out.push('', `Data read: subset \`${r.read_data_subset}\`.`);
  if (r.errors.length > 0) {
    out.push('', '### Damage', '', '| object | snapshots | problem |', '| --- | --- | --- |');
    for (const e of r.errors.slice(0, 50)) {
      out.push(`| \`${cell(e.object)}\` | ${e.snapshots.map((s) => s.slice(0, 8)).join(', ')} | ${cell(e.message)} |`);
    }
    if (r.errors.length > 50) out.push('', `… and ${r.errors.length - 50} more`);
  }
  return `${out.join('\n')}\n`;
}

export interface PruneReport {
  kind: 'prune';
  dry_run: boolean;
  forgotten: Array<{ id: string; store: string; time: string; reasons: string[] }>;
  kept: number;
  deleted: { snapshots: number; chunks: number; bytes_freed: number };
  estimate_bytes_freed: number;
  warnings: string[];
}

export function renderPrune(r: PruneReport): string {
  const out = [`## 🧹 ${r.dry_run ? 'Prune plan (dry run)' : 'Prune done'}`, ''];
  out.push(
    '| snapshots kept | snapshots forgotten | chunks deleted | bytes freed |',
    '| --- | --- | --- | --- |',
    `| ${r.kept} | ${r.dry_run ? `${r.forgotten.length} (planned)` : r.deleted.snapshots} | ${r.deleted.chunks} | ` +
      `${r.dry_run ? `~${bytes(r.estimate_bytes_freed)} (planned)` : bytes(r.deleted.bytes_freed)} |`,
  );
  if (r.forgotten.length > 0) {
    out.push('', '<details><summary>Forgotten snapshots</summary>', '', '| snapshot | store | time | why |');
    out.push('| --- | --- | --- | --- |');
    for (const f of r.forgotten) {
      out.push(`| \`${f.id.slice(0, 8)}\` | ${cell(f.store)} | ${f.time} | ${cell(f.reasons.join('; '))} |`);
    }
    out.push('', '</details>');
  }
  for (const w of r.warnings) out.push('', `> ⚠️ ${cell(w)}`);
  return `${out.join('\n')}\n`;
}

export interface RestoreReport {
  kind: 'restore';
  store: string;
  snapshot_id: string;
  target: string;
  duration_ms: number;
  /** Wall seconds of each restore phase, where the store reports them (Neo4j: nodes, relationships, schema). */
  phases_s: Record<string, number>;
  safety_snapshot_id: string | null;
  warnings: string[];
}

export function renderRestore(r: RestoreReport): string {
  const out = [
    '## ♻️ Restore done',
    '',
    '| store | snapshot | target | duration | safety snapshot |',
    '| --- | --- | --- | --- | --- |',
    `| ${cell(r.store)} | \`${r.snapshot_id.slice(0, 8)}\` | ${cell(r.target)} | ${formatMs(r.duration_ms)} | ` +
      `${r.safety_snapshot_id ? `\`${r.safety_snapshot_id.slice(0, 8)}\`` : '—'} |`,
  ];
  if (Object.keys(r.phases_s).length > 0) out.push('', `Phases: ${cell(formatPhases(r.phases_s))}.`);
  if (r.safety_snapshot_id) {
    out.push(
      '',
      `The target's previous contents were saved as snapshot \`${r.safety_snapshot_id}\`; restore it with force to roll back.`,
    );
  }
  for (const w of r.warnings) out.push('', `> ⚠️ ${cell(w)}`);
  return `${out.join('\n')}\n`;
}
