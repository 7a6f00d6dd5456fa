// A GitHub REST API double (issues and issue comments only), typed against @octokit/openapi-types. The actions
// reach it through GITHUB_API_URL, exactly as they reach api.github.com. Every request is recorded so tests can
// check what was sent (and that no secret was).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';

type Issue = components['schemas']['issue'];
type IssueComment = components['schemas']['issue-comment'];

/** The fields of an issue the double keeps (the real API returns many more). */
export type DoubleIssue = Pick<Issue, 'id' | 'number' | 'title' | 'body' | 'state' | 'state_reason' | 'html_url'> & {
  labels: Array<{ name: string }>;
  comments: number;
};
export type DoubleComment = Pick<IssueComment, 'id' | 'body' | 'html_url'> & { issue_number: number };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export class GitHubDouble {
  readonly issues: DoubleIssue[] = [];
  readonly comments: DoubleComment[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Tokens the double accepts; any other gets 401. */
  readonly tokens = new Set<string>();
  /** When set, every write answers 403 (a token without `issues: write`). */
  readOnly = false;
  private server: Server | undefined;
  private nextId = 1000;

  constructor(readonly repository: string) {}

  get url(): string {
    const a = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${a.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: err.message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://double');
    this.requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      body,
    });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return { status: 401, body: { message: 'Bad credentials' } };
    const base = `/repos/${this.repository}/issues`;
    if (!url.pathname.startsWith(base)) return { status: 404, body: { message: 'Not Found' } };
    const rest = url.pathname.slice(base.length);
    const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    if (req.method !== 'GET' && this.readOnly) {
      return { status: 403, body: { message: 'Resource not accessible by integration' } };
    }
    if (req.method === 'GET' && rest === '') {
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const hits = this.issues
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.some((x) => x.name === l)));
      return { status: 200, body: hits.slice((page - 1) * perPage, page * perPage) };
    }
    if (req.method === 'POST' && rest === '') {
      const number = this.issues.length + 1;
      const issue: DoubleIssue = {
        id: this.nextId++,
        number,
        title: String(json.title),
        body: typeof json.body === 'string' ? json.body : null,
        state: 'open',
        state_reason: null,
        html_url: `https://github.example/${this.repository}/issues/${number}`,
        labels: ((json.labels as string[] | undefined) ?? []).map((name) => ({ name })),
        comments: 0,
      };
      this.issues.push(issue);
      return { status: 201, body: issue };
    }
    const m = /^\/(\d+)(\/comments)?$/.exec(rest);
    const issue = m ? this.issues.find((i) => i.number === Number(m[1])) : undefined;
    if (!m || !issue) return { status: 404, body: { message: 'Not Found' } };
    if (req.method === 'POST' && m[2]) {
      const id = this.nextId++;
      const comment: DoubleComment = {
        id,
        issue_number: issue.number,
        body: String(json.body),
        html_url: `${issue.html_url}#issuecomment-${id}`,
      };
      this.comments.push(comment);
      issue.comments++;
      return { status: 201, body: comment };
    }
    if (req.method === 'PATCH' && !m[2]) {
      if (json.state === 'open' || json.state === 'closed') issue.state = json.state;
      if (typeof json.state_reason === 'string') issue.state_reason = json.state_reason as Issue['state_reason'];
      return { status: 200, body: issue };
    }
    return { status: 405, body: { message: 'Method not allowed by the double' } };
  }
}
