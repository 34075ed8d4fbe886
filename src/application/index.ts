/**
 * `twisted-ts/application`: services and the `twist` plugin contracts — `Service`,
 * `MultiService`, `StreamServerEndpointService`, `TimerService`, `ClientService` with
 * `backoffPolicy`, options schemas (with the `--auth` option), the plugin registry, and
 * `routeEngineErrorsToLogger`.
 *
 * @example
 * ```ts
 * import { MultiService, StreamServerEndpointService } from 'twisted-ts/application';
 * const top = new MultiService();
 * new StreamServerEndpointService(serverFromString(reactor, 'tcp:8080'), factory).setServiceParent(top);
 * reactor.callWhenRunning(() => top.startService());
 * reactor.addSystemEventTrigger('before', 'shutdown', () => top.stopService());
 * await reactor.run();
 * ```
 * @module
 */
export * from './auth-option.js';
export * from './backoff.js';
export * from './client-service.js';
export * from './multi-service.js';
export * from './options.js';
export * from './route-engine-errors.js';
export * from './service.js';
export * from './service-maker.js';
export * from './stream-server-endpoint-service.js';
export * from './timer-service.js';
export * from './tracking-factory.js';
