/**
 * Request paths as resources see them: `/a/b%20c` → `['a', 'b c']` (Twisted's `postpath`), each
 * segment percent-decoded on its own, so an encoded slash (`%2F`) stays inside its segment and never
 * becomes a path separator. A segment that is not valid percent-encoding is kept as sent.
 *
 * @example
 * ```ts
 * splitPath('/static/a%20b.txt'); // ['static', 'a b.txt']
 * ```
 * @module
 */

/**
 * The percent-decoded segments of `path` (after its first `/`).
 *
 * @example
 * ```ts
 * splitPath('/'); // ['']
 * splitPath('/a/%2e%2e'); // ['a', '..']
 * ```
 */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let start = path.indexOf('/') + 1;
  if (start === 0) return [];
  for (;;) {
    const slash = path.indexOf('/', start);
    if (slash < 0) {
      out.push(unquote(path.slice(start)));
      return out;
    }
    out.push(unquote(path.slice(start, slash)));
    start = slash + 1;
  }
}

/**
 * `s` percent-decoded, or as it is when it is not valid percent-encoding (UTF-8).
 *
 * @example
 * ```ts
 * unquote('b%20c'); // 'b c'
 * unquote('%zz');   // '%zz'
 * ```
 */
export function unquote(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
