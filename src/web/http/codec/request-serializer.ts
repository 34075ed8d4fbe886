/**
 * The client side of HTTP/1.1 serialization: a request head with its framing. Chunk framing
 * (`chunkHeader`, `CRLF_BUFFER`, `LAST_CHUNK`) is shared with the response serializer.
 *
 * @example
 * ```ts
 * const head = serializeRequestHead('GET', '/', ['Host', 'example.com'], -1, false);
 * transport.write(head);
 * ```
 * @module
 */
import { isFieldValue, isToken } from './abnf.js';

const TARGET_BAD = /[\s\x00-\x1f\x7f]/;

/**
 * The head of a request: request line, the fields in `rawHeaders` (flattened `[name, value, …]`,
 * any `Content-Length`/`Transfer-Encoding` in it skipped: the framing decides them), then the framing: `Content-Length: length`
 * when `length >= 0`, `Transfer-Encoding: chunked` when `chunked`, nothing otherwise. Throws a
 * `TypeError` on a method, target, field name or value that would break the message.
 *
 * @example
 * ```ts
 * serializeRequestHead('POST', '/upload', ['Host', 'h'], 5, false).toString('latin1');
 * // 'POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n'
 * ```
 */
export function serializeRequestHead(
  method: string,
  target: string,
  rawHeaders: readonly string[],
  length: number,
  chunked: boolean,
): Buffer {
  if (!isToken(method)) throw new TypeError(`invalid HTTP method: ${JSON.stringify(method)}`);
  if (target.length === 0 || TARGET_BAD.test(target)) {
    throw new TypeError(`invalid request target: ${JSON.stringify(target)}`);
  }
  let s = `${method} ${target} HTTP/1.1\r\n`;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    if (!isToken(name)) throw new TypeError(`invalid header name: ${JSON.stringify(name)}`);
    if (name.length === 14 || name.length === 17) {
      const lower = name.toLowerCase();
      if (lower === 'content-length' || lower === 'transfer-encoding') continue;
    }
    if (!isFieldValue(value)) {
      throw new TypeError(`invalid value for header ${name}`);
    }
    s += `${name}: ${value}\r\n`;
  }
  if (length >= 0) s += `Content-Length: ${length}\r\n`;
  else if (chunked) s += 'Transfer-Encoding: chunked\r\n';
  s += '\r\n';
  return Buffer.from(s, 'latin1');
}
