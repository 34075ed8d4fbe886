/**
 * `Data` and `Redirect`: two small leaf resources, Twisted's `static.Data` and `util.Redirect`.
 *
 * @example
 * ```ts
 * root.putChild('robots.txt', new Data('User-agent: *\nDisallow:\n', 'text/plain'));
 * root.putChild('old', new Redirect('/new'));
 * ```
 * @module
 */
import type { Request } from './request.js';
import { escapeHtml, Resource } from './resource.js';

/**
 * A fixed body with a content type.
 *
 * @example
 * ```ts
 * new Data(Buffer.from('{"ok":true}'), 'application/json');
 * ```
 */
export class Data extends Resource {
  override isLeaf = true;
  readonly #data: Buffer;
  readonly #type: string;

  constructor(data: string | Uint8Array, type: string) {
    super();
    this.#data = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.#type = type;
  }

  /**
   * Sends the data.
   *
   * @example
   * ```ts
   * data.render_GET(request);
   * ```
   */
  render_GET(request: Request): Buffer {
    request.setHeader('Content-Type', this.#type);
    return this.#data;
  }
}

/**
 * Redirects every request to `url` (302, with a small HTML page).
 *
 * @example
 * ```ts
 * root.putChild('', new Redirect('/index.html'));
 * ```
 */
export class Redirect extends Resource {
  override isLeaf = true;
  /** @param url where every request is sent. */
  constructor(readonly url: string) {
    super();
  }

  /**
   * Sends the redirect.
   *
   * @example
   * ```ts
   * new Redirect('/x').render(request);
   * ```
   */
  override render(request: Request): string {
    request.redirect(this.url);
    const u = escapeHtml(this.url);
    return `<html><head><meta http-equiv="refresh" content="0;URL=${u}"></head><body bgcolor="#FFFFFF" text="#000000"><a href="${u}">click here</a></body></html>\n`;
  }
}
