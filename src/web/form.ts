/**
 * Request arguments: the query string and `application/x-www-form-urlencoded` bodies (as
 * Twisted's `parse_qs`, into name → values, UTF-8 decoded), and `multipart/form-data` bodies
 * (RFC 7578) with part-count and part-header limits. File parts keep their bytes. A body that is
 * malformed or over a limit is the client's fault: `Request` answers it with the `FormError`'s
 * status (400 or 413), as Twisted answers a bad multipart body with 400.
 *
 * @example
 * ```ts
 * parseQuery('a=1&a=2&b=%C3%A9').get('a'); // ['1', '2']
 * ```
 * @module
 */

import { TwistedError } from '../internet/error.js';

/**
 * Request arguments: name → values in order.
 *
 * @example
 * ```ts
 * const args: Args = request.args; // name → every value, in order
 * const tags = args.get('tag') ?? []; // ?tag=a&tag=b → ['a', 'b']
 * const page = Number(args.get('page')?.[0] ?? '1');
 * ```
 */
export type Args = Map<string, string[]>;

/**
 * A form body the client got wrong: malformed (400) or past a limit (413). `Request` answers it
 * with `status` and the message instead of a 500.
 *
 * @example
 * ```ts
 * try { request.args; } catch (err) { if (err instanceof FormError) console.log(err.status); }
 * ```
 */
export class FormError extends TwistedError {
  /** The HTTP status that answers it. */
  readonly status: number;
  constructor(message: string, status: 400 | 413 = 400) {
    super(message, 'ERR_FORM');
    this.status = status;
  }
}

/**
 * A part of a multipart body.
 *
 * @example
 * ```ts
 * for (const part of request.getFormParts() ?? []) {
 *   if (part.filename !== undefined) writeFileSync(join('uploads', basename(part.filename)), part.data);
 *   else console.log(part.name, part.data.toString());
 * }
 * ```
 */
export interface FormPart {
  /** The field name (`name=` of Content-Disposition), UTF-8 decoded. */
  readonly name: string;
  /** The file name of a file part (`filename=`), else undefined. */
  readonly filename: string | undefined;
  /** The part's Content-Type, when it has one. */
  readonly contentType: string | undefined;
  /** The part's bytes (a view of the request body). */
  readonly data: Buffer;
}

/**
 * Limits of form parsing.
 *
 * @example
 * ```ts
 * const limits: MultipartLimits = { maxParts: 20, maxPartHeaderSize: 1024 };
 * const site = new Site(root, { multipartLimits: limits }); // request.args: 400 or 413 past them
 * const parts = parseMultipart(request.content, 'xyz', limits); // null when malformed or past them
 * ```
 */
export interface MultipartLimits {
  /** Most parts of a multipart body, or fields of a urlencoded body (default 1000). */
  readonly maxParts?: number;
  /** Longest part header block in bytes (default 8192). */
  readonly maxPartHeaderSize?: number;
}

function decode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/**
 * Parses `a=1&b=2` (also `;`-free, `+` as space, bad escapes kept verbatim) into `into`. Throws a
 * `FormError` (413) past `maxFields` fields.
 *
 * @example
 * ```ts
 * parseQuery('q=twisted+web').get('q'); // ['twisted web']
 * ```
 */
export function parseQuery(qs: string, into: Args = new Map(), maxFields = Number.POSITIVE_INFINITY): Args {
  if (qs.length === 0) return into;
  let fields = 0;
  for (const pair of qs.split('&')) {
    if (pair.length === 0) continue;
    if (++fields > maxFields) throw new FormError(`more than ${maxFields} form fields`, 413);
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const list = into.get(name);
    if (list === undefined) into.set(name, [value]);
    else list.push(value);
  }
  return into;
}

/**
 * The `boundary` parameter of a multipart content type, or undefined.
 *
 * @example
 * ```ts
 * multipartBoundary('multipart/form-data; boundary=xyz'); // 'xyz'
 * ```
 */
export function multipartBoundary(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m === null ? undefined : (m[1] ?? m[2]);
}

/**
 * Splits a multipart body into parts. Returns `null` when the body is malformed or over a limit.
 *
 * @example
 * ```ts
 * const parts = parseMultipart(request.content, boundary);
 * ```
 */
export function parseMultipart(
  body: Buffer,
  boundary: string,
  limits: MultipartLimits = {},
): FormPart[] | null {
  const maxParts = limits.maxParts ?? 1000;
  const maxHead = limits.maxPartHeaderSize ?? 8192;
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const parts: FormPart[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return null;
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) return null;
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
    if (headEnd < 0 || headEnd - pos > maxHead) return null;
    const headers = body.toString('latin1', pos, headEnd).split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) return null;
    let name: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    for (const h of headers) {
      const colon = h.indexOf(':');
      if (colon < 0) return null;
      const key = h.slice(0, colon).trim().toLowerCase();
      const value = h.slice(colon + 1).trim();
      if (key === 'content-disposition') {
        name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(value)?.[1];
        filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
      } else if (key === 'content-type') contentType = value;
    }
    if (name === undefined) return null;
    parts.push({
      name: Buffer.from(name, 'latin1').toString('utf8'),
      filename,
      contentType,
      data: body.subarray(headEnd + 4, next),
    });
    if (parts.length > maxParts) return null;
    pos = next + 2;
  }
}
