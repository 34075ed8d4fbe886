/**
 * `CookieJar`: stores cookies from `Set-Cookie` and says which to send, following RFC 6265's
 * rules: host-only cookies unless `Domain` is given (and it must domain-match the request host;
 * never on an IP address unless equal; never a public suffix such as `com`, `co.uk` or `github.io`
 * unless it is the host itself, and then host-only), `Path` (default: the request path's
 * directory) with path-matching, expiry by `Max-Age` (preferred) or `Expires` (an expired cookie
 * deletes the stored one), and `Secure` cookies only from and to https (an http response cannot
 * overwrite a Secure cookie either).
 * Cookies go out longest path first, then oldest first. The wall clock is injectable for tests.
 *
 * Limits (RFC 6265 §6.1's minimums, as browsers): a `Set-Cookie` longer than 8 KiB or a name and
 * value longer than 4 KiB is ignored; at most 50 cookies per domain and 3000 in all, the oldest
 * evicted first. Public suffixes come from the Public Suffix List (both its ICANN and private
 * sections, as browsers use it) through the `tldts` package; a name outside it counts its last
 * label as the suffix (`Domain=test` is refused from `a.test`).
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
import { getPublicSuffix } from 'tldts';

/** Longest `Set-Cookie` value considered. */
const MAX_SET_COOKIE = 8192;
/** Longest name plus value. */
const MAX_NAME_VALUE = 4096;
/** Most cookies kept per domain, and in all. */
const MAX_PER_DOMAIN = 50;
const MAX_TOTAL = 3000;

/**
 * A stored cookie.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * jar.setCookies(['sid=1; Path=/; Max-Age=60'], new URL('https://a.test/login'));
 * for (const c of jar.cookiesFor(new URL('https://a.test/home'))) {
 *   console.log(c.name, c.value, c.domain, c.path, new Date(c.expires)); // sid 1 a.test / (in a minute)
 * }
 * ```
 */
export interface Cookie {
  /** The cookie's name, as set. */
  readonly name: string;
  /** Its value, as set (quotes kept). */
  readonly value: string;
  /** Lower-case domain, without a leading dot. */
  readonly domain: string;
  /** Sent to `domain` only (no `Domain` attribute), not to its subdomains. */
  readonly hostOnly: boolean;
  /** Sent to this path and below it. */
  readonly path: string;
  /** Sent over https only. */
  readonly secure: boolean;
  /** Expiry in ms since the epoch; `Infinity` for a session cookie. */
  readonly expires: number;
  /** When it was first stored (ms since the epoch): the order among equal paths. */
  readonly created: number;
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/')) return '/';
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

/** True for `com`, `co.uk`, `github.io`, `localhost`: names under which anyone may register. */
function isPublicSuffix(domain: string): boolean {
  return isIP(domain) === 0 && getPublicSuffix(domain, { allowPrivateDomains: true }) === domain;
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

/**
 * The jar; see the module doc.
 *
 * @example
 * ```ts
 * const jar = new CookieJar();
 * jar.setCookies(['sid=1; Path=/; HttpOnly', 'theme=dark; Path=/app'], new URL('http://a.test/login'));
 * jar.cookieHeader(new URL('http://a.test/app/home')); // 'theme=dark; sid=1': longest path first
 * const agent = new CookieAgent(new Agent(reactor), jar);
 * ```
 */
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
    if (header.length > MAX_SET_COOKIE) return;
    const [pair = '', ...attrs] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '' || name.length + value.length > MAX_NAME_VALUE) return;
    const host = hostOf(url);
    const https = url.protocol === 'https:';
    const now = this.#now();
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
        const publicSuffix = isPublicSuffix(d);
        if (publicSuffix && d !== host) return; // a cookie for every site under co.uk
        domain = d;
        hostOnly = publicSuffix; // Domain=localhost from localhost: that host only (§5.3 step 5)
      } else if (key === 'path') path = val.startsWith('/') ? val : defaultPath(url);
      else if (key === 'secure') secure = true;
      else if (key === 'max-age' && /^-?\d+$/.test(val)) {
        maxAgeSeen = true;
        const seconds = Number(val);
        expires = seconds <= 0 ? 0 : now + seconds * 1000;
      } else if (key === 'expires' && !maxAgeSeen) {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expires = t;
      }
    }
    if (secure && !https) return;
    const cookies = this.#cookies;
    const i = cookies.findIndex((c) => c.name === name && c.domain === domain && c.path === path);
    const old = i < 0 ? undefined : cookies[i];
    if (old?.secure && !https) return; // http cannot overwrite a Secure cookie
    if (expires <= now) {
      if (i >= 0) cookies.splice(i, 1);
      return;
    }
    const cookie = { name, value, domain, hostOnly, path, secure, expires, created: old?.created ?? now };
    if (i >= 0) {
      cookies[i] = cookie;
      return;
    }
    cookies.push(cookie);
    this.#evict(domain, now);
  }

  /** Keeps within the limits: expired cookies go first, then the oldest. */
  #evict(domain: string, now: number): void {
    let cookies = this.#cookies;
    const inDomain = (): number => cookies.reduce((n, c) => n + (c.domain === domain ? 1 : 0), 0);
    if (inDomain() <= MAX_PER_DOMAIN && cookies.length <= MAX_TOTAL) return;
    cookies = cookies.filter((c) => c.expires > now);
    while (inDomain() > MAX_PER_DOMAIN)
      cookies.splice(
        cookies.findIndex((c) => c.domain === domain),
        1,
      );
    if (cookies.length > MAX_TOTAL) cookies = cookies.slice(cookies.length - MAX_TOTAL);
    this.#cookies = cookies;
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
    const host = hostOf(url);
    const path = url.pathname || '/';
    return this.#cookies
      .filter(
        (c) =>
          (c.hostOnly ? host === c.domain : domainMatch(host, c.domain)) &&
          pathMatch(path, c.path) &&
          (!c.secure || url.protocol === 'https:'),
      )
      .sort((a, b) => b.path.length - a.path.length || a.created - b.created);
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

  /**
   * Forgets the cookies of `domain` (all cookies when omitted).
   *
   * @example
   * ```ts
   * jar.clear('a.test');
   * ```
   */
  clear(domain?: string): void {
    const d = domain?.toLowerCase().replace(/^\./, '');
    this.#cookies = d === undefined ? [] : this.#cookies.filter((c) => c.domain !== d);
  }
}
