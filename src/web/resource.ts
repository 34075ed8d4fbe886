/**
 * `Resource`: a node of the URL tree, Twisted's `twisted.web.resource.Resource`. A request walks
 * the tree one path segment at a time (`getChildWithDefault`) until it reaches a leaf or runs out
 * of segments, then the resource `render`s it by dispatching to `render_GET`, `render_POST`, …
 *
 * Dispatch goes through the typed table `RENDER_METHODS` (HTTP method → the name of the render
 * method), never through string concatenation; a method missing from the table, or a resource
 * without the matching `render_X`, is answered 405 with an `Allow` header. `render_HEAD` falls
 * back to `render_GET` (the body is dropped by `Request`).
 *
 * A render method returns the whole body (a string, sent as UTF-8, or a Buffer), `NOT_DONE_YET`
 * when it will `write()`/`finish()` the request itself later, or a Promise/Deferred of either.
 *
 * @example
 * ```ts
 * import { Resource, Site } from 'twisted-ts/web';
 * class Hello extends Resource {
 *   override isLeaf = true;
 *   render_GET(request: Request) { return `hello ${request.args.get('name')?.[0] ?? 'world'}`; }
 * }
 * const root = new Resource();
 * root.putChild('hello', new Hello());
 * reactor.listenTCP(8080, new Site(root));
 * ```
 * @module
 */
import type { Request } from './request.js';

/**
 * Returned by a render method that finishes the request later (Twisted's
 * `server.NOT_DONE_YET`).
 *
 * @example
 * ```ts
 * render_GET(request: Request) {
 *   setTimeout(() => { request.write('late'); request.finish(); }, 10);
 *   return NOT_DONE_YET;
 * }
 * ```
 */
export const NOT_DONE_YET: unique symbol = Symbol('NOT_DONE_YET');

/**
 * What a render method may return.
 *
 * @example
 * ```ts
 * const text: RenderBody = 'sent as UTF-8';
 * const bytes: RenderBody = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
 * const later: RenderBody = NOT_DONE_YET; // the resource will write() and finish() the request itself
 * ```
 */
export type RenderBody = string | Uint8Array | typeof NOT_DONE_YET;
/**
 * A render method's result, synchronous or not (a Deferred is `PromiseLike`).
 *
 * @example
 * ```ts
 * class Slow extends Resource {
 *   render_GET(_request: Request): RenderResult {
 *     return deferLater(reactor, 1, () => 'done'); // a Deferred (or a Promise) of the body
 *   }
 * }
 * ```
 */
export type RenderResult = RenderBody | PromiseLike<RenderBody>;

/**
 * The render methods a resource may define, keyed by the HTTP methods we dispatch.
 *
 * @example
 * ```ts
 * class Items extends Resource implements Renderers {
 *   render_GET() { return '[]'; }
 *   render_POST(request: Request) { return `received ${request.content.length} bytes`; }
 * }
 * new Items().allowedMethods(); // ['GET', 'HEAD', 'POST']
 * ```
 */
export interface Renderers {
  /** Answers GET (and HEAD, when there is no `render_HEAD`). */
  render_GET?(request: Request): RenderResult;
  /** Answers HEAD; the body it returns is not sent. */
  render_HEAD?(request: Request): RenderResult;
  /** Answers POST. */
  render_POST?(request: Request): RenderResult;
  /** Answers PUT. */
  render_PUT?(request: Request): RenderResult;
  /** Answers DELETE. */
  render_DELETE?(request: Request): RenderResult;
  /** Answers PATCH. */
  render_PATCH?(request: Request): RenderResult;
  /** Answers OPTIONS. */
  render_OPTIONS?(request: Request): RenderResult;
}

/**
 * HTTP method → render method. Extend a resource's reach to another method by overriding
 * `render`.
 *
 * @example
 * ```ts
 * RENDER_METHODS.GET; // 'render_GET'
 * ```
 */
export const RENDER_METHODS: Readonly<Record<string, keyof Renderers>> = Object.freeze({
  GET: 'render_GET',
  HEAD: 'render_HEAD',
  POST: 'render_POST',
  PUT: 'render_PUT',
  DELETE: 'render_DELETE',
  PATCH: 'render_PATCH',
  OPTIONS: 'render_OPTIONS',
});

/**
 * The interface every node of the tree implements (Twisted's `IResource`).
 *
 * @example
 * ```ts
 * const hello: IResource = {
 *   isLeaf: true,
 *   getChildWithDefault() { return this; },
 *   putChild() { throw new Error('hello has no children'); },
 *   render: (request) => `hello from ${request.getRequestHostname()}`,
 * };
 * reactor.listenTCP(8080, new Site(hello));
 * ```
 */
export interface IResource {
  /** True when the resource handles every path below it (traversal stops here). */
  readonly isLeaf: boolean;
  /** The child for the path segment `name` (static children first, then dynamic ones). */
  getChildWithDefault(name: string, request: Request): IResource;
  /** Adds a static child under the path segment `name`. */
  putChild(name: string, child: IResource): void;
  /** Answers the request: a body, `NOT_DONE_YET`, or a Promise/Deferred of either. */
  render(request: Request): RenderResult;
}

/**
 * A resource: override `render_GET` & co, or `getChild` for dynamic children.
 *
 * @example
 * ```ts
 * const root = new Resource();
 * root.putChild('', new Data('<h1>home</h1>', 'text/html'));
 * ```
 */
export class Resource implements IResource {
  /** True when the resource handles every path below it itself (no more traversal). */
  isLeaf = false;
  readonly #children = new Map<string, IResource>();

