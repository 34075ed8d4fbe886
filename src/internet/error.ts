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

/** Base class: every twisted-ts error has a stable `code`. */
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

/** The connection was closed cleanly. */
export class ConnectionDone extends kind('ERR_CONNECTION_DONE', 'Connection was closed cleanly.') {}
/** The connection was closed in a non-clean fashion (reset, timeout, error). */
export class ConnectionLost extends kind('ERR_CONNECTION_LOST', 'Connection to the other side was lost.') {}
/** The connection was aborted with `abortConnection()`: a kind of `ConnectionLost`, as in Twisted. */
export class ConnectionAborted extends ConnectionLost {
  constructor(message = 'Connection was aborted locally.', options?: { cause?: unknown }) {
    super(message, options);
    (this as { code: string }).code = 'ERR_CONNECTION_ABORTED';
  }
}
/** A connection attempt failed. */
export class ConnectError extends kind('ERR_CONNECT', 'An error occurred while connecting.') {}
/** The peer refused the connection. */
export class ConnectionRefusedError extends kind('ERR_CONNECTION_REFUSED', 'Connection was refused.') {}
/** A host name could not be resolved. */
export class DNSLookupError extends kind('ERR_DNS_LOOKUP', 'DNS lookup failed.') {}
/** The user stopped a connection attempt. */
export class UserError extends kind('ERR_USER', 'User aborted connection.') {}
/** The address could not be bound. */
export class CannotListenError extends kind('ERR_CANNOT_LISTEN', 'Could not listen.') {}
/** An operation timed out (a connection attempt, or a Deferred with `addTimeout`). */
export class TimeoutError extends kind('ERR_TIMEOUT', 'User timeout caused connection failure.') {}
/** A connection was opened or used in the wrong state. */
export class NotConnectingError extends kind('ERR_NOT_CONNECTING', 'The connector is not connecting.') {}
/** `disconnect()` on a connector that is not connected. */
export class NotConnectedError extends kind('ERR_NOT_CONNECTED', 'The connector is not connected.') {}

// ---- delayed calls

/** The delayed call already ran. */
export class AlreadyCalled extends kind(
  'ERR_ALREADY_CALLED',
  'Tried to change a delayed call that already ran.',
) {}
/** The delayed call was cancelled. */
export class AlreadyCancelled extends kind(
  'ERR_ALREADY_CANCELLED',
  'Tried to change a delayed call that was cancelled.',
) {}

// ---- reactor

/** `stop()` on a reactor that is not running. */
export class ReactorNotRunning extends kind(
  'ERR_REACTOR_NOT_RUNNING',
  "Can't stop reactor that isn't running.",
) {}
/** `run()` on a reactor that already ran. */
export class ReactorNotRestartable extends kind(
  'ERR_REACTOR_NOT_RESTARTABLE',
  'The reactor cannot be restarted.',
) {}
/** `run()` on a reactor that is already running. */
export class ReactorAlreadyRunning extends kind(
  'ERR_REACTOR_ALREADY_RUNNING',
  'The reactor is already running.',
) {}
/** `installReactor()` after the global reactor was used or installed. */
export class ReactorAlreadyInstalledError extends kind(
  'ERR_REACTOR_ALREADY_INSTALLED',
  'A reactor is already installed.',
) {}

// ---- processes

/** The process ended with exit code 0. */
export class ProcessDone extends TwistedError {
  readonly exitCode = 0;
  readonly signal: string | null = null;
  constructor(message = 'A process has ended without apparent errors: process finished with exit code 0.') {
    super(message, 'ERR_PROCESS_DONE');
  }
}

/** The process ended with a non-zero exit code or was killed by a signal. */
export class ProcessTerminated extends TwistedError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    message = signal !== null
      ? `A process has ended with a probable error condition: process ended by signal ${signal}.`
      : `A process has ended with a probable error condition: process ended with exit code ${exitCode}.`,
  ) {
    super(message, 'ERR_PROCESS_TERMINATED');
  }
}

/** Wraps a non-Error thrown value into an Error, keeping the value as `cause`. */
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

/** A non-Error value was thrown; the value is the `cause`. */
export class NonErrorThrown extends kind('ERR_NON_ERROR_THROWN', 'A non-Error value was thrown.') {}
