/**
 * `CookieJar`: stores cookies from `Set-Cookie` and says which to send, following RFC 6265's
 * rules: host-only cookies unless `Domain` is given (and it must domain-match the request host;
 * never on an IP address unless equal), `Path` (default: the request path's directory) with
 * path-matching, expiry by `Max-Age` (preferred) or `Expires` (an expired cookie deletes the
 * stored one), and `Secure` cookies only over https. The wall clock is injectable for tests.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * jar.setCookies(['sid=1; Path=/; HttpOnly'], new URL('http://a.test/login'));
 * jar.cookieHeader(new URL('http://a.test/home')); // 'sid=1'
 * ```
 * @module
 */
import { isIP } from 'node:net';

/** A stored cookie. */
export interface Cookie {
  readonly name: string;
  readonly value: string;
  /** Lower-case domain, without a leading dot. */
  readonly domain: string;
  readonly hostOnly: boolean;
  readonly path: string;
  readonly secure: boolean;
  /** Expiry in ms since the epoch; `Infinity` for a session cookie. */
  readonly expires: number;
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/')) return '/';
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && isIP(host) === 0;
}

function pathMatch(reqPath: string, cookiePath: string): boolean {
  if (reqPath === cookiePath) return true;
  if (!reqPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || reqPath.charAt(cookiePath.length) === '/';
}

/** The jar; see the module doc. */
export class CookieJar {
  readonly #now: () => number;
  #cookies: Cookie[] = [];

  /** @param now the wall clock in ms (default `Date.now`). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Stores the cookies of `Set-Cookie` header values received from `url`.
   *
   * @example
   * ```ts
   * jar.setCookies(response.headers.getRawHeaders('set-cookie') ?? [], new URL(response.request.absoluteURI));
   * ```
   */
  setCookies(setCookieValues: readonly string[], url: URL): void {
    for (const v of setCookieValues) this.#set(v, url);
  }

  #set(header: string, url: URL): void {
    const [pair = '', ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '') return;
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    let domain = host;
    let hostOnly = true;
    let path = defaultPath(url);
    let secure = false;
    let expires = Number.POSITIVE_INFINITY;
    let maxAgeSeen = false;
    for (const a of attrs) {
      const i = a.indexOf('=');
      const key = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : a.slice(i + 1).trim();
      if (key === 'domain' && val !== '') {
        const d = val.replace(/^\./, '').toLowerCase();
        if (!domainMatch(host, d)) return; // a cookie for a domain the host is not in
        domain = d;
        hostOnly = false;
      } else if (key === 'path' && val.startsWith('/')) path = val;
      else if (key === 'secure') secure = true;
      else if (key === 'max-age' && /^-?\d+$/.test(val)) {
        maxAgeSeen = true;
        const s = Number(val);
        expires = s <= 0 ? 0 : this.#now() + s * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
      }
    }
    if (secure && url.protocol !== 'https:') return;
    this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.domain === domain && c.path === path));
    if (expires <= this.#now()) return;
    this.#cookies.push({ name, value, domain, hostOnly, path, secure, expires });
  }

  /**
   * The cookies to send to `url`, longest path first.
   *
   * @example
   * ```ts
   * jar.cookiesFor(new URL('https://a.test/x')).map((c) => c.name);
   * ```
   */
  cookiesFor(url: URL): Cookie[] {
    const now = this.#now();
    this.#cookies = this.#cookies.filter((c) => c.expires > now);
    const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const path = url.pathname || '/';
    return this.#cookies
      .filter(
        (c) =>
          (c.hostOnly ? host === c.domain : domainMatch(host, c.domain)) &&
          pathMatch(path, c.path) &&
          (!c.secure || url.protocol === 'https:'),
      )
      .sort((a, b) => b.path.length - a.path.length);
  }

  /**
   * The `Cookie` header value for `url`, or undefined when no cookie applies.
   *
   * @example
   * ```ts
   * const value = jar.cookieHeader(new URL(uri));
   * ```
   */
  cookieHeader(url: URL): string | undefined {
    const cs = this.cookiesFor(url);
    return cs.length === 0 ? undefined : cs.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /**
   * Every stored cookie (expired ones included until the next lookup).
   *
   * @example
   * ```ts
   * jar.all().length;
   * ```
   */
  all(): readonly Cookie[] {
    return this.#cookies;
  }
}
