/**
 * Test helpers for the HTTP client: a reactor whose sockets are real but whose time is a `Clock`,
 * so loopback tests drive timeouts with `clock.advance` instead of waiting.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const agent = new Agent(socketsWithClock(reactor, clock), { headersTimeout: 5 });
 * const d = agent.request('GET', url);
 * clock.advance(5); // d errbacks with ResponseHeadersTimeoutError
 * ```
 * @module
 */
import type { NodeReactor } from '../../internet/reactor.js';
import type { Clock } from '../../testing/clock.js';
import type { AgentReactor } from './agent.js';

/**
 * `reactor`'s TCP, TLS and name resolution with `clock`'s time.
 *
 * @example
 * ```ts
 * new Agent(socketsWithClock(reactor, clock));
 * ```
 */
export function socketsWithClock(reactor: NodeReactor, clock: Clock): AgentReactor {
  return {
    listenTCP: reactor.listenTCP.bind(reactor),
    connectTCP: reactor.connectTCP.bind(reactor),
    listenSSL: reactor.listenSSL.bind(reactor),
    connectSSL: reactor.connectSSL.bind(reactor),
    nameResolver: reactor.nameResolver,
    seconds: () => clock.seconds(),
    callLater: (seconds, f, ...args) => clock.callLater(seconds, f, ...args),
    getDelayedCalls: () => clock.getDelayedCalls(),
  };
}

/**
 * A Promise with its resolver, for waiting on an event a server callback reports.
 *
 * @example
 * ```ts
 * const closed = signal(); socket.once('close', closed.resolve); await closed.promise;
 * ```
 */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
