/**
 * The `--auth` option of plugins that log users in, Twisted's `strcred.AuthOptionMixin`: a plugin
 * puts `authOption` in its schema and turns the values into checkers for its `Portal` with
 * `checkersFromAuthOption`. A bad description is a usage error (`twist` prints it, exit code 2).
 *
 * @example
 * ```ts
 * import { authOption, checkersFromAuthOption } from 'twisted-ts/application';
 * const schema = { options: { auth: authOption } } as const satisfies OptionsSchema;
 * // in makeService:
 * const portal = new Portal(realm, checkersFromAuthOption(options.values.auth));
 * ```
 * @module
 */
import type { ICredentialsChecker } from '../cred/checkers.js';
import { InvalidAuthDescription } from '../cred/error.js';
import { checkerFromString } from '../cred/strcred.js';
import { type OptionSpec, UsageError } from './options.js';

/**
 * `--auth AUTH` (repeatable): `memory:USER:PASSWORD[:USER:PASSWORD…]`, `file:PATH`, `anonymous`.
 * Its help text lists every kind.
 *
 * @example
 * ```ts
 * const schema = { options: { auth: authOption } } as const satisfies OptionsSchema;
 * parseOptions(schema, ['--auth', 'file:users.passwd']).values.auth; // ['file:users.passwd']
 * ```
 */
export const authOption = {
  /** Takes a value: the checker description. */
  type: 'string',
  /** Repeat `--auth` to accept several kinds of login; each value gives one checker. */
  multiple: true,
  /** Shown as `--auth AUTH` in `--help`. */
  metavar: 'AUTH',
  /** The `--help` text, listing every kind of description. */
  description:
    'How users log in: memory:USER:PASSWORD[:USER:PASSWORD...] (testing only), file:PATH ' +
    '(user:hash lines from "twist passwd") or anonymous.',
} as const satisfies OptionSpec;

/**
 * One checker per `--auth` value, in order; throws `UsageError` naming the bad description.
 *
 * @example
 * ```ts
 * const checkers = checkersFromAuthOption(['memory:alice:secret', 'anonymous']);
 * const portal = new Portal(realm, checkers);
 * ```
 */
export function checkersFromAuthOption(descriptions: readonly string[]): ICredentialsChecker[] {
  return descriptions.map((description) => {
    try {
      return checkerFromString(description);
    } catch (err) {
      if (err instanceof InvalidAuthDescription) {
        throw new UsageError(`--auth ${JSON.stringify(description)}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  });
}
