// The Markdown rendering of a drill report: what a person reads in the job summary, an issue body or a
// terminal. Built only from the report object, so it says nothing the JSON does not.
import type { DrillReport } from './report.ts';

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 120) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

/** 1536 -> "1.50 KiB": three significant digits, binary units. */
/** "neo4j nodes 18.7 s, neo4j relationships 68.6 s, neo4j schema 6.4 s" */
export function formatPhases(phases: Record<string, number>): string {
  return Object.entries(phases)
    .map(([phase, s]) => `${phase} ${s.toFixed(1)} s`)
    .join(', ');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[u]}`;
}

/** Markdown table cells must not break the table. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdown(r: DrillReport): string {
  const out: string[] = [];
  out.push(`## ${r.passed ? '✅ Restore drill passed' : '❌ Restore drill failed'}`);
  out.push('');
  out.push(
    `Backup set \`${r.set.id?.slice(0, 12) ?? '—'}\` from ${r.set.time} · ` +
      `RTO **${formatMs(r.rto.ms)}**${r.rto.targetMs !== null ? ` (target ${formatMs(r.rto.targetMs)})` : ''} · ` +
      `RPO **${formatMs(r.rpo.ms)}**${r.rpo.targetMs !== null ? ` (target ${formatMs(r.rpo.targetMs)})` : ''} · ` +
      `capture skew ${formatMs(r.set.skewMs)}`,
  );
  if (r.failures.length > 0) {
    out.push('', '### Failures', '');
    for (const f of r.failures) out.push(`- ${f}`);
  }
  out.push('', '### Stores', '');
  out.push('| store | kind | snapshot | size | sandbox | restore | fingerprint |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const s of r.stores) {
    const restore = s.restore.ok ? formatMs(s.restore.ms) : `failed: ${cell(s.restore.error ?? '')}`;
    const fp = !s.fingerprint.compared
      ? 'not compared'
      : s.fingerprint.ok
        ? 'matches'
        : `${s.fingerprint.differences.length} difference(s)`;
    const sandbox = s.sandbox ? `${s.sandbox.provider} ${s.sandbox.version}` : '—';
    out.push(
      `| ${cell(s.store)} | ${s.kind} | \`${s.snapshot.slice(0, 8)}\` | ${formatBytes(s.size)} | ${cell(sandbox)} | ${restore} | ${fp} |`,
    );
  }
  const diffs = r.stores.flatMap((s) => s.fingerprint.differences.map((d) => ({ store: s.store, d })));
  const partial = r.stores.flatMap((s) => s.restore.failures.map((f) => ({ store: s.store, f })));
  if (diffs.length > 0 || partial.length > 0) {
    out.push('', '<details><summary>Differences after restore</summary>', '');
    for (const { store, f } of partial) out.push(`- **${cell(store)}** did not restore: ${cell(f)}`);
    for (const { store, d } of diffs.slice(0, 50))
      out.push(`- **${cell(store)}** ${d.area} ${d.problem}: ${cell(d.message)}`);
    if (diffs.length > 50) out.push(`- ... and ${diffs.length - 50} more`);
    out.push('', '</details>');
  }
  if (r.checks.length > 0) {
    out.push('', '### Checks', '');
    out.push('| check | stores | result |');
    out.push('| --- | --- | --- |');
    for (const c of r.checks) {
      const samples = c.samples.length > 0 ? ` (e.g. ${c.samples.map((s) => `\`${cell(s)}\``).join(', ')})` : '';
      out.push(`| ${cell(c.name)} | ${c.stores.join(', ')} | ${c.ok ? '✅' : '❌'} ${cell(c.message)}${samples} |`);
    }
  }
  const trend = r.history.filter((h) => h.rtoMs !== null);
  if (trend.length >= 2) {
    out.push('', '### RTO over recent drills', '', '```mermaid', 'xychart-beta');
    out.push(`  title "RTO (seconds)"`);
    out.push(`  x-axis [${trend.map((h) => `"${h.time.slice(5, 16).replace('T', ' ')}"`).join(', ')}]`);
    out.push(`  y-axis "seconds"`);
    out.push(`  bar [${trend.map((h) => ((h.rtoMs ?? 0) / 1000).toFixed(1)).join(', ')}]`);
    out.push('```');
  }
  if (r.warnings.length > 0) {
    out.push('', '<details><summary>Warnings</summary>', '');
    for (const w of r.warnings) out.push(`- ${cell(w)}`);
    out.push('', '</details>');
  }
  out.push(
    '',
    `<sub>backdrill drill ${r.id.slice(0, 12)} · ${r.startedAt} → ${r.finishedAt} · ${cell(r.repository)}</sub>`,
    '',
  );
  return out.join('\n');
}
