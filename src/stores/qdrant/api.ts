// Talking to one Qdrant server over REST: the official client for configuration and snapshot management, plain
// node:http(s) where the client cannot do the job (points read and written losslessly, snapshot files streamed
// both ways with resumable downloads), and one translation of every failure into an error that names the
// store, the server (without credentials) and what to do.
import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { QdrantClient, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { BackdrillError } from '../../errors.ts';
import { redactUrl } from '../../urls.ts';
import { type JsonValue, parseLossless, stringifyLossless } from './json.ts';

export interface QdrantConn {
  /** The store's name, for messages. */
  store: string;
  url: string;
  apiKey?: string;
  caFile?: string;
  timeoutMs: number;
}

export { redactUrl as safeUrl };

/** An HTTP answer other than success, with Qdrant's own error text. */
export class QdrantHttpError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
  ) {
    super(`HTTP ${status}: ${serverMessage}`);
    this.name = 'QdrantHttpError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const c = errorCode(inner[0]);
      if (c) return c;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Status and server message of an HTTP failure from the client or from our own requests. */
function httpFailure(err: unknown): { status: number; message: string } | undefined {
  if (err instanceof QdrantHttpError) return { status: err.status, message: err.serverMessage };
  const e = err as { status?: unknown; data?: unknown; statusText?: unknown };
  if (typeof e?.status === 'number' && 'data' in (e as object)) {
    return { status: e.status, message: serverMessage(e.data, String(e.statusText ?? '')) };
  }
  return undefined;
}

function serverMessage(data: unknown, fallback: string): string {
  if (typeof data === 'string' && data.trim()) return data.trim().slice(0, 500);
  const error = (data as { status?: { error?: unknown } } | undefined)?.status?.error;
  if (typeof error === 'string') return error;
  return fallback || 'no error text';
}

/** True for failures worth retrying: the connection broke, or the server was briefly unavailable. */
export function isTransient(err: unknown): boolean {
  const http = httpFailure(err);
  if (http) return http.status >= 500 || http.status === 429 || http.status === 408;
  const code = errorCode(err);
  if (code && (NETWORK_CODES.has(code) || code === 'ERR_STREAM_PREMATURE_CLOSE')) return true;
  if ((err as Error)?.name === 'TimeoutError') return true;
  return err instanceof Error && /aborted|terminated|socket hang up|other side closed/i.test(err.message);
}

/** Adds a CA to the certificates this process trusts (the client's own HTTP agent offers no other way). */
const trusted = new Set<string>();
function trustCa(conn: QdrantConn): void {
  if (!conn.caFile || trusted.has(conn.caFile)) return;
  let pem: string;
  try {
    pem = readFileSync(conn.caFile, 'utf8');
  } catch (err) {
    throw new BackdrillError(
      'usage',
      `store ${conn.store}: cannot read tls.caFile ${conn.caFile}: ${errorCode(err) ?? err}`,
      {
        hint: 'point tls.caFile at the PEM file of the CA that signed the Qdrant server certificate',
      },
    );
  }
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), pem]);
  trusted.add(conn.caFile);
}

export interface FailureContext {
  /** What we were doing, e.g. "creating a snapshot of collection docs". */
  doing: string;
  /** The collection the request was about: a 404 then means it does not exist. */
  collection?: string;
}

export class QdrantApi {
  readonly client: QdrantClient;
  private readonly base: URL;

  constructor(readonly conn: QdrantConn) {
    trustCa(conn);
    this.base = new URL(conn.url);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    // The key goes in as a header: the client's apiKey option warns on every plain-http connection (we warn once).
    this.client = new QdrantClient({
      url: this.base.origin,
      ...(prefix ? { prefix } : {}),
      ...(conn.apiKey ? { headers: { 'api-key': conn.apiKey } } : {}),
      timeout: conn.timeoutMs,
      checkCompatibility: false,
    });
  }

  get where(): string {
    return redactUrl(this.conn.url);
  }