  /**
   * Adds a static child under the path segment `name` (`''` is the trailing-slash child).
   *
   * @example
   * ```ts
   * root.putChild('static', new File('./public'));
   * ```
   */
  putChild(name: string, child: IResource): void {
    this.#children.set(name, child);
  }

  /**
   * The static child `name`, if any.
   *
   * @example
   * ```ts
   * root.getStaticEntity('static');
   * ```
   */
  getStaticEntity(name: string): IResource | undefined {
    return this.#children.get(name);
  }

  /**
   * The names of the static children.
   *
   * @example
   * ```ts
   * [...root.listStaticNames()];
   * ```
   */
  listStaticNames(): IterableIterator<string> {
    return this.#children.keys();
  }

  /**
   * Dynamic children: called when no static child matches. Default: `NoResource` (404).
   *
   * @example
   * ```ts
   * override getChild(name: string) { return new UserPage(name); }
   * ```
   */
  getChild(_name: string, _request: Request): IResource {
    return new NoResource();
  }

  /**
   * The static child `name`, else `getChild(name, request)`.
   *
   * @example
   * ```ts
   * const child = root.getChildWithDefault('about', request);
   * ```
   */
  getChildWithDefault(name: string, request: Request): IResource {
    return this.#children.get(name) ?? this.getChild(name, request);
  }

  /**
   * The methods this resource answers (for `Allow`).
   *
   * @example
   * ```ts
   * resource.allowedMethods(); // ['GET', 'HEAD']
   * ```
   */
  allowedMethods(): string[] {
    const out: string[] = [];
    for (const [method, fn] of Object.entries(RENDER_METHODS)) {
      const self = this as Renderers;
      if (typeof self[fn] === 'function' || (method === 'HEAD' && typeof self.render_GET === 'function')) {
        out.push(method);
      }
    }
    return out;
  }

  /**
   * Dispatches to `render_<METHOD>`; HEAD falls back to GET; otherwise 405 with `Allow`.
   *
   * @example
   * ```ts
   * override render(request: Request) { return request.method === 'PROPFIND' ? this.propfind(request) : super.render(request); }
   * ```
   */
  render(request: Request): RenderResult {
    const name = RENDER_METHODS[request.method];
    const self = this as Renderers;
    let fn = name === undefined ? undefined : self[name];
    if (fn === undefined && request.method === 'HEAD') fn = self.render_GET;
    if (typeof fn === 'function') return fn.call(this, request);
    const allowed = this.allowedMethods();
    request.setHeader('Allow', allowed.join(', '));
    return new ErrorPage(
      405,
      'Method Not Allowed',
      `Your browser approached me (at ${escapeHtml(request.uri)}) with the method "${escapeHtml(request.method)}". I only allow the method${allowed.length === 1 ? '' : 's'} ${allowed.join(', ')} here.`,
    ).render(request);
  }
}

/**
 * Walks the tree from `resource` along `request.postpath` (moving segments to `prepath`) until a
 * leaf or the end of the path.
 *
 * @example
 * ```ts
 * const target = getChildForRequest(root, request);
 * ```
 */
export function getChildForRequest(resource: IResource, request: Request): IResource {
  let r = resource;
  const post = request.postpath;
  while (post.length > 0 && !r.isLeaf) {
    const segment = post.shift() as string;
    request.prepath.push(segment);
    r = r.getChildWithDefault(segment, request);
  }
  return r;
}

/**
 * Escapes `& < > " '` for HTML text and attributes.
 *
 * @example
 * ```ts
 * escapeHtml('<a>'); // '&#60;a&#62;'
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A page with a status, a title and a detail (HTML-escaped), Twisted's `resource.ErrorPage`.
 *
 * @example
 * ```ts
 * root.putChild('gone', new ErrorPage(410, 'Gone', 'This page was removed.'));
 * ```
 */
export class ErrorPage extends Resource {
  /**
   * @param code the status sent.
   * @param brief the title (HTML-escaped).
   * @param detail the explanation (HTML-escaped).
   */
  constructor(
    readonly code: number,
    readonly brief: string,
    readonly detail: string,
  ) {
    super();
  }

  /**
   * Sets the status and returns the HTML page.
   *
   * @example
   * ```ts
   * new ErrorPage(404, 'No Such Resource', 'nope').render(request);
   * ```
   */
  override render(request: Request): RenderResult {
    request.setResponseCode(this.code);
    request.setHeader('Content-Type', 'text/html; charset=utf-8');
    const b = escapeHtml(this.brief);
    return `<html><head><title>${this.code} - ${b}</title></head><body><h1>${b}</h1><p>${escapeHtml(this.detail)}</p></body></html>\n`;
  }

  /** Error pages have no children: every path below gets the same page. */
  override getChild(): IResource {
    return this;
  }
}

/**
 * 404, Twisted's `resource.NoResource`.
 *
 * @example
 * ```ts
 * override getChild(name: string) { return known(name) ? page(name) : new NoResource(); }
 * ```
 */
export class NoResource extends ErrorPage {
  constructor(message = 'Sorry. No luck finding that resource.') {
    super(404, 'No Such Resource', message);
  }
}

/**
 * 403, Twisted's `resource.ForbiddenResource`.
 *
 * @example
 * ```ts
 * root.putChild('private', new ForbiddenResource());
 * ```
 */
export class ForbiddenResource extends ErrorPage {
  constructor(message = 'Sorry, resource is forbidden.') {
    super(403, 'Forbidden Resource', message);
  }
}
