/**
 * `checkerFromString`: the `--auth` descriptions plugins accept, as Twisted's `strcred`:
 *
 * | description | checker |
 * |---|---|
 * | `memory:alice:secret[:bob:pw…]` | `InMemoryUsernamePasswordDatabase` (passwords cannot contain `:`) |
 * | `file:PATH` | `FilePasswordDB` of `user:$scrypt$…` lines (see `twist passwd`) |
 * | `anonymous` | `AllowAnonymousAccess` |
 *
 * @example
 * ```ts
 * import { checkerFromString, Portal } from 'twisted-ts/cred';
 * const portal = new Portal(realm, options.auth.map(checkerFromString));
 * ```
 * @module
 */
import {
  AllowAnonymousAccess,
  type ICredentialsChecker,
  InMemoryUsernamePasswordDatabase,
} from './checkers.js';
import { InvalidAuthDescription } from './error.js';
import { FilePasswordDB } from './file-password-db.js';

/**
 * The kinds `checkerFromString` understands, with a one-line help each (for `--help-auth`).
 *
 * @example
 * ```ts
 * for (const help of Object.values(authKinds)) stdout.write(`  ${help}\n`);
 * ```
 */
export const authKinds: Readonly<Record<'memory' | 'file' | 'anonymous', string>> = {
  memory: 'memory:USER:PASSWORD[:USER:PASSWORD…] — users held in memory (testing only)',
  file: 'file:PATH — a file of user:$scrypt$… lines, made with `twist passwd USER`',
  anonymous: 'anonymous — anyone may log in anonymously',
};

/**
 * Builds the checker a description names; throws `InvalidAuthDescription` on anything else.
 *
 * @example
 * ```ts
 * checkerFromString('memory:alice:secret:bob:hunter2');
 * checkerFromString('file:/etc/myapp/passwd');
 * checkerFromString('anonymous');
 * ```
 */
export function checkerFromString(description: string): ICredentialsChecker {
  const colon = description.indexOf(':');
  const kind = colon < 0 ? description : description.slice(0, colon);
  const rest = colon < 0 ? '' : description.slice(colon + 1);
  switch (kind) {
    case 'memory': {
      const parts = rest === '' ? [] : rest.split(':');
      if (parts.length === 0 || parts.length % 2 !== 0) {
        throw new InvalidAuthDescription('memory: needs USER:PASSWORD pairs, e.g. memory:alice:secret');
      }
      const db = new InMemoryUsernamePasswordDatabase();
      for (let i = 0; i < parts.length; i += 2) db.addUser(parts[i] as string, parts[i + 1] as string);
      return db;
    }
    case 'file':
      if (rest === '') throw new InvalidAuthDescription('file: needs a path, e.g. file:/etc/myapp/passwd');
      return new FilePasswordDB(rest);
    case 'anonymous':
      if (rest !== '') throw new InvalidAuthDescription('anonymous takes no argument');
      return new AllowAnonymousAccess();
    default:
      throw new InvalidAuthDescription(
        `unknown authentication kind ${JSON.stringify(kind)}; expected one of: ${Object.keys(authKinds).join(', ')}`,
      );
  }
}
