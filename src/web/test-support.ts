/**
 * Helpers for testing resources without sockets: a `Site` on a `Clock`, a channel on a
 * `StringTransport`, and a parser for what the channel wrote.
 *
 * @example
 * ```ts
 * const { site, clock } = testSite(root);
 * const conn = connect(site);
 * conn.send('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
 * parseResponses(conn.transport.value())[0].status; // 200
 * ```
 * @module
 */
import { Clock } from '../testing/clock.js';
import { StringTransport } from '../testing/string-transport.js';
import type { HTTPChannel } from './http-channel.js';
import type { IResource } from './resource.js';
import { Site, type SiteOptions } from './site.js';

/** A parsed response. */
export interface ParsedResponse {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  /** Lower-cased name → values. */
  readonly headers: Map<string, string[]>;
  readonly body: Buffer;
}

/**
 * A site on a fresh `Clock`, with Date fixed at the epoch.
 *
 * @example
 * ```ts
 * const { site, clock } = testSite(new Data('x', 'text/plain'));
 * ```
 */
export function testSite(resource: IResource, options: SiteOptions = {}): { site: Site; clock: Clock } {
  const clock = new Clock();
  const site = new Site(resource, { clock, wallClock: () => 0, ...options });
  return { site, clock };
}

/** A channel connected to a StringTransport. */
export interface TestConnection {
  readonly channel: HTTPChannel;
  readonly transport: StringTransport;
  send(data: string | Buffer): void;
  /** The responses written so far. */
  responses(): ParsedResponse[];
}

/**
 * Connects a new channel of `site` to a `StringTransport`.
 *
 * @example
 * ```ts
 * const conn = connect(site); conn.send(request); conn.responses();
 * ```
 */
export function connect(site: Site): TestConnection {
  const transport = new StringTransport();
  const channel = site.buildProtocol(transport.getPeer());
  channel.makeConnection(transport);
  return {
    channel,
    transport,
    send: (data) => channel.dataReceived(typeof data === 'string' ? Buffer.from(data, 'latin1') : data),
    responses: () => parseResponses(transport.value()),
  };
}

/**
 * Parses concatenated responses (Content-Length, chunked, or to the end for the last one).
 * Responses to HEAD are not distinguishable here: pass `headCount` for leading ones without body.
 *
 * @example
 * ```ts
 * parseResponses(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'))[0].status; // 204
 * ```
 */
export function parseResponses(data: Buffer, noBody: ReadonlySet<number> = new Set()): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let pos = 0;
  while (pos < data.length) {
    const end = data.indexOf('\r\n\r\n', pos, 'latin1');
    if (end < 0) throw new Error(`incomplete head: ${JSON.stringify(data.toString('latin1', pos))}`);
    const lines = data.toString('latin1', pos, end).split('\r\n');
    const m = /^HTTP\/(\d\.\d) (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
    if (m === null) throw new Error(`bad status line ${JSON.stringify(lines[0])}`);
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const c = line.indexOf(':');
      const k = line.slice(0, c).toLowerCase();
      headers.set(k, [...(headers.get(k) ?? []), line.slice(c + 1).trim()]);
    }
    const status = Number(m[2]);
    pos = end + 4;
    let body: Buffer;
    if (noBody.has(out.length) || status < 200 || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (headers.has('content-length')) {
      const n = Number(headers.get('content-length')![0]);
      body = data.subarray(pos, pos + n);
      pos += n;
    } else if (headers.get('transfer-encoding')?.[0] === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const eol = data.indexOf('\r\n', pos, 'latin1');
        const size = Number.parseInt(data.toString('latin1', pos, eol), 16);
        pos = eol + 2;
        if (size === 0) {
          pos = data.indexOf('\r\n', pos, 'latin1') + 2;
          break;
        }
        parts.push(data.subarray(pos, pos + size));
        pos += size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      body = data.subarray(pos);
      pos = data.length;
    }
    out.push({ status, reason: m[3] ?? '', version: m[1] ?? '', headers, body });
  }
  return out;
}
