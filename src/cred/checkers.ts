/**
 * Credential checkers: they turn credentials into an avatar id or fail with `UnauthorizedLogin`,
 * Twisted's `ICredentialsChecker`. `InMemoryUsernamePasswordDatabase` (tests, small setups) and
 * `AllowAnonymousAccess`; `FilePasswordDB` reads scrypt hashes from a file.
 *
 * @example
 * ```ts
 * import { InMemoryUsernamePasswordDatabase, Portal } from 'twisted-ts/cred';
 * const checker = new InMemoryUsernamePasswordDatabase({ alice: 'secret' });
 * const portal = new Portal(realm, [checker]);
 * ```
 * @module
 */
import type { Deferred } from '../internet/defer.js';
import {
  type Credentials,
  ICredentials,
  type InterfaceName,
  type IUsernameHashedPassword,
} from './credentials.js';
import { UnauthorizedLogin } from './error.js';

/**
 * The avatar id of an anonymous login.
 *
 * @example
 * ```ts
 * if (avatarId === ANONYMOUS) return { interface: iface, avatar: guest, logout() {} };
 * ```
 */
export const ANONYMOUS: unique symbol = Symbol('ANONYMOUS');

/**
 * Who logged in: a username, or `ANONYMOUS`.
 *
 * @example
 * ```ts
 * const who: AvatarId = await checker.requestAvatarId(creds);
 * ```
 */
export type AvatarId = string | typeof ANONYMOUS;

/**
 * Checks one or more kinds of credentials; Twisted's `ICredentialsChecker`.
 *
 * @example
 * ```ts
 * const anyone: ICredentialsChecker = { credentialInterfaces: [ICredentials.IAnonymous], requestAvatarId: () => ANONYMOUS };
 * ```
 */
export interface ICredentialsChecker {
  /** The credential interfaces this checker understands. */
  readonly credentialInterfaces: readonly InterfaceName[];
  /** Resolves to the avatar id, or rejects with `UnauthorizedLogin`. */
  requestAvatarId(credentials: Credentials): Deferred<AvatarId> | PromiseLike<AvatarId> | AvatarId;
}

/**
 * Usernames and cleartext passwords held in memory: for tests and throwaway setups
 * (`--auth memory:alice:secret`). Accepts `UsernamePassword`, `UsernameHashedPassword` and
 * `CramMD5Credentials`.
 *
 * @example
 * ```ts
 * const db = new InMemoryUsernamePasswordDatabase();
 * db.addUser('alice', 'secret');
 * await db.requestAvatarId(new UsernamePassword('alice', 'secret')); // 'alice'
 * ```
 */
export class InMemoryUsernamePasswordDatabase implements ICredentialsChecker {
  readonly credentialInterfaces = [
    ICredentials.IUsernamePassword,
    ICredentials.IUsernameHashedPassword,
  ] as const;
  readonly #users = new Map<string, string>();

  constructor(users: Readonly<Record<string, string>> = {}) {
    for (const [name, password] of Object.entries(users)) this.#users.set(name, password);
  }

  /**
   * Adds (or replaces) a user.
   *
   * @example
   * ```ts
   * db.addUser('bob', 'hunter2');
   * ```
   */
  addUser(username: string, password: string): void {
    this.#users.set(username, password);
  }

  /**
   * Resolves to the username when the password checks, otherwise rejects with `UnauthorizedLogin`.
   *
   * @example
   * ```ts
   * await db.requestAvatarId(new UsernamePassword('alice', 'secret')); // 'alice'
   * ```
   */
  async requestAvatarId(credentials: Credentials): Promise<AvatarId> {
    const creds = credentials as IUsernameHashedPassword;
    if (typeof creds.checkPassword !== 'function' || typeof creds.username !== 'string') {
      throw new UnauthorizedLogin();
    }
    const stored = this.#users.get(creds.username);
    // Unknown users are checked against a dummy password: same work, same answer.
    const ok = creds.checkPassword(stored ?? '\0twisted-ts no such user\0');
    if (stored === undefined || !ok) throw new UnauthorizedLogin();
    return creds.username;
  }
}

/**
 * Lets anyone in as `ANONYMOUS` with `Anonymous` credentials (`--auth anonymous`).
 *
 * @example
 * ```ts
 * new Portal(realm, [new AllowAnonymousAccess()]).login(new Anonymous(), null, 'IFTPShell');
 * ```
 */
export class AllowAnonymousAccess implements ICredentialsChecker {
  readonly credentialInterfaces = [ICredentials.IAnonymous] as const;

  /**
   * Always resolves to `ANONYMOUS`.
   *
   * @example
   * ```ts
   * new AllowAnonymousAccess().requestAvatarId(new Anonymous()); // ANONYMOUS
   * ```
   */
  requestAvatarId(_credentials: Credentials): AvatarId {
    return ANONYMOUS;
  }
}
