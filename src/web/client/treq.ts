/**
 * The treq-style API: `treq.get(url, options)` (and `head`, `post`, `put`, `patch`, `delete`,
 * `request(method, url, options)`) → `Deferred<TreqResponse>` with `json()`, `text()`,
 * `content()`; `collect(response, fn)` streams. Options: `params` (added to the query),
 * `headers`, a body as `json`, `data` (bytes, or a record sent form-encoded) or `files`
 * (multipart/form-data, with `data` fields alongside), `auth` (HTTP basic), `timeout` (seconds,
 * for the whole request until the response head), `allowRedirects` (default true, browser-like),
 * `agent` (default: a shared pooled agent on the global reactor; idle connections are kept 4 s),
 * `signal`.
 *
 * @example
 * ```ts
 * import { treq } from 'twisted-ts/web/client';
 * const r = await treq.post('http://127.0.0.1:8080/items', { json: { name: 'a' }, auth: ['u', 'p'] });
 * console.log(r.code, await r.json());
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { getReactor } from '../../internet/default-reactor.js';
import type { Deferred } from '../../internet/defer.js';
import type { IReactorTime } from '../../internet/interfaces.js';
import { Agent, type AgentReactor, toHeaders } from './agent.js';
import { ContentDecoderAgent } from './content-decoder-agent.js';
import { FileBodyProducer } from './file-body-producer.js';
import type { HeadersInit, IAgent, IBodyProducer, IResponse } from './interfaces.js';
import { HTTPConnectionPool } from './pool.js';
import { BrowserLikeRedirectAgent } from './redirect-agent.js';
import { collect, TreqResponse } from './treq-response.js';

/**
 * A file for `files`: bytes, or bytes with a file name and type.
 *
 * @example
 * ```ts
 * const files: Record<string, FileField> = {
 *   avatar: { content: readFileSync('me.png'), filename: 'me.png', contentType: 'image/png' },
 *   notes: 'sent as a file named "notes", application/octet-stream',
 * };
 * await treq.post('http://127.0.0.1:8080/profile', { files, data: { user: 'alice' } });
 * ```
 */
export type FileField =
  | Buffer
  | string
  | {
      /** The file's bytes. */
      readonly content: Buffer | string;
      /** The name sent (default: the field name). */
      readonly filename?: string;
      /** Its media type (default `application/octet-stream`). */
      readonly contentType?: string;
    };

/**
 * Query parameters: a record (arrays repeat the name) or name/value pairs.
 *
 * @example
 * ```ts
 * const params: Params = { q: 'twisted', tag: ['web', 'http'], page: 2 };
 * await treq.get('http://127.0.0.1:8080/search', { params }); // ?q=twisted&tag=web&tag=http&page=2
 * const ordered: Params = [['b', '2'], ['a', '1']];
 * ```
 */
export type Params =
  | Readonly<Record<string, string | number | readonly (string | number)[]>>
  | readonly (readonly [string, string])[];

/**
 * Options of the treq-style calls; see the module doc.
 *
 * @example
 * ```ts
 * const options: TreqOptions = {
 *   headers: { accept: 'application/json' },
 *   auth: ['user', 'secret'],
 *   timeout: 10,
 *   allowRedirects: false,
 * };
 * const r = await treq.get('http://127.0.0.1:8080/api', options);
 * ```
 */
export interface TreqOptions {
  /** Query parameters added to the URL. */
  params?: Params;
  /** Request header fields. */
  headers?: HeadersInit;
  /** A value sent as JSON (`Content-Type: application/json`). */
  json?: unknown;
  /** Bytes sent as is, or fields sent form-encoded (or as parts beside `files`). */
  data?: Buffer | string | Readonly<Record<string, string | readonly string[]>>;
  /** Files sent as multipart/form-data. */
  files?: Readonly<Record<string, FileField>>;
  /** `[user, password]` for HTTP basic authentication. */
  auth?: readonly [string, string];
  /** Seconds until the response head must have arrived. */
  timeout?: number;
  /** Follow redirects, browser-like (default true). */
  allowRedirects?: boolean;
  /** The agent to send with (default: a shared pooled one). */
  agent?: IAgent;
  /** Aborting it aborts the request, or the body while it streams. */
  signal?: AbortSignal;
  /** The clock for `timeout` and the reactor of the default agent (default: the global reactor). */
  reactor?: AgentReactor;
}

/** One pooled agent per reactor, shared by the calls that give no `agent`. */
const defaultAgents = new WeakMap<AgentReactor, Agent>();

function agentFor(reactor: AgentReactor | undefined): Agent {
  const r = reactor ?? (getReactor() as AgentReactor);
  let agent = defaultAgents.get(r);
  if (agent === undefined) {
    agent = new Agent(r, { pool: new HTTPConnectionPool(r, { cachedConnectionTimeout: 4 }) });
    defaultAgents.set(r, agent);
  }
  return agent;
}

function withParams(url: string, params: Params | undefined): string {
  if (params === undefined) return url;
  const u = new URL(url);
  const pairs: readonly (readonly [string, string])[] = Array.isArray(params)
    ? (params as readonly (readonly [string, string])[])
    : Object.entries(params as Record<string, string | number | readonly (string | number)[]>).flatMap(
        ([k, v]) => (Array.isArray(v) ? v.map((x) => [k, String(x)] as const) : [[k, String(v)] as const]),
      );
  for (const [k, v] of pairs) u.searchParams.append(k, v);
  return u.href;
}

