/**
 * `Headers`: HTTP header fields with case-insensitive lookup, several values per name, and the
 * names' first spelling kept — Twisted's `twisted.web.http_headers.Headers`. Values are strings
 * (latin1 on the wire). Setting a name or value that could inject a header (CR, LF, NUL, a
 * non-token name) throws: it is a programming error, not peer input.
 *
 * @example
 * ```ts
 * import { Headers } from 'twisted-ts/web';
 * const h = new Headers({ 'Content-Type': ['text/html'] });
 * h.addRawHeader('set-cookie', 'a=1');
 * h.getRawHeaders('SET-COOKIE'); // ['a=1']
 * ```
 * @module
 */
import { isFieldValue, isToken } from './http/codec/abnf.js';

interface Entry {
  name: string;
  values: string[];
}

function checkName(name: string): void {
  if (!isToken(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
}

function checkValue(value: string): string {
  if (typeof value !== 'string') throw new TypeError('header values must be strings');
  if (!isFieldValue(value)) throw new TypeError(`invalid header value ${JSON.stringify(value)}`);
  return value;
}

/**
 * A case-insensitive multi-map of header fields; see the module doc.
 *
 * @example
 * ```ts
 * const h = new Headers({ 'Content-Type': ['text/plain'] });
 * h.addRawHeader('Set-Cookie', 'a=1');
 * h.addRawHeader('set-cookie', 'b=2');
 * h.getRawHeaders('SET-COOKIE'); // ['a=1', 'b=2']
 * h.getHeader('content-type'); // 'text/plain'
 * ```
 */
export class Headers {
  #map: Map<string, Entry> | null = null;
  /** Parsed fields not yet indexed (`[name, value, …]`), so requests that never look pay nothing. */
  #raw: readonly string[] | null = null;

  /**
   * @param init name → values, as Twisted's `Headers({b'name': [b'value']})`.
   */
  constructor(init?: Record<string, readonly string[]>) {
    if (init !== undefined) for (const [k, v] of Object.entries(init)) this.setRawHeaders(k, v);
  }

  /**
   * Headers from a parser's flat `[name, value, …]` list, trusted as already validated.
   *
   * @example
   * ```ts
   * Headers.fromRaw(['Host', 'example.com']).getRawHeaders('host'); // ['example.com']
   * ```
   */
  static fromRaw(raw: readonly string[]): Headers {
    const h = new Headers();
    h.#raw = raw;
    return h;
  }

  #index(): Map<string, Entry> {
    let map = this.#map;
    if (map !== null) return map;
    map = new Map();
    const raw = this.#raw;
    if (raw !== null) {
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i] as string;
        const key = name.toLowerCase();
        const e = map.get(key);
        if (e === undefined) map.set(key, { name, values: [raw[i + 1] as string] });
        else e.values.push(raw[i + 1] as string);
      }
      this.#raw = null;
    }
    this.#map = map;
    return map;
  }

  /**
   * True when at least one value is set for `name`.
   *
   * @example
   * ```ts
   * request.requestHeaders.hasHeader('authorization');
   * ```
   */
  hasHeader(name: string): boolean {
    return this.#index().has(name.toLowerCase());
  }

  /**
   * Every value of `name` in order, or `undefined` when it has none (Twisted returns the default).
   *
   * @example
   * ```ts
   * h.getRawHeaders('accept') ?? [];
   * ```
   */
  getRawHeaders(name: string): string[] | undefined {
    const e = this.#index().get(name.toLowerCase());
    return e === undefined ? undefined : [...e.values];
  }

  /**
   * The last value of `name` (Twisted's `Request.getHeader`), or `undefined`.
   *
   * @example
   * ```ts
   * h.getHeader('content-type'); // 'text/html'
   * ```
   */
  getHeader(name: string): string | undefined {
    const e = this.#index().get(name.toLowerCase());
    return e === undefined ? undefined : e.values[e.values.length - 1];
  }

  /**
   * Replaces every value of `name`. Throws on an invalid name or value.
   *
   * @example
   * ```ts
   * h.setRawHeaders('Cache-Control', ['no-store']);
   * ```
   */
  setRawHeaders(name: string, values: readonly string[]): void {
    checkName(name);
    const vs = values.map(checkValue);
    const map = this.#index();
    const key = name.toLowerCase();
    if (vs.length === 0) map.delete(key);
    else map.set(key, { name: map.get(key)?.name ?? name, values: vs });
  }

  /**
   * Adds one value after the existing ones. Throws on an invalid name or value.
   *
   * @example
   * ```ts
   * h.addRawHeader('Set-Cookie', 'a=1; Path=/');
   * ```
   */
  addRawHeader(name: string, value: string): void {
    checkName(name);
    checkValue(value);
    const map = this.#index();
    const key = name.toLowerCase();
    const e = map.get(key);
    if (e === undefined) map.set(key, { name, values: [value] });
    else e.values.push(value);
  }

  /**
   * Removes every value of `name`.
   *
   * @example
   * ```ts
   * h.removeHeader('content-length');
   * ```
   */
  removeHeader(name: string): void {
    this.#index().delete(name.toLowerCase());
  }

  /**
   * Every `[name, values]` pair, names as first spelled.
   *
   * @example
   * ```ts
   * for (const [name, values] of h.getAllRawHeaders()) console.log(name, values);
   * ```
   */
  *getAllRawHeaders(): IterableIterator<[string, string[]]> {
    for (const e of this.#index().values()) yield [e.name, [...e.values]];
  }

  /**
   * The fields as a flat `[name, value, …]` list for the serializer, leaving out `skip` (lower-case names).
   *
   * @example
   * ```ts
   * h.toFlat(new Set(['content-length']));
   * ```
   */
  toFlat(skip?: ReadonlySet<string>): string[] {
    if (this.#map === null && this.#raw !== null && skip === undefined) return [...this.#raw];
    const out: string[] = [];
    for (const [key, e] of this.#index()) {
      if (skip?.has(key)) continue;
      for (const v of e.values) out.push(e.name, v);
    }
    return out;
  }
}