  /** Turns any failure into a BackdrillError naming the store, the server and what to do. */
  explain(err: unknown, ctx: FailureContext): BackdrillError {
    if (err instanceof BackdrillError) return err;
    const at = `store ${this.conn.store}: Qdrant at ${this.where}`;
    const http = httpFailure(err);
    if (http?.status === 401 || http?.status === 403) {
      return new BackdrillError(
        'usage',
        `${at} rejected the request while ${ctx.doing}: HTTP ${http.status} (${http.message})`,
        {
          cause: err,
          hint: this.conn.apiKey
            ? 'check the apiKey of this store in backdrill.yml: it must be a valid key, and a read-write key for snapshots and restores'
            : // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} the user writes in backdrill.yml
              'the server requires an API key: add apiKey: ${QDRANT_API_KEY} to this store in backdrill.yml and set the variable',
        },
      );
    }
    if (http?.status === 404 && ctx.collection !== undefined && /collection/i.test(http.message)) {
      return new BackdrillError('usage', `${at} has no collection "${ctx.collection}" (${http.message})`, {
        cause: err,
        hint: 'check `collections` of this store in backdrill.yml (backdrill probe lists what the server has)',
      });
    }
    if (http) {
      return new BackdrillError('fatal', `${at} answered HTTP ${http.status} while ${ctx.doing}: ${http.message}`, {
        cause: err,
      });
    }
    if (
      err instanceof QdrantClientTimeoutError ||
      errorCode(err) === 'ABORT_ERR' ||
      (err as Error)?.name === 'TimeoutError'
    ) {
      return new BackdrillError(
        'fatal',
        `${at} did not answer within ${this.conn.timeoutMs / 1000} s while ${ctx.doing}`,
        {
          cause: err,
          hint: 'raise timeoutSeconds of this store in backdrill.yml if the server is busy or the collection large',
        },
      );
    }
    const code = errorCode(err);
    if (code && TLS_CODES.has(code)) {
      return new BackdrillError('usage', `${at}: TLS failed while ${ctx.doing} (${code})`, {
        cause: err,
        hint:
          code === 'ERR_SSL_WRONG_VERSION_NUMBER'
            ? 'the server does not speak TLS on this port: use an http:// URL, or enable TLS on the server'
            : "set tls.caFile of this store to the PEM file of the CA that signed the server's certificate",
      });
    }
    if (code && NETWORK_CODES.has(code)) {
      return new BackdrillError('usage', `${at} is unreachable (${code}) while ${ctx.doing}`, {
        cause: err,
        hint: 'check the url of this store in backdrill.yml, and that the server is running and reachable from here',
      });
    }
    return new BackdrillError('fatal', `${at}: ${(err as Error)?.message ?? String(err)} while ${ctx.doing}`, {
      cause: err,
    });
  }

