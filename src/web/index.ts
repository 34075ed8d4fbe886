/**
 * `twisted-ts/web`: an HTTP/1.1 server with Twisted's web API — `Resource` trees, `Site`,
 * `Request`, static files (`File`), sessions, and the `twist web` plugin.
 *
 * @example
 * ```ts
 * import { File, Resource, Site } from 'twisted-ts/web';
 * import { reactor } from 'twisted-ts/internet';
 * const root = new Resource();
 * root.putChild('static', new File('./public'));
 * reactor.listenTCP(8080, new Site(root));
 * await reactor.run();
 * ```
 * @module
 */
export * from './access-log.js';
export * from './content-spool.js';
export * from './cookies.js';
export * from './data.js';
export * from './encoding.js';
export * from './form.js';
export * from './headers.js';
export * from './http-channel.js';
export * from './http-request.js';
export * from './proxy.js';
export * from './request.js';
export * from './resource.js';
export * from './service.js';
export * from './session.js';
export * from './site.js';
export * from './static/index.js';
export * from './vhost.js';
