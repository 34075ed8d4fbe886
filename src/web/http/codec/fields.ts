/**
 * Field-line parsing shared by requests, responses and trailers (RFC 9112 §5, RFC 9110 §5.5).
 * Role-agnostic. Works on the head decoded once as a latin1 string (one char per byte, so offsets
 * are byte offsets; substrings are cheap). Strict: a field name must be a token with the colon
 * right after it (whitespace before the colon is a smuggling vector), a line may not start with
 * whitespace (obs-fold), and a value may hold no control byte but HTAB (so no bare CR, no NUL).
 * Leading and trailing whitespace of a value is dropped.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * parseFieldLine('Host: example.com', 0, 17, out); // null (ok); out = ['Host', 'example.com']
 * ```
 * @module
 */
import { COLON, FIELD_VALUE, HTAB, SP, TOKEN } from './abnf.js';

/**
 * Parses the field line `s[start..end)` (without its CRLF) and pushes name and value onto `out`.
 * Returns null on success, or the reason it is malformed.
 *
 * @example
 * ```ts
 * parseFieldLine('Bad : x', 0, 7, []); // 'whitespace before the colon'
 * ```
 */
export function parseFieldLine(s: string, start: number, end: number, out: string[]): string | null {
  const first = s.charCodeAt(start);
  if (first === SP || first === HTAB) return 'obsolete line folding';
  let i = start;
  while (i < end && TOKEN[s.charCodeAt(i)] === 1) i++;
  if (i === end) return 'field line without a colon';
  const c = s.charCodeAt(i);
  if (c !== COLON) return c === SP || c === HTAB ? 'whitespace before the colon' : 'invalid field name';
  if (i === start) return 'empty field name';
  const name = s.slice(start, i);
  i++;
  let ch = s.charCodeAt(i);
  while (i < end && (ch === SP || ch === HTAB)) ch = s.charCodeAt(++i);
  let vEnd = end;
  ch = s.charCodeAt(vEnd - 1);
  while (vEnd > i && (ch === SP || ch === HTAB)) ch = s.charCodeAt(--vEnd - 1);
  for (let j = i; j < vEnd; j++) {
    if (FIELD_VALUE[s.charCodeAt(j)] !== 1) return 'invalid byte in a field value';
  }
  out.push(name, s.slice(i, vEnd));
  return null;
}

/**
 * Splits a comma-separated field value into lower-cased, trimmed, non-empty elements.
 *
 * @example
 * ```ts
 * splitList('keep-alive, Upgrade'); // ['keep-alive', 'upgrade']
 * ```
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const t = part.trim().toLowerCase();
    if (t.length > 0) out.push(t);
  }
  return out;
}
