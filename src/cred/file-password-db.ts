/**
 * `FilePasswordDB`: a checker reading `user:hash` lines, where each hash is an scrypt string made
 * by `hashPassword` (`twist passwd alice` prints such a line). Plaintext passwords on disk are
 * never accepted: a line whose hash is not `$scrypt$…` matches no password.
 *
 * @example
 * ```ts
 * import { FilePasswordDB } from 'twisted-ts/cred';
 * const checker = new FilePasswordDB('/etc/myapp/passwd');
 * ```
 * @module
 */
import { readFile } from 'node:fs/promises';
import { Logger } from '../logger/logger.js';
import type { AvatarId, ICredentialsChecker } from './checkers.js';
import { type Credentials, ICredentials, type IUsernamePassword } from './credentials.js';
import { UnauthorizedLogin } from './error.js';
import { burnVerification, verifyPassword } from './password-hash.js';

const log = new Logger('twisted-ts.cred');

/**
 * Options of `FilePasswordDB`.
 *
 * @example
 * ```ts
 * const db = new FilePasswordDB('/etc/myapp/passwd', { cache: true });
 * ```
 */
export interface FilePasswordDBOptions {
  /** Read the file once and keep it (default false: re-read on every login, so edits apply). */
  cache?: boolean;
}

/**
 * Parses the text of a password file into a map: blank lines and `#` comments are skipped; the
 * username is everything before the first `:`.
 *
 * @example
 * ```ts
 * parsePasswordFile('alice:$scrypt$N=16384,r=8,p=1$…$…\n').get('alice');
 * ```
 */
export function parsePasswordFile(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    users.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return users;
}

/**
 * Checks `UsernamePassword` credentials against scrypt hashes in a file. Unknown users cost the
 * same scrypt work as a wrong password and get the same `UnauthorizedLogin`.
 *
 * @example
 * ```ts
 * const portal = new Portal(realm, [new FilePasswordDB('users.passwd')]);
 * await portal.login(new UsernamePassword('alice', 'secret'), null, 'IMailbox');
 * ```
 */
export class FilePasswordDB implements ICredentialsChecker {
  readonly credentialInterfaces = [ICredentials.IUsernamePassword] as const;
  /** The file the users are read from. */
  readonly path: string;
  readonly #cache: boolean;
  #users: Promise<Map<string, string>> | undefined;

  constructor(path: string, options: FilePasswordDBOptions = {}) {
    this.path = path;
    this.#cache = options.cache ?? false;
  }

  /**
   * Resolves to the username when the password matches its hash; rejects with `UnauthorizedLogin`.
   *
   * @example
   * ```ts
   * await new FilePasswordDB('users.passwd').requestAvatarId(new UsernamePassword('alice', 'secret'));
   * ```
   */
  async requestAvatarId(credentials: Credentials): Promise<AvatarId> {
    const creds = credentials as IUsernamePassword;
    if (typeof creds.username !== 'string' || typeof creds.password !== 'string')
      throw new UnauthorizedLogin();
    let users: Map<string, string>;
    try {
      users = await this.#load();
    } catch (err) {
      log.failure('Unable to read password file {path}', err, { path: this.path }, 'error');
      throw new UnauthorizedLogin(undefined, { cause: err });
    }
    const stored = users.get(creds.username);
    if (stored === undefined) {
      await burnVerification(creds.password, users.values().next().value);
      throw new UnauthorizedLogin();
    }
    if (!(await verifyPassword(creds.password, stored))) throw new UnauthorizedLogin();
    return creds.username;
  }

  #load(): Promise<Map<string, string>> {
    if (this.#cache && this.#users !== undefined) return this.#users;
    const users = readFile(this.path, 'utf8').then(parsePasswordFile);
    if (this.#cache) {
      this.#users = users;
      users.catch(() => {
        this.#users = undefined;
      });
    }
    return users;
  }
}
