/**
 * The HTTP/1.1 codec's limits. Every limit is a constructor option with a default; exceeding one
 * ends the connection with the status below (peer errors come out as a `protocolError` event
 * carrying the status, never as a thrown exception).
 *
 * | option               | default   | exceeded when…                                                 | status |
 * |----------------------|-----------|----------------------------------------------------------------|--------|
 * | `maxRequestLineSize` | 8 KiB     | the request line (without CRLF) is longer                      | 414    |
 * | `maxHeaderSize`      | 16 KiB    | the header block after the start line (with CRLFs) is longer   | 431    |
 * | `maxHeaderCount`     | 100       | a message (or its trailer section) has more fields             | 431    |
 * | `maxBodySize`        | 10 MiB    | Content-Length or the chunked body so far is larger            | 413    |
 * | `maxChunkLineSize`   | 4 KiB     | a chunk-size line (size + extensions) is longer                | 400    |
 * | `maxLeadingEmptyLines` | 8       | more empty lines than this precede a request line              | 400    |
 *
 * Framing errors (not limits, always 400): Content-Length together with Transfer-Encoding;
 * differing Content-Length values; a bare CR or LF in the head; whitespace between a field name
 * and its colon; obs-fold; invalid token bytes; a chunk size that does not fit in 2^53; a missing
 * Host in HTTP/1.1. A transfer coding other than `chunked` answers 501, an HTTP version other
 * than 1.0/1.1 answers 505, an `Expect` other than `100-continue` answers 417.
 *
 * The time limits (header, request and idle timeouts, the slowloris defence) are not here: the
 * codec has no clock. `HTTPChannel` owns them.
 *
 * @example
 * ```ts
 * import { HttpRequestParser } from './request-parser.js';
 * const parser = new HttpRequestParser({ maxBodySize: 1024 * 1024 });
 * ```
 * @module
 */

/** Size limits of the HTTP/1.1 codec; see the module table. */
export interface HttpLimits {
  /** Longest request line in bytes, CRLF excluded (414 past it). Default 8192. */
  readonly maxRequestLineSize?: number;
  /** Longest header block in bytes after the start line, CRLFs included (431 past it). Default 16384. */
  readonly maxHeaderSize?: number;
  /** Most header fields in a message or trailer section (431 past it). Default 100. */
  readonly maxHeaderCount?: number;
  /** Largest body in bytes (413 past it); `Infinity` for unbounded streaming. Default 10 MiB. */
  readonly maxBodySize?: number;
  /** Longest chunk-size line (400 past it). Default 4096. */
  readonly maxChunkLineSize?: number;
  /** Empty lines tolerated before a request line (RFC 9112 §2.2; 400 past it). Default 8. */
  readonly maxLeadingEmptyLines?: number;
}

/** `HttpLimits` with every default filled in. */
export type ResolvedHttpLimits = Required<HttpLimits>;

/**
 * The defaults of the table above.
 *
 * @example
 * ```ts
 * DEFAULT_LIMITS.maxBodySize; // 10485760
 * ```
 */
export const DEFAULT_LIMITS: ResolvedHttpLimits = Object.freeze({
  maxRequestLineSize: 8192,
  maxHeaderSize: 16384,
  maxHeaderCount: 100,
  maxBodySize: 10 * 1024 * 1024,
  maxChunkLineSize: 4096,
  maxLeadingEmptyLines: 8,
});

const resolved = new WeakMap<HttpLimits, ResolvedHttpLimits>();

/**
 * Fills in defaults and checks that every limit is a non-negative number.
 *
 * @example
 * ```ts
 * resolveLimits({ maxHeaderCount: 50 }).maxHeaderSize; // 16384
 * ```
 */
export function resolveLimits(limits?: HttpLimits): ResolvedHttpLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  // One resolved object per options object: a site's connections share it.
  const hit = resolved.get(limits);
  if (hit !== undefined) return hit;
  const out = Object.freeze({ ...DEFAULT_LIMITS, ...limits });
  for (const [k, v] of Object.entries(out)) {
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0)
      throw new RangeError(`HTTP limit ${k} must be >= 0`);
  }
  // Resolving the result again (a site hands its resolved limits to every parser) is a lookup.
  resolved.set(limits, out);
  resolved.set(out, out);
  return out;
}
