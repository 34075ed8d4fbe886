/**
 * Status codes with their reason phrases (RFC 9110 §15) and pre-encoded status lines.
 *
 * @example
 * ```ts
 * statusLine('1.1', 404); // 'HTTP/1.1 404 Not Found\r\n'
 * ```
 * @module
 */
import type { HttpVersion } from './events.js';

/**
 * Reason phrases of the registered status codes.
 *
 * @example
 * ```ts
 * STATUS_REASONS[413]; // 'Content Too Large'
 * ```
 */
export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
});

/** Status lines with the registered phrase, keyed by code (negative for HTTP/1.0). */
const cache = new Map<number, string>();

/**
 * The status line for `code`, with `reason` or the registered phrase; cached when the phrase is
 * the registered one. Throws on a code outside 100–999 or a reason with CR/LF (caller misuse).
 *
 * @example
 * ```ts
 * statusLine('1.0', 200); // 'HTTP/1.0 200 OK\r\n'
 * ```
 */
export function statusLine(version: HttpVersion, code: number, reason?: string): string {
  if (reason === undefined) {
    const key = version === '1.1' ? code : -code;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (!Number.isInteger(code) || code < 100 || code > 999)
      throw new RangeError(`invalid status code ${code}`);
    const line = `HTTP/${version} ${code} ${STATUS_REASONS[code] ?? 'Unknown'}\r\n`;
    cache.set(key, line);
    return line;
  }
  if (!Number.isInteger(code) || code < 100 || code > 999)
    throw new RangeError(`invalid status code ${code}`);
  if (/[\r\n\0]/.test(reason)) throw new TypeError('a reason phrase cannot contain CR, LF or NUL');
  return `HTTP/${version} ${code} ${reason}\r\n`;
}
