// Issue alerts: while an operation fails there is exactly one open issue for it, keyed by workflow + stores +
// kind (a marker in the body, so renaming the title breaks nothing); a repeated failure comments on it, a success
// closes it with a comment. Plain fetch against GITHUB_API_URL (the REST API; tests point it at a double). The
// token needs `issues: write`. Bodies are built by the caller from the report and redacted before they get here.
import type { components } from '@octokit/openapi-types';

type Issue = components['schemas']['issue'];
type IssueComment = components['schemas']['issue-comment'];

export interface AlertKey {
  kind: 'backup' | 'verify' | 'restore-drill';
  workflow: string;
  /** The stores the operation covered, e.g. "app,graph" or "all". */
  stores: string;
}

export interface AlertTarget {
  apiUrl: string;
  /** owner/name */
  repository: string;
  token: string;
  label: string;
  /** Link to the run, for comments. */
  runUrl: string | undefined;
}

export type AlertAction =
  | { action: 'opened' | 'commented' | 'closed'; url: string; number: number }
  | { action: 'none' };

/** GitHub rejects bodies over 65536 characters. */
const MAX_BODY = 60_000;

export function alertMarker(key: AlertKey): string {
  const clean = (s: string) => s.replace(/-->/g, '').replace(/[\r\n|]/g, ' ');
  return `<!-- backdrill-alert: ${clean(key.kind)}|${clean(key.workflow)}|${clean(key.stores)} -->`;
}

export function alertTitle(key: AlertKey): string {
  return `backdrill ${key.kind} failing: ${key.stores.split(',').join(', ')} (${key.workflow})`;
}

function clip(body: string): string {
  return body.length <= MAX_BODY
    ? body
    : `${body.slice(0, MAX_BODY)}\n\n… (cut; the full report is in the run's summary)`;
}

export class GitHubApiError extends Error {}

async function api<T>(t: AlertTarget, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${t.apiUrl.replace(/\/$/, '')}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${t.token}`,
      'x-github-api-version': '2022-11-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    const hint =
      res.status === 403 || res.status === 404
        ? ' (does the job grant `permissions: issues: write` to the github-token?)'
        : '';
    throw new GitHubApiError(`GitHub API ${method} ${path}: HTTP ${res.status}${hint}`);
  }
  return (await res.json()) as T;
}

/** The open alert issue for the key, if any. */
export async function findAlert(t: AlertTarget, key: AlertKey): Promise<Issue | undefined> {
  const marker = alertMarker(key);
  const label = encodeURIComponent(t.label);
  for (let page = 1; page <= 10; page++) {
    const issues = await api<Issue[]>(
      t,
      'GET',
      `/repos/${t.repository}/issues?state=open&labels=${label}&per_page=100&page=${page}`,
    );
    const hit = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
    if (hit) return hit;
    if (issues.length < 100) return undefined;
  }
  return undefined;
}

/** Opens, comments on or closes the alert issue for the key; `details` is Markdown already free of secrets. */
export async function updateAlert(
  t: AlertTarget,
  key: AlertKey,
  outcome: { ok: boolean; details: string },
): Promise<AlertAction> {
  const open = await findAlert(t, key);
  const run = t.runUrl ? `[this run](${t.runUrl})` : 'this run';
  const [owner, name] = t.repository.split('/') as [string, string];
  const base = `/repos/${owner}/${name}/issues`;
  if (outcome.ok) {
    if (!open) return { action: 'none' };
    await api<IssueComment>(t, 'POST', `${base}/${open.number}/comments`, {
      body: clip(`✅ Recovered: ${key.kind} passed in ${run}. Closing.\n\n${outcome.details}`),
    });
    await api<Issue>(t, 'PATCH', `${base}/${open.number}`, { state: 'closed', state_reason: 'completed' });
    return { action: 'closed', url: open.html_url, number: open.number };
  }
  if (open) {
    await api<IssueComment>(t, 'POST', `${base}/${open.number}/comments`, {
      body: clip(`❌ Still failing in ${run}.\n\n${outcome.details}`),
    });
    return { action: 'commented', url: open.html_url, number: open.number };
  }
  const issue = await api<Issue>(t, 'POST', base, {
    title: alertTitle(key),
    labels: [t.label],
    body: clip(
      `${alertMarker(key)}\n❌ backdrill ${key.kind} failed in ${run} (workflow \`${key.workflow}\`, stores \`${key.stores}\`).\n` +
        `This issue is updated while it keeps failing and closed when it passes again.\n\n${outcome.details}`,
    ),
  });
  return { action: 'opened', url: issue.html_url, number: issue.number };
}
