/**
 * `twisted-ts/cred`: authentication the Twisted way — a `Portal` sends credentials to a checker,
 * the avatar id to a realm, and returns the avatar. Checkers for in-memory users, scrypt password
 * files and anonymous access; `hashPassword` for the files; `checkerFromString` for `--auth`.
 *
 * @example
 * ```ts
 * import { checkerFromString, Portal, UsernamePassword } from 'twisted-ts/cred';
 * const portal = new Portal(realm, [checkerFromString('memory:alice:secret')]);
 * const { avatar, logout } = await portal.login(new UsernamePassword('alice', 'secret'), null, 'IShell');
 * ```
 * @module
 */
export * from './checkers.js';
export * from './credentials.js';
export * from './error.js';
export * from './file-password-db.js';
export * from './password-hash.js';
export * from './portal.js';
export * from './strcred.js';
