/**
 * The access-log line of a request in the Combined Log Format (Apache's `combined`, as Twisted's
 * `combinedLogFormatter`): `host - - [time] "METHOD uri PROTO" code length "referer" "agent"`.
 *
 * @example
 * ```ts
 * combinedLogLine(request, Date.now() / 1000);
 * // '10.0.0.2 - - [23/Nov/2026:21:00:00 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8.0"'
 * ```
 * @module
 */
import type { HTTPRequest } from './http-request.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `[dd/Mon/yyyy:HH:MM:SS +0000]`'s inside, in UTC.
 *
 * @example
 * ```ts
 * logTime(0); // '01/Jan/1970:00:00:00 +0000'
 * ```
 */
export function logTime(seconds: number): string {
  const d = new Date(Math.floor(seconds) * 1000);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function quote(s: string | undefined): string {
  return s === undefined
    ? '"-"'
    : `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, '')}"`;
}

/**
 * The Combined Log Format line of `request`.
 *
 * @example
 * ```ts
 * site.log(request); // uses this
 * ```
 */
export function combinedLogLine(request: HTTPRequest, now: number): string {
  const peer = request.getClientAddress();
  const host = 'host' in peer ? String(peer.host) : '-';
  const line = `${request.method} ${request.uri} ${request.clientproto}`;
  const length = request.sentLength > 0 ? String(request.sentLength) : '-';
  return `${host} - - [${logTime(now)}] ${quote(line)} ${request.code} ${length} ${quote(request.getHeader('referer'))} ${quote(request.getHeader('user-agent'))}`;
}
