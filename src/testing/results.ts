/**
 * Synchronous assertions on Deferreds, Twisted trial's `successResultOf`, `failureResultOf` and
 * `assertNoResult`. Because Deferred callbacks run synchronously, a protocol test can drive the
 * protocol (`dataReceived`, `clock.advance`) and then read the result at once, without `await`:
 * a result that "should be there" but is not is a bug the test reports instead of hanging on.
 *
 * @example
 * ```ts
 * import { successResultOf } from 'twisted-ts/testing';
 * const d = client.sendCommand('NOOP');
 * client.dataReceived(Buffer.from('250 OK\r\n'));
 * assert.equal(successResultOf(d), '250 OK');
 * ```
 * @module
 */
import { AssertionError } from 'node:assert';
import type { Deferred, ErrorClass } from '../internet/defer.js';

type Outcome<T> =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; value: T }
  | { readonly kind: 'error'; error: Error };

/**
 * Peeks at the result `d` has right now. A success is passed on unchanged; an error found now is
 * consumed (the chain goes on with `null`) because the caller reports it, while an error arriving
 * later passes through untouched.
 */
function peek<T>(d: Deferred<T>): Outcome<T> {
  let outcome: Outcome<T> = { kind: 'none' };
  let now = true;
  d.addCallbacks(
    (value: T) => {
      if (now) outcome = { kind: 'ok', value };
      return value;
    },
    (error: Error) => {
      if (!now) throw error;
      outcome = { kind: 'error', error };
      return null;
    },
  );
  now = false;
  return outcome;
}

function describeError(err: Error): string {
  return err.stack ?? `${err.name}: ${err.message}`;
}

function fail(message: string, cause?: Error): AssertionError {
  const e = new AssertionError({ message });
  if (cause !== undefined) e.cause = cause;
  return e;
}

/**
 * Returns the result `d` already has; throws an `AssertionError` if it has none yet or failed.
 * The result stays in the chain for later callbacks. A failure is consumed (the assertion error
 * carries it as `cause`), so it is not reported a second time as unhandled.
 *
 * @example
 * ```ts
 * const d = succeed(42);
 * successResultOf(d); // 42
 * ```
 */
export function successResultOf<T>(d: Deferred<T>): T {
  const outcome = peek(d);
  switch (outcome.kind) {
    case 'ok':
      return outcome.value;
    case 'none':
      throw fail('Success result expected on the Deferred, found no result instead');
    case 'error':
      throw fail(
        `Success result expected on the Deferred, found failure result instead:\n${describeError(outcome.error)}`,
        outcome.error,
      );
  }
}

/**
 * Returns the error `d` already failed with, checking it is an instance of one of `types` (any
 * error when none are given); throws an `AssertionError` otherwise. The error is consumed: the
 * chain goes on with `null`, so it is not reported as unhandled.
 *
 * @example
 * ```ts
 * const err = failureResultOf(d, ConnectionRefusedError);
 * assert.equal(err.code, 'ERR_CONNECTION_REFUSED');
 * ```
 */
export function failureResultOf<T, C extends ErrorClass[]>(
  d: Deferred<T>,
  ...types: C
): C extends [] ? Error : InstanceType<C[number]> {
  type R = C extends [] ? Error : InstanceType<C[number]>;
  const outcome = peek(d);
  switch (outcome.kind) {
    case 'none':
      throw fail('Failure result expected on the Deferred, found no result instead');
    case 'ok':
      throw fail(
        `Failure result expected on the Deferred, found success result (${inspectValue(outcome.value)}) instead`,
      );
    case 'error': {
      const err = outcome.error;
      if (types.length > 0 && !types.some((t) => err instanceof t)) {
        const expected = types.map((t) => t.name).join(', ');
        throw fail(
          `Failure of type (${expected}) expected on the Deferred, found type ${err.name} instead:\n${describeError(err)}`,
          err,
        );
      }
      return err as R;
    }
  }
}

/**
 * Throws an `AssertionError` if `d` already has a result. A failure found that way is consumed
 * (the assertion carries it as `cause`); a pending Deferred goes on exactly as before.
 *
 * @example
 * ```ts
 * const d = client.login('alice', 'secret');
 * assertNoResult(d); // the server has not answered yet
 * ```
 */
export function assertNoResult<T>(d: Deferred<T>): void {
  const outcome = peek(d);
  switch (outcome.kind) {
    case 'none':
      return;
    case 'ok':
      throw fail(`No result expected on the Deferred, found ${inspectValue(outcome.value)} instead`);
    case 'error':
      throw fail(
        `No result expected on the Deferred, found failure result instead:\n${describeError(outcome.error)}`,
        outcome.error,
      );
  }
}

function inspectValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Buffer.isBuffer(value)) return `<Buffer ${value.toString('hex').slice(0, 64)}>`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
