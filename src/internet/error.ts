/**
 * The engine's error classes: one per failure kind, each with a stable `code` and the underlying
 * error as `cause`.
 *
 * @example
 * ```ts
 * import { ConnectionDone } from 'twisted-ts/internet';
 * class P extends Protocol {
 *   override connectionLost(reason: Error) {
 *     if (!(reason instanceof ConnectionDone)) console.error('lost:', reason.message);
 *   }
 * }
 * ```
 * @module
 */

/**
 * Base class: every twisted-ts error has a stable `code`, so handlers can branch on it instead of
 * on messages, and `name` is the subclass's name.
 *
 * @example
 * ```ts
 * d.addErrback((err) => {
 *   if (err instanceof TwistedError && err.code === 'ERR_TIMEOUT') return retry();
 *   throw err;
 * });
 * ```
 */
export class TwistedError extends Error {
  /** Stable machine-readable code, e.g. `'ERR_CONNECTION_DONE'`. */
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Defines a subclass with a default message and code. */
function kind(code: string, defaultMessage: string) {
  return class extends TwistedError {
    constructor(message: string = defaultMessage, options?: { cause?: unknown }) {
      super(message, code, options);
    }
  };
}

// ---- connections

/**
 * The connection was closed cleanly (either side called `loseConnection()`): the normal end of a
 * connection, as opposed to `ConnectionLost`.
 *
 * @example
 * ```ts
 * override connectionLost(reason: Error) {
 *   if (reason instanceof ConnectionDone) console.log('bye');
 * }
 * ```
 */
export class ConnectionDone extends kind('ERR_CONNECTION_DONE', 'Connection was closed cleanly.') {}
/**
 * The connection was closed in a non-clean fashion (reset, timeout, error); `cause` holds the
 * socket's error when there was one.
 *
 * @example
 * ```ts
 * override connectionLost(reason: Error) {
 *   if (reason instanceof ConnectionLost) console.warn('dropped:', reason.cause ?? reason.message);
 * }
 * ```
 */
export class ConnectionLost extends kind('ERR_CONNECTION_LOST', 'Connection to the other side was lost.') {}
/**
 * The connection was aborted with `abortConnection()`: a kind of `ConnectionLost`, as in Twisted,
 * reported to the side that aborted.
 *
 * @example
 * ```ts
 * transport.abortConnection(); // protocol.connectionLost(ConnectionAborted)
 * ```
 */
export class ConnectionAborted extends ConnectionLost {
  constructor(message = 'Connection was aborted locally.', options?: { cause?: unknown }) {
    super(message, options);
    (this as { code: string }).code = 'ERR_CONNECTION_ABORTED';
  }
}
/**
 * A connection attempt failed for a reason with no more specific class; the refused, DNS and
 * timeout failures have their own classes.
 *
 * @example
 * ```ts
 * override clientConnectionFailed(_c: IConnector, reason: Error) {
 *   if (reason instanceof ConnectError) console.error('cannot connect:', reason.message);
 * }
 * ```
 */
export class ConnectError extends kind('ERR_CONNECT', 'An error occurred while connecting.') {}
/**
 * The peer refused the connection (nothing listens on that port: `ECONNREFUSED`).
 *
 * @example
 * ```ts
 * endpoint.connect(factory).addErrback((err) => trap(err, ConnectionRefusedError));
 * ```
 */
export class ConnectionRefusedError extends kind('ERR_CONNECTION_REFUSED', 'Connection was refused.') {}
/**
 * A host name could not be resolved (`ENOTFOUND`, `EAI_AGAIN`…).
 *
 * @example
 * ```ts
 * reactor.resolve('no.such.host.invalid').addErrback((err) => err instanceof DNSLookupError);
 * ```
 */
export class DNSLookupError extends kind('ERR_DNS_LOOKUP', 'DNS lookup failed.') {}
/**
 * The user stopped a connection attempt with `connector.stopConnecting()` (an endpoint's cancelled
 * `connect` fails with `ConnectingCancelledError` instead).
 *
 * @example
 * ```ts
 * connector.stopConnecting(); // factory.clientConnectionFailed(connector, UserError)
 * ```
 */
export class UserError extends kind('ERR_USER', 'User aborted connection.') {}
/**
 * The address could not be bound (in use, not local, no permission for a port below 1024).
 *
 * @example
 * ```ts
 * try {
 *   reactor.listenTCP(80, factory);
 * } catch (err) {
 *   if (err instanceof CannotListenError) console.error(err.message);
 * }
 * ```
 */
export class CannotListenError extends kind('ERR_CANNOT_LISTEN', 'Could not listen.') {}
/**
 * An operation timed out (a connection attempt, or a Deferred with `addTimeout`).
 *
 * @example
 * ```ts
 * d.addTimeout(5, reactor).addErrback((err) => {
 *   if (err instanceof TimeoutError) console.error('no answer in 5 s');
 * });
 * ```
 */
export class TimeoutError extends kind('ERR_TIMEOUT', 'User timeout caused connection failure.') {}
/**
 * `stopConnecting()` on a connector that is not connecting (already connected, or idle).
 *
 * @example
 * ```ts
 * if (connector.state === 'connecting') connector.stopConnecting(); // else: NotConnectingError
 * ```
 */
export class NotConnectingError extends kind('ERR_NOT_CONNECTING', 'The connector is not connecting.') {}
/**
 * An operation that needs a connection was made without one. The built-in connectors never throw
 * it (their `disconnect()` is a no-op when idle); it is there for user code that needs the kind.
 *
 * @example
 * ```ts
 * if (!connected) throw new NotConnectedError();
 * ```
 */
export class NotConnectedError extends kind('ERR_NOT_CONNECTED', 'The connector is not connected.') {}

// ---- delayed calls

/**
 * The delayed call already ran: `cancel()`, `reset()` or `delay()` came too late.
 *
 * @example
 * ```ts
 * if (call.active()) call.cancel(); // avoids AlreadyCalled / AlreadyCancelled
 * ```
 */
export class AlreadyCalled extends kind(
  'ERR_ALREADY_CALLED',
  'Tried to change a delayed call that already ran.',
) {}
/**
 * The delayed call was cancelled: it cannot be cancelled, reset or delayed again.
 *
 * @example
 * ```ts
 * call.cancel();
 * call.reset(5); // throws AlreadyCancelled
 * ```
 */
export class AlreadyCancelled extends kind(
  'ERR_ALREADY_CANCELLED',
  'Tried to change a delayed call that was cancelled.',
) {}

// ---- reactor

/**
 * `stop()` on a reactor that is not running (never started, or already stopping).
 *
 * @example
 * ```ts
 * if (reactor.running) reactor.stop(); // else: ReactorNotRunning
 * ```
 */
export class ReactorNotRunning extends kind(
  'ERR_REACTOR_NOT_RUNNING',
  "Can't stop reactor that isn't running.",
) {}
/**
 * `run()` on a reactor that already ran: as in Twisted, a reactor runs once; make a new one.
 *
 * @example
 * ```ts
 * await reactor.run();
 * reactor.run(); // throws ReactorNotRestartable
 * ```
 */
export class ReactorNotRestartable extends kind(
  'ERR_REACTOR_NOT_RESTARTABLE',
  'The reactor cannot be restarted.',
) {}
/**
 * `run()` on a reactor that is already running.
 *
 * @example
 * ```ts
 * const done = reactor.run();
 * reactor.run(); // throws ReactorAlreadyRunning
 * ```
 */
export class ReactorAlreadyRunning extends kind(
  'ERR_REACTOR_ALREADY_RUNNING',
  'The reactor is already running.',
) {}
/**
 * `installReactor()` after the global reactor was used or installed: install it first thing.
 *
 * @example
 * ```ts
 * installReactor(new MemoryReactor()); // before any use of `reactor`
 * ```
 */
export class ReactorAlreadyInstalledError extends kind(
  'ERR_REACTOR_ALREADY_INSTALLED',
  'A reactor is already installed.',
) {}

// ---- processes

/**
 * The process ended with exit code 0: the clean end of a process, given to `processEnded`.
 *
 * @example
 * ```ts
 * override processEnded(reason: Error) {
 *   if (reason instanceof ProcessDone) console.log('ok');
 * }
 * ```
 */
export class ProcessDone extends TwistedError {
  /** Always 0. */
  readonly exitCode = 0;
  /** Always `null`: the process exited by itself. */
  readonly signal: string | null = null;
  constructor(message = 'A process has ended without apparent errors: process finished with exit code 0.') {
    super(message, 'ERR_PROCESS_DONE');
  }
}

/**
 * The process ended with a non-zero exit code or was killed by a signal.
 *
 * @example
 * ```ts
 * override processEnded(reason: Error) {
 *   if (reason instanceof ProcessTerminated) console.error('failed:', reason.exitCode ?? reason.signal);
 * }
 * ```
 */
export class ProcessTerminated extends TwistedError {
  constructor(
    /** The exit code, or `null` when a signal killed the process (or it never started). */
    readonly exitCode: number | null,
    /** The name of the signal that killed the process (`'SIGTERM'`), or `null` when it exited. */
    readonly signal: string | null,
    message = signal !== null
      ? `A process has ended with a probable error condition: process ended by signal ${signal}.`
      : `A process has ended with a probable error condition: process ended with exit code ${exitCode}.`,
  ) {
    super(message, 'ERR_PROCESS_TERMINATED');
  }
}

/**
 * Wraps a non-Error thrown value into an Error, keeping the value as `cause`, so errbacks always
 * get an `Error` with a stack.
 *
 * @example
 * ```ts
 * try {
 *   JSON.parse(text);
 * } catch (e) {
 *   d.errback(toError(e));
 * }
 * ```
 */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return new NonErrorThrown(`Non-Error value thrown: ${text}`, { cause: value });
}

/**
 * A non-Error value was thrown; the value is the `cause`.
 *
 * @example
 * ```ts
 * toError('oops'); // NonErrorThrown: Non-Error value thrown: oops, cause 'oops'
 * ```
 */
export class NonErrorThrown extends kind('ERR_NON_ERROR_THROWN', 'A non-Error value was thrown.') {}
