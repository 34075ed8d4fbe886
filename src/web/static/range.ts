/**
 * `Range: bytes=…` parsing (RFC 9110 §14.1.2): first-last, first-, and -suffix ranges, clipped to
 * the file size. Unsatisfiable → `'unsatisfiable'` (416); malformed, or more ranges than a sane
 * client sends (a DoS vector), → `null` (serve the whole file).
 *
 * @example
 * ```ts
 * parseRange('bytes=0-99,-10', 1000); // [{ start: 0, end: 100 }, { start: 990, end: 1000 }]
 * ```
 * @module
 */

/**
 * A byte range, `end` exclusive.
 *
 * @example
 * ```ts
 * const ranges = parseRange('bytes=100-199', 1000);
 * if (Array.isArray(ranges)) {
 *   const first: ByteRange = ranges[0]!; // { start: 100, end: 200 }: end is exclusive
 *   request.setHeader('Content-Range', `bytes ${first.start}-${first.end - 1}/1000`);
 * }
 * ```
 */
export interface ByteRange {
  /** The first byte. */
  readonly start: number;
  /** The byte after the last one. */
  readonly end: number;
}

const MAX_RANGES = 16;

/**
 * Parses a Range header value against a resource of `size` bytes.
 *
 * @example
 * ```ts
 * parseRange('bytes=5000-', 100); // 'unsatisfiable'
 * ```
 */
export function parseRange(header: string, size: number): ByteRange[] | 'unsatisfiable' | null {
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (m === null) return null;
  const specs = (m[1] as string).split(',');
  if (specs.length > MAX_RANGES) return null;
  const out: ByteRange[] = [];
  for (const raw of specs) {
    const spec = raw.trim();
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (r === null || (r[1] === '' && r[2] === '')) return null;
    if (r[1] === '') {
      const n = Number(r[2]);
      if (n === 0) continue;
      out.push({ start: Math.max(0, size - n), end: size });
      continue;
    }
    const start = Number(r[1]);
    const last = r[2] === '' ? Number.POSITIVE_INFINITY : Number(r[2]);
    if (last < start) return null;
    if (start >= size) continue;
    out.push({ start, end: Math.min(last, size - 1) + 1 });
  }
  return out.length === 0 ? 'unsatisfiable' : out;
}
