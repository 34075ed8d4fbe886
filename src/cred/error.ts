/**
 * Login errors, as in Twisted's `twisted.cred.error`. A failed login never says which part was
 * wrong: unknown user and wrong password both give `UnauthorizedLogin` with the same message.
 *
 * @example
 * ```ts
 * import { UnauthorizedLogin } from 'twisted-ts/cred';
 * try { await portal.login(creds, null, 'IShell'); }
 * catch (err) { if (err instanceof UnauthorizedLogin) reply('535 Authentication failed'); }
 * ```
 * @module
 */
import { TwistedError } from '../internet/error.js';

/**
 * Base class of login failures.
 *
 * @example
 * ```ts
 * d.addErrback((err) => { trap(err, LoginFailed); return reply('535 Authentication failed'); });
 * ```
 */
export class LoginFailed extends TwistedError {
  constructor(message = 'Login failed.', code = 'ERR_LOGIN_FAILED', options?: { cause?: unknown }) {
    super(message, code, options);
  }
}

/**
 * The credentials were not accepted (unknown user, wrong password, bad signature…).
 *
 * @example
 * ```ts
 * throw new UnauthorizedLogin();
 * ```
 */
export class UnauthorizedLogin extends LoginFailed {
  constructor(message = 'Unauthorized login.', options?: { cause?: unknown }) {
    super(message, 'ERR_UNAUTHORIZED_LOGIN', options);
  }
}

/**
 * No checker registered with the portal handles this kind of credentials.
 *
 * @example
 * ```ts
 * await portal.login(new Anonymous(), null, 'IShell'); // UnhandledCredentials without AllowAnonymousAccess
 * ```
 */
export class UnhandledCredentials extends LoginFailed {
  constructor(message = 'No checker handles these credentials.', options?: { cause?: unknown }) {
    super(message, 'ERR_UNHANDLED_CREDENTIALS', options);
  }
}

/**
 * A `--auth` description that `checkerFromString` cannot parse.
 *
 * @example
 * ```ts
 * checkerFromString('ldap:x'); // throws InvalidAuthDescription
 * ```
 */
export class InvalidAuthDescription extends TwistedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_INVALID_AUTH_DESCRIPTION', options);
  }
}
