/**
 * Byte classes of RFC 9110/9112 as 256-entry lookup tables, so the parsers test a byte with one
 * array read. Role-agnostic: request and response parsers share them.
 *
 * - `tchar` (RFC 9110 §5.6.2): ``! # $ % & ' * + - . ^ _ ` | ~`` DIGIT ALPHA — method, field names,
 *   transfer-coding names.
 * - field-value bytes (RFC 9110 §5.5): VCHAR, obs-text (0x80–0xFF), SP and HTAB. Every other
 *   control byte, including a bare CR and NUL, is rejected.
 * - request-target bytes (RFC 9112 §3.2): visible ASCII (0x21–0x7E); anything else is rejected.
 *
 * @example
 * ```ts
 * import { TOKEN } from './abnf.js';
 * TOKEN[0x41] === 1; // 'A' is a token character
 * ```
 * @module
 */

function table(pred: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = pred(c) ? 1 : 0;
  return t;
}

const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * 1 for a `tchar` byte.
 *
 * @example
 * ```ts
 * TOKEN[':'.charCodeAt(0)] === 0;
 * ```
 */
export const TOKEN: Uint8Array = table(
  (c) => isAlnum(c) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c)),
);

/**
 * 1 for a byte allowed in a field value (VCHAR, obs-text, SP, HTAB).
 *
 * @example
 * ```ts
 * FIELD_VALUE[0x0d] === 0; // a bare CR is never allowed
 * ```
 */
export const FIELD_VALUE: Uint8Array = table((c) => c === 0x09 || c === 0x20 || (c >= 0x21 && c !== 0x7f));

/**
 * 1 for a byte allowed in a request-target.
 *
 * @example
 * ```ts
 * TARGET[0x20] === 0;
 * ```
 */
export const TARGET: Uint8Array = table((c) => c >= 0x21 && c <= 0x7e);

/** The bytes the parsers look for. */
export const CR = 0x0d;
/** Line feed. */
export const LF = 0x0a;
/** Space. */
export const SP = 0x20;
/** Horizontal tab. */
export const HTAB = 0x09;
/** Colon. */
export const COLON = 0x3a;

/**
 * True when `s` is a non-empty token (a valid field name or method).
 *
 * @example
 * ```ts
 * isToken('X-Request-Id'); // true
 * isToken('Bad Name');     // false
 * ```
 */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return false;
  }
  return true;
}

/**
 * True when `s` may be sent as a field value: no CR, LF, NUL or other control byte.
 *
 * @example
 * ```ts
 * isFieldValue('text/html; charset=utf-8'); // true
 * isFieldValue('a\r\nSet-Cookie: x');        // false: header injection
 * ```
 */
export function isFieldValue(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0xff && FIELD_VALUE[c] !== 1) return false;
  }
  return true;
}