  /** Runs a client call, translating its failure. */
  async call<T>(ctx: FailureContext, fn: (client: QdrantClient) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client);
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }

  private url(path: string, query?: Record<string, string | undefined>): URL {
    const u = new URL(this.base.toString().replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.conn.apiKey ? { 'api-key': this.conn.apiKey } : {}), ...extra };
  }

  /** Opens a request; resolves with the response once its headers arrive. */
  private open(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body?: Buffer | AsyncIterable<Buffer>,
    timeoutMs?: number,
  ): Promise<IncomingMessage> {
    const options: RequestOptions = { method, headers };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, options, resolve);
      req.once('error', reject);
      if (timeoutMs) {
        req.setTimeout(timeoutMs, () =>
          req.destroy(Object.assign(new Error('request timed out'), { name: 'TimeoutError' })),
        );
      }
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else pipeline(Readable.from(body), req).catch((err: unknown) => req.destroy(err as Error));
    });
  }

  private static async readAll(res: IncomingMessage): Promise<string> {
    const parts: Buffer[] = [];
    for await (const p of res) parts.push(p as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  private static async failOnStatus(res: IncomingMessage): Promise<void> {
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return;
    const text = await QdrantApi.readAll(res).catch(() => '');
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {}
    throw new QdrantHttpError(status, serverMessage(data, res.statusMessage ?? ''));
  }

  /**
   * A JSON request whose body and answer go through the lossless JSON module (the client's JSON.parse would turn
   * 1.0 into 1). Returns the `result` member.
   */
  async json(
    method: string,
    path: string,
    ctx: FailureContext,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<JsonValue> {
    try {
      const payload = body === undefined ? undefined : Buffer.from(stringifyLossless(body), 'utf8');
      const res = await this.open(
        method,
        this.url(path, query),
        this.headers(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        payload,
        this.conn.timeoutMs,
      );
      await QdrantApi.failOnStatus(res);
      const parsed = parseLossless(await QdrantApi.readAll(res)) as { result?: JsonValue };
      return parsed.result ?? null;
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }

  /**
   * Streams a snapshot file. A connection cut mid-stream is resumed from the byte reached (HTTP Range), or, when
   * the server ignores Range, by reading again and checking that the bytes already yielded are the same ones; the
   * whole file is then checked against the size and SHA-256 the server reported when it created the snapshot.
   * Yields each byte exactly once, so one repository artifact receives the file however often it was retried.
   */
  async *download(
    path: string,
    expected: { size?: number; checksum?: string | null },
    retries: number,
    ctx: FailureContext,
  ): AsyncGenerator<Buffer> {
    const hash = createHash('sha256');
    let offset = 0;
    let failures = 0;
    for (;;) {
      let res: IncomingMessage | undefined;
      try {
        const range: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
        res = await this.open('GET', this.url(path), this.headers(range), undefined, this.conn.timeoutMs);
        let skip = 0;
        let prefix: Hash | undefined;
        let expectedPrefix: string | undefined;
        if (offset > 0 && res.statusCode === 206) {
          const start = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1];
          if (Number(start) !== offset) {
            throw new BackdrillError('integrity', `the server resumed ${path} at byte ${start}, not at ${offset}`);
          }
        } else {
          await QdrantApi.failOnStatus(res);
          if (offset > 0) {
            // Range ignored: read from the start, prove the prefix is the one already yielded, then go on.
            skip = offset;
            prefix = createHash('sha256');
            expectedPrefix = hash.copy().digest('hex');
          }
        }
        for await (const piece of res as AsyncIterable<Buffer>) {
          let buf = piece;
          if (skip > 0) {
            const n = Math.min(skip, buf.length);
            prefix!.update(buf.subarray(0, n));
            skip -= n;
            buf = buf.subarray(n);
            if (skip === 0 && prefix!.digest('hex') !== expectedPrefix) {
              throw new BackdrillError('integrity', `${path} changed on the server while it was being downloaded`);
            }
            if (buf.length === 0) continue;
          }
          hash.update(buf);
          offset += buf.length;
          yield buf;
        }
        if (skip > 0)
          throw Object.assign(new Error('aborted: shorter than the part already downloaded'), { code: 'ECONNRESET' });
        if (expected.size !== undefined && offset < expected.size) {
          throw Object.assign(new Error(`aborted: the download ended at byte ${offset} of ${expected.size}`), {
            code: 'ECONNRESET',
          });
        }
        break;
      } catch (err) {
        res?.destroy();
        if (err instanceof BackdrillError || !isTransient(err) || failures >= retries) {
          const e = this.explain(err, ctx);
          if (failures > 0 && !(err instanceof BackdrillError)) e.message += ` (after ${failures} resumed attempt(s))`;
          throw e;
        }
        failures++;
        await sleep(Math.min(200 * 2 ** failures, 5000));
      }
    }
    const sha = hash.digest('hex');
    if (expected.size !== undefined && offset !== expected.size) {
      throw new BackdrillError(
        'integrity',
        `store ${this.conn.store}: ${path} has ${offset} bytes, the server announced ${expected.size}`,
      );
    }
    if (expected.checksum && expected.checksum.toLowerCase() !== sha) {
      throw new BackdrillError(
        'integrity',
        `store ${this.conn.store}: ${path} has SHA-256 ${sha}, the server announced ${expected.checksum}`,
        { hint: 'the snapshot was damaged in transit or on the server; run the backup again' },
      );
    }
  }

  /** Uploads a snapshot file as multipart/form-data (field "snapshot"), streamed, with its exact length. */
  async upload(
    path: string,
    query: Record<string, string | undefined>,
    file: { name: string; size: number; bytes: AsyncIterable<Buffer> },
    ctx: FailureContext,
  ): Promise<JsonValue> {
    const boundary = `backdrill-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="${file.name.replace(/"/g, '')}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    async function* body(): AsyncGenerator<Buffer> {
      yield head;
      let sent = 0;
      for await (const b of file.bytes) {
        sent += b.length;
        yield b;
      }
      if (sent !== file.size) throw new Error(`the artifact has ${sent} bytes, expected ${file.size}`);
      yield tail;
    }
    try {
      const res = await this.open(
        'POST',
        this.url(path, query),
        this.headers({
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + file.size + tail.length),
        }),
        body(),
        this.conn.timeoutMs,
      );
      await QdrantApi.failOnStatus(res);
      const parsed = parseLossless(await QdrantApi.readAll(res)) as { result?: JsonValue };
      return parsed.result ?? null;
    } catch (err) {
      throw this.explain(err, ctx);
    }
  }
}
