/**
 * Cookies (RFC 6265): parsing a `Cookie` header and serializing a `Set-Cookie` value. Names must
 * be tokens and values cookie-octets (no CTLs, whitespace, `"`, `,`, `;` or `\`); anything else
 * throws, so a value can never inject attributes or headers.
 *
 * @example
 * ```ts
 * parseCookieHeader('a=1; b=2').get('b'); // '2'
 * serializeSetCookie('sid', 'abc', { path: '/', httpOnly: true, sameSite: 'Lax' });
 * // 'sid=abc; Path=/; HttpOnly; SameSite=Lax'
 * ```
 * @module
 */
import { isToken } from './http/codec/abnf.js';
import { formatHttpDate } from './http/codec/http-date.js';

/**
 * `Set-Cookie` attributes.
 *
 * @example
 * ```ts
 * const options: CookieOptions = { path: '/', maxAge: 3600, secure: true, httpOnly: true, sameSite: 'Lax' };
 * request.addCookie('csrf', 'abc', options);
 * serializeSetCookie('csrf', 'abc', options);
 * // 'csrf=abc; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax'
 * ```
 */
export interface CookieOptions {
  /** Expiry as a Date, seconds since the epoch, or an HTTP-date string. */
  expires?: Date | number | string;
  /** The hosts the cookie is sent to (this host and its subdomains). */
  domain?: string;
  /** The path prefix the cookie is sent under (`/` for the whole site). */
  path?: string;
  /** Lifetime in seconds. */
  maxAge?: number;
  /** A comment (RFC 2109; ignored by today's browsers). */
  comment?: string;
  /** Sent over HTTPS only. */
  secure?: boolean;
  /** Hidden from the page's scripts. */
  httpOnly?: boolean;
  /** Whether cross-site requests carry the cookie. */
  sameSite?: 'Strict' | 'Lax' | 'None';
}

/**
 * Parses a `Cookie` header into name → first value.
 *
 * @example
 * ```ts
 * parseCookieHeader('TWISTED_SESSION=abc').get('TWISTED_SESSION'); // 'abc'
 * ```
 */
export function parseCookieHeader(header: string, into = new Map<string, string>()): Map<string, string> {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name.length > 0 && !into.has(name)) into.set(name, value);
  }
  return into;
}

const COOKIE_OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;
const ATTR_VALUE = /^[\x20-\x3a\x3c-\x7e]*$/;

function attr(name: string, value: string): string {
  if (!ATTR_VALUE.test(value)) throw new TypeError(`invalid cookie ${name} ${JSON.stringify(value)}`);
  return `; ${name}=${value}`;
}

/**
 * A `Set-Cookie` value. Throws on a name that is not a token or a value/attribute that would
 * break the header.
 *
 * @example
 * ```ts
 * serializeSetCookie('theme', 'dark', { maxAge: 3600, secure: true });
 * ```
 */
export function serializeSetCookie(name: string, value: string, o: CookieOptions = {}): string {
  if (!isToken(name)) throw new TypeError(`invalid cookie name ${JSON.stringify(name)}`);
  if (!COOKIE_OCTETS.test(value)) throw new TypeError(`invalid cookie value ${JSON.stringify(value)}`);
  let s = `${name}=${value}`;
  if (o.expires !== undefined) {
    const e = o.expires;
    s += attr(
      'Expires',
      typeof e === 'string' ? e : formatHttpDate(e instanceof Date ? e.getTime() / 1000 : e),
    );
  }
  if (o.domain !== undefined) s += attr('Domain', o.domain);
  if (o.path !== undefined) s += attr('Path', o.path);
  if (o.maxAge !== undefined) {
    if (!Number.isInteger(o.maxAge)) throw new TypeError('cookie Max-Age must be an integer');
    s += `; Max-Age=${o.maxAge}`;
  }
  if (o.comment !== undefined) s += attr('Comment', o.comment);
  if (o.secure === true) s += '; Secure';
  if (o.httpOnly === true) s += '; HttpOnly';
  if (o.sameSite !== undefined) s += attr('SameSite', o.sameSite);
  return s;
}