/**
 * A multipart/form-data body and the boundary its Content-Type must name.
 *
 * @example
 * ```ts
 * const mp: MultipartBody = multipartBody({ title: 'Report' }, { file: readFileSync('report.pdf') });
 * const headers = { 'content-type': `multipart/form-data; boundary=${mp.boundary}` };
 * await agent.request('POST', url, headers, new FileBodyProducer(mp.body));
 * ```
 */
export interface MultipartBody {
  /** The encoded parts. */
  readonly body: Buffer;
  /** The boundary between parts. */
  readonly boundary: string;
}

/**
 * A multipart/form-data body from `fields` and `files`; returns the body and its boundary.
 *
 * @example
 * ```ts
 * const { body, boundary } = multipartBody({ a: '1' }, { f: { content: 'x', filename: 'f.txt' } });
 * ```
 */
export function multipartBody(
  fields: Readonly<Record<string, string | readonly string[]>>,
  files: Readonly<Record<string, FileField>>,
  boundary = randomBytes(16).toString('hex'),
): MultipartBody {
  const parts: Buffer[] = [];
  const quote = (s: string): string => s.replace(/["\r\n\\]/g, (c) => encodeURIComponent(c));
  for (const [name, value] of Object.entries(fields)) {
    for (const v of typeof value === 'string' ? [value] : value) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n`),
      );
      parts.push(Buffer.from(v), Buffer.from('\r\n'));
    }
  }
  for (const [name, file] of Object.entries(files)) {
    const f = typeof file === 'string' || Buffer.isBuffer(file) ? { content: file } : file;
    const filename = f.filename ?? name;
    const type = f.contentType ?? 'application/octet-stream';
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"; filename="${quote(filename)}"\r\n` +
          `Content-Type: ${type}\r\n\r\n`,
      ),
      Buffer.from(f.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), boundary };
}

/**
 * Sends a request (see the module doc).
 *
 * @example
 * ```ts
 * const r = await request('GET', 'http://127.0.0.1:8080/', { params: { q: 'x' } });
 * ```
 */
export function request(method: string, url: string, options: TreqOptions = {}): Deferred<TreqResponse> {
  const headers = toHeaders(options.headers);
  let body: IBodyProducer | null = null;
  if (options.files !== undefined) {
    const data = options.data;
    const fields = data === undefined || typeof data === 'string' || Buffer.isBuffer(data) ? {} : data;
    const mp = multipartBody(fields, options.files);
    headers.setRawHeaders('Content-Type', [`multipart/form-data; boundary=${mp.boundary}`]);
    body = new FileBodyProducer(mp.body);
  } else if (options.json !== undefined) {
    if (!headers.hasHeader('content-type'))
      headers.setRawHeaders('Content-Type', ['application/json; charset=utf-8']);
    body = new FileBodyProducer(Buffer.from(JSON.stringify(options.json)));
  } else if (options.data !== undefined) {
    const data = options.data;
    if (typeof data === 'string' || Buffer.isBuffer(data)) body = new FileBodyProducer(data);
    else {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(data))
        for (const x of typeof v === 'string' ? [v] : v) form.append(k, x);
      if (!headers.hasHeader('content-type')) {
        headers.setRawHeaders('Content-Type', ['application/x-www-form-urlencoded']);
      }
      body = new FileBodyProducer(Buffer.from(form.toString()));
    }
  }
  if (options.auth !== undefined) {
    const [user, pass] = options.auth;
    headers.setRawHeaders('Authorization', [`Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`]);
  }
  let agent: IAgent = options.agent ?? agentFor(options.reactor);
  agent = new ContentDecoderAgent(agent);
  if (options.allowRedirects !== false) agent = new BrowserLikeRedirectAgent(agent);
  const reqOptions = options.signal === undefined ? undefined : { signal: options.signal };
  const d = agent.request(method, withParams(url, options.params), headers, body, reqOptions);
  if (options.timeout !== undefined) {
    const clock: IReactorTime = options.reactor ?? getReactor();
    d.addTimeout(options.timeout, clock);
  }
  return d.addCallback((r: IResponse) => new TreqResponse(r));
}

/** `GET url`. @example `await treq.get('http://127.0.0.1:8080/')` */
export function get(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('GET', url, options);
}
/** `HEAD url`. @example `await treq.head(url)` */
export function head(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('HEAD', url, options);
}
/** `POST url`. @example `await treq.post(url, { json: { a: 1 } })` */
export function post(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('POST', url, options);
}
/** `PUT url`. @example `await treq.put(url, { data: 'text' })` */
export function put(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('PUT', url, options);
}
/** `PATCH url`. @example `await treq.patch(url, { json: { a: 2 } })` */
export function patch(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('PATCH', url, options);
}
/** `DELETE url`. @example `await treq.delete(url)` */
export function del(url: string, options?: TreqOptions): Deferred<TreqResponse> {
  return request('DELETE', url, options);
}

/**
 * The treq-style functions in one object (`treq.delete` included).
 *
 * @example
 * ```ts
 * const r = await treq.get(url); console.log(await r.json());
 * ```
 */
export const treq: Readonly<{
  /** `request(method, url, options)`. */
  request: typeof request;
  /** `GET url`. */
  get: typeof get;
  /** `HEAD url`. */
  head: typeof head;
  /** `POST url`. */
  post: typeof post;
  /** `PUT url`. */
  put: typeof put;
  /** `PATCH url`. */
  patch: typeof patch;
  /** `DELETE url`. */
  delete: typeof del;
  /** Streams a body chunk by chunk. */
  collect: typeof collect;
}> = Object.freeze({ request, get, head, post, put, patch, delete: del, collect });
