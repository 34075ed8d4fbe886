/**
 * `Portal`: the front door of Twisted's cred — credentials go to the checker registered for their
 * interface, the resulting avatar id goes to the realm, and the realm returns the avatar.
 *
 * @example
 * ```ts
 * import { InMemoryUsernamePasswordDatabase, Portal, UsernamePassword } from 'twisted-ts/cred';
 * const realm = { requestAvatar: (id, mind, ...ifaces) => ({ interface: ifaces[0]!, avatar: new Mailbox(id), logout: () => {} }) };
 * const portal = new Portal(realm, [new InMemoryUsernamePasswordDatabase({ alice: 'secret' })]);
 * const { avatar, logout } = await portal.login(new UsernamePassword('alice', 'secret'), null, 'IMailbox');
 * ```
 * @module
 */
import { Deferred, maybeDeferred } from '../internet/defer.js';
import type { AvatarId, ICredentialsChecker } from './checkers.js';
import type { Credentials, InterfaceName } from './credentials.js';
import { UnhandledCredentials } from './error.js';

/**
 * What a successful login gives: the interface chosen, the avatar, and how to log out.
 *
 * @example
 * ```ts
 * const { avatar, logout } = await portal.login(creds, null, 'IMailbox'); try { use(avatar); } finally { logout(); }
 * ```
 */
export interface LoginResult<A = unknown> {
  /** The one of the requested interfaces the avatar implements. */
  readonly interface: InterfaceName;
  /** The avatar: the object the protocol talks to on the user's behalf. */
  readonly avatar: A;
  /** Called when the session ends. */
  readonly logout: () => void;
}

/**
 * Makes avatars for avatar ids; Twisted's `IRealm`.
 *
 * @example
 * ```ts
 * const realm: IRealm<Mailbox> = { requestAvatar: (id, _mind, ...ifaces) => ({ interface: ifaces[0]!, avatar: new Mailbox(String(id)), logout: () => {} }) };
 * ```
 */
export interface IRealm<A = unknown> {
  /**
   * Returns the avatar of `avatarId` for the first of `interfaces` the realm supports; throws (or
   * rejects) when it supports none.
   */
  requestAvatar(
    avatarId: AvatarId,
    mind: unknown,
    ...interfaces: InterfaceName[]
  ): LoginResult<A> | PromiseLike<LoginResult<A>> | Deferred<LoginResult<A>>;
}

/**
 * Connects checkers and a realm.
 *
 * @example
 * ```ts
 * const portal = new Portal(realm);
 * portal.registerChecker(new AllowAnonymousAccess());
 * ```
 */
export class Portal<A = unknown> {
  /** The realm avatars come from. */
  readonly realm: IRealm<A>;
  readonly #checkers = new Map<InterfaceName, ICredentialsChecker>();

  constructor(realm: IRealm<A>, checkers: readonly ICredentialsChecker[] = []) {
    this.realm = realm;
    for (const checker of checkers) this.registerChecker(checker);
  }

  /**
   * Uses `checker` for `interfaces` (default: all its `credentialInterfaces`); a later checker for
   * the same interface replaces the earlier one.
   *
   * @example
   * ```ts
   * portal.registerChecker(new FilePasswordDB('users.passwd'));
   * ```
   */
  registerChecker(checker: ICredentialsChecker, ...interfaces: InterfaceName[]): void {
    for (const iface of interfaces.length > 0 ? interfaces : checker.credentialInterfaces) {
      this.#checkers.set(iface, checker);
    }
  }

  /**
   * The credential interfaces some checker handles (e.g. to advertise SASL mechanisms).
   *
   * @example
   * ```ts
   * portal.listCredentialsInterfaces(); // ['IUsernamePassword', 'IUsernameHashedPassword']
   * ```
   */
  listCredentialsInterfaces(): InterfaceName[] {
    return [...this.#checkers.keys()];
  }

  /**
   * Checks `credentials`, then asks the realm for an avatar implementing one of `interfaces`.
   * Fails with `UnhandledCredentials` when no checker handles the credentials, and with whatever
   * the checker fails with (`UnauthorizedLogin`) when they are refused.
   *
   * @example
   * ```ts
   * const { avatar, logout } = await portal.login(new UsernamePassword('alice', 'secret'), null, 'IMailbox');
   * ```
   */
  login(credentials: Credentials, mind: unknown, ...interfaces: InterfaceName[]): Deferred<LoginResult<A>> {
    let checker: ICredentialsChecker | undefined;
    for (const iface of credentials.credentialInterfaces) {
      checker = this.#checkers.get(iface);
      if (checker !== undefined) break;
    }
    if (checker === undefined) {
      const d = new Deferred<LoginResult<A>>();
      d.errback(
        new UnhandledCredentials(`No checker for ${credentials.credentialInterfaces.map(String).join(', ')}`),
      );
      return d;
    }
    const found = checker;
    return maybeDeferred(
      () => found.requestAvatarId(credentials) as PromiseLike<AvatarId> | AvatarId,
    ).addCallback((avatarId: AvatarId) =>
      maybeDeferred(
        () =>
          this.realm.requestAvatar(avatarId, mind, ...interfaces) as
            | LoginResult<A>
            | PromiseLike<LoginResult<A>>,
      ),
    ) as Deferred<LoginResult<A>>;
  }
}
