/**
 * `twisted-ts/protocols/policies`: composable connection policies — `IdleTimeout` (the
 * `TimeoutMixin` replacement), `WrappingFactory`/`ProtocolWrapper`, `TimeoutFactory`,
 * `ThrottlingFactory`, `LimitTotalConnectionsFactory`, `LimitConnectionsByPeer`,
 * `TrafficLoggingFactory`. Everything time-based takes a clock.
 *
 * @example
 * ```ts
 * import { LimitConnectionsByPeer, TimeoutFactory } from 'twisted-ts/protocols/policies';
 * const factory = new LimitConnectionsByPeer(new TimeoutFactory(inner, { timeoutPeriod: 60 }));
 * ```
 * @module
 */
export * from './limits.js';
export * from './throttling.js';
export * from './timeout.js';
export * from './traffic-logging.js';
export * from './wrapping.js';
