/**
 * Fast latin1/UTF-8 conversions between Buffers and strings: Node's native `latin1Slice`,
 * `latin1Write` and `utf8Write` methods, which skip the argument checks and encoding dispatch of
 * `toString`/`write` (they exist on every Buffer but are not in Node's type declarations).
 *
 * @example
 * ```ts
 * latin1(Buffer.from('GET /'), 0, 3); // 'GET'
 * ```
 * @module
 */

interface NativeBuffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(s: string, offset: number, length?: number): number;
  utf8Write(s: string, offset: number, length?: number): number;
}

/**
 * `buf[start..end)` as a latin1 string (one byte, one char).
 *
 * @example
 * ```ts
 * latin1(head, 0, head.length);
 * ```
 */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as NativeBuffer).latin1Slice(start, end);
}

/**
 * Writes `s` (chars < 256) as latin1 at `offset`; returns the bytes written.
 *
 * @example
 * ```ts
 * writeLatin1(out, 'HTTP/1.1 200 OK\r\n', 0);
 * ```
 */
export function writeLatin1(buf: Buffer, s: string, offset: number): number {
  return (buf as unknown as NativeBuffer).latin1Write(s, offset);
}

/**
 * Writes `s` as UTF-8 at `offset`; returns the bytes written.
 *
 * @example
 * ```ts
 * writeUtf8(out, 'héllo', head.length);
 * ```
 */
export function writeUtf8(buf: Buffer, s: string, offset: number): number {
  return (buf as unknown as NativeBuffer).utf8Write(s, offset);
}
