/**
 * The registry of extra endpoint types for `serverFromString`: parsers of new types and wrappers
 * (`haproxy:<description>`) that live outside `endpoints/` register here, so the engine does not
 * import the protocols built on it. `twisted-ts/protocols/haproxy` registers `haproxy` when
 * imported. The built-in types (`tcp`, `ssl`, `unix`, `stdio`, `systemd`…) take precedence over a
 * registered parser of the same name.
 *
 * @example
 * ```ts
 * import { registerServerWrapper } from 'twisted-ts/internet';
 * registerServerWrapper('logged', (inner) => new LoggedEndpoint(inner));
 * // serverFromString(reactor, 'logged:tcp:8080')
 * ```
 * @module
 */
import type { DescriptionArgs } from './description.js';
import type { IStreamServerEndpoint } from './interfaces.js';
import type { StrportsReactor } from './strports.js';

/**
 * Builds a server endpoint from a description's arguments.
 *
 * @example
 * ```ts
 * const local: ServerParser = (reactor, args) => {
 *   const port = args.requiredPort('port', 0, 'local:PORT');
 *   args.finish(1);
 *   return new TCP4ServerEndpoint(reactor, port, { interface: '127.0.0.1' });
 * };
 * registerServerParser('local', local); // serverFromString(reactor, 'local:8080')
 * ```
 */
export type ServerParser = (reactor: StrportsReactor, args: DescriptionArgs) => IStreamServerEndpoint;

/**
 * Wraps the endpoint the rest of the description names (`haproxy:tcp:80` → wrap(tcp:80)).
 *
 * @example
 * ```ts
 * const logged: ServerWrapper = (inner) => ({
 *   listen(factory) {
 *     console.log(`listening for ${factory.constructor.name}`);
 *     return inner.listen(factory);
 *   },
 * });
 * registerServerWrapper('logged', logged); // serverFromString(reactor, 'logged:tcp:8080')
 * ```
 */
export type ServerWrapper = (inner: IStreamServerEndpoint, reactor: StrportsReactor) => IStreamServerEndpoint;

const parsers = new Map<string, ServerParser>();
const wrappers = new Map<string, ServerWrapper>();

/**
 * Adds (or replaces) the parser of endpoint type `type` (lower case).
 *
 * @example
 * ```ts
 * registerServerParser('loopback6', (reactor, args) => {
 *   const port = args.requiredPort('port', 0, 'loopback6:PORT');
 *   args.finish(1);
 *   return new TCP6ServerEndpoint(reactor, port, { interface: '::1' });
 * });
 * ```
 */
export function registerServerParser(type: string, parser: ServerParser): void {
  parsers.set(type.toLowerCase(), parser);
}

/**
 * Adds (or replaces) a wrapping endpoint type: the rest of the description is parsed as the inner
 * server endpoint.
 *
 * @example
 * ```ts
 * registerServerWrapper('haproxy', (inner) => new HAProxyServerEndpoint(inner));
 * ```
 */
export function registerServerWrapper(type: string, wrapper: ServerWrapper): void {
  wrappers.set(type.toLowerCase(), wrapper);
}

/**
 * The registered parser of `type`, if any.
 *
 * @example
 * ```ts
 * registeredServerParser('loopback6') !== undefined; // true once registered (built-in types are not listed)
 * ```
 */
export function registeredServerParser(type: string): ServerParser | undefined {
  return parsers.get(type);
}

/**
 * The registered wrapper of `type`, if any.
 *
 * @example
 * ```ts
 * registeredServerWrapper('haproxy')?.(inner, reactor);
 * ```
 */
export function registeredServerWrapper(type: string): ServerWrapper | undefined {
  return wrappers.get(type);
}

/**
 * Every registered type name.
 *
 * @example
 * ```ts
 * console.log(registeredServerTypes()); // ['haproxy', …]
 * ```
 */
export function registeredServerTypes(): string[] {
  return [...parsers.keys(), ...wrappers.keys()];
}
