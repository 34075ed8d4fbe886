/**
 * `NameVirtualHost`: serves a different resource tree per `Host` header, Twisted's
 * `vhost.NameVirtualHost`. The port part of the host is ignored; unknown hosts get `default`
 * (or 404 when there is none).
 *
 * @example
 * ```ts
 * const vhost = new NameVirtualHost();
 * vhost.addHost('example.com', new File('/srv/example'));
 * vhost.addHost('api.example.com', apiRoot);
 * vhost.default = new File('/srv/default');
 * reactor.listenTCP(80, new Site(vhost));
 * ```
 * @module
 */
import type { Request } from './request.js';
import { type IResource, NoResource, type RenderResult, Resource } from './resource.js';

/**
 * Dispatches on the Host header; see the module doc.
 *
 * @example
 * ```ts
 * const vhost = new NameVirtualHost();
 * vhost.addHost('example.com', new File('/srv/example'));
 * vhost.default = new NoResource('unknown host');
 * reactor.listenTCP(80, new Site(vhost));
 * ```
 */
export class NameVirtualHost extends Resource {
  /** The resource for hosts not added (404 when null). */
  default: IResource | null = null;
  readonly #hosts = new Map<string, IResource>();

  /**
   * Serves `resource` for `name` (case-insensitive, without port).
   *
   * @example
   * ```ts
   * vhost.addHost('www.example.com', root);
   * ```
   */
  addHost(name: string, resource: IResource): void {
    this.#hosts.set(name.toLowerCase(), resource);
  }

  /**
   * Stops serving `name`.
   *
   * @example
   * ```ts
   * vhost.removeHost('old.example.com');
   * ```
   */
  removeHost(name: string): void {
    this.#hosts.delete(name.toLowerCase());
  }

  #resourceFor(request: Request): IResource {
    const host = request.getRequestHostname().toLowerCase();
    return this.#hosts.get(host) ?? this.default ?? new NoResource('host not found');
  }

  /**
   * Renders the host's resource.
   *
   * @example
   * ```ts
   * vhost.render(request);
   * ```
   */
  override render(request: Request): RenderResult {
    return this.#resourceFor(request).render(request);
  }

  /**
   * Traverses into the host's resource (a leaf gets the segment back in `postpath`).
   *
   * @example
   * ```ts
   * vhost.getChild('index.html', request);
   * ```
   */
  override getChild(name: string, request: Request): IResource {
    const r = this.#resourceFor(request);
    if (r.isLeaf) {
      request.postpath.unshift(request.prepath.pop() as string);
      return r;
    }
    return r.getChildWithDefault(name, request);
  }
}
