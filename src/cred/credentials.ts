/**
 * Credentials: what a client presents to log in, Twisted's `twisted.cred.credentials`. Each class
 * lists the credential interfaces it provides (`credentialInterfaces`) so the `Portal` can pick a
 * checker; interfaces are plain strings, no zope.
 *
 * @example
 * ```ts
 * import { UsernamePassword } from 'twisted-ts/cred';
 * const result = await portal.login(new UsernamePassword('alice', 'secret'), null, 'IMailbox');
 * ```
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Names a kind of credentials (or of avatar): a string or a symbol.
 *
 * @example
 * ```ts
 * const IMailbox: InterfaceName = Symbol('IMailbox');
 * ```
 */
export type InterfaceName = string | symbol;

/**
 * The credential interfaces shipped with twisted-ts.
 *
 * @example
 * ```ts
 * class Token implements Credentials { readonly credentialInterfaces = ['IToken']; }
 * portal.registerChecker(tokenChecker, 'IToken');
 * ```
 */
export const ICredentials = {
  /** Username and cleartext password: `{ username, password, checkPassword(pw) }`. */
  IUsernamePassword: 'IUsernamePassword',
  /** Username plus something that proves the password: `{ username, checkPassword(pw) }`. */
  IUsernameHashedPassword: 'IUsernameHashedPassword',
  /** An SSH public key and, once signed, a signature over `sigData`. */
  ISSHPrivateKey: 'ISSHPrivateKey',
  /** No identity at all. */
  IAnonymous: 'IAnonymous',
} as const;

/**
 * Anything a client presents; it lists the interfaces it provides.
 *
 * @example
 * ```ts
 * const creds: Credentials = new UsernamePassword('alice', 'secret');
 * ```
 */
export interface Credentials {
  /** The credential interfaces this object provides; the `Portal` uses the first one it has a checker for. */
  readonly credentialInterfaces: readonly InterfaceName[];
}

/**
 * `IUsernameHashedPassword`: a checker holding the cleartext password asks `checkPassword`.
 *
 * @example
 * ```ts
 * if (creds.checkPassword(storedCleartext)) return creds.username;
 * ```
 */
export interface IUsernameHashedPassword extends Credentials {
  /** Who is logging in, as the client sent it; checkers look it up as is (no case folding). */
  readonly username: string;
  /**
   * True when `password` is the one these credentials prove knowledge of.
   *
   * @example
   * ```ts
   * new UsernamePassword('a', 'pw').checkPassword('pw'); // true
   * ```
   */
  checkPassword(password: string): boolean;
}

/**
 * `IUsernamePassword`: the password itself is available (for checkers storing hashes).
 *
 * @example
 * ```ts
 * const ok = await verifyPassword(creds.password, storedHash);
 * ```
 */
export interface IUsernamePassword extends IUsernameHashedPassword {
  /** The cleartext password the client sent; never log it. */
  readonly password: string;
}

/** Key of the digests `safeEqual` compares: random per process, so they reveal nothing. */
const compareKey = randomBytes(32);

/**
 * Constant-time equality of two strings (UTF-8) or byte arrays: their HMAC-SHA256 digests under a
 * per-process random key are compared with `crypto.timingSafeEqual`, so the time taken tells
 * neither where the inputs differ nor whether their lengths do.
 *
 * @example
 * ```ts
 * safeEqual(presentedToken, expectedToken);
 * ```
 */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = createHmac('sha256', compareKey).update(a).digest();
  const y = createHmac('sha256', compareKey).update(b).digest();
  return timingSafeEqual(x, y);
}

/**
 * A username and a cleartext password.
 *
 * @example
 * ```ts
 * new UsernamePassword('alice', 'secret').checkPassword('secret'); // true
 * ```
 */
export class UsernamePassword implements IUsernamePassword {
  /** Both password interfaces: checkers storing hashes and checkers storing cleartext accept it. */
  readonly credentialInterfaces = [
    ICredentials.IUsernamePassword,
    ICredentials.IUsernameHashedPassword,
  ] as const;
  constructor(
    /** Who is logging in. */
    readonly username: string,
    /** The cleartext password; never log it. */
    readonly password: string,
  ) {}

  /**
   * Constant-time comparison with `password`.
   *
   * @example
   * ```ts
   * new UsernameHashedPassword('a', 'x1').checkPassword('x1'); // true
   * ```
   */
  checkPassword(password: string): boolean {
    return safeEqual(this.password, password);
  }
}

/**
 * A username and a password already transformed by the client the way the server stores it;
 * `checkPassword(stored)` compares them in constant time.
 *
 * @example
 * ```ts
 * new UsernameHashedPassword('alice', digest).checkPassword(storedDigest);
 * ```
 */
export class UsernameHashedPassword implements IUsernameHashedPassword {
  /** Only `IUsernameHashedPassword`: the cleartext password is not available. */
  readonly credentialInterfaces = [ICredentials.IUsernameHashedPassword] as const;
  constructor(
    /** Who is logging in. */
    readonly username: string,
    /** The password as the client transformed it, compared as is with the stored value. */
    readonly hashed: string,
  ) {}

  /**
   * Constant-time comparison of the stored value with the presented one.
   *
   * @example
   * ```ts
   * creds.checkPassword('tanstaaftanstaaf'); // true for the RFC 2195 example
   * ```
   */
  checkPassword(password: string): boolean {
    return safeEqual(this.hashed, password);
  }
}

/**
 * CRAM-MD5 (RFC 2195): the server sends a challenge, the client answers
 * `username HEX(HMAC-MD5(password, challenge))`; the checker, which knows the password, calls
 * `checkPassword`.
 *
 * @example
 * ```ts
 * const creds = new CramMD5Credentials('mail.example.com');
 * send(base64(creds.getChallenge()));
 * creds.setResponse(fromBase64(line)); // 'alice 5f0e…'
 * await portal.login(creds, null, 'IMailbox');
 * ```
 */
export class CramMD5Credentials implements IUsernameHashedPassword {
  /** `IUsernameHashedPassword`: checkers that know the cleartext password verify the digest. */
  readonly credentialInterfaces = [ICredentials.IUsernameHashedPassword] as const;
  /** The username of the response (empty until `setResponse`). */
  username = '';
  /** The hex digest of the response (empty until `setResponse`). */
  response = '';
  readonly #challenge: string;

  /** `challenge` is generated (`<random.time@host>`) unless given. */
  constructor(host = 'localhost', challenge?: string) {
    this.#challenge = challenge ?? `<${randomBytes(8).readBigUInt64BE()}.${Date.now()}@${host}>`;
  }

  /**
   * The challenge to send to the client.
   *
   * @example
   * ```ts
   * transport.write(`334 ${Buffer.from(creds.getChallenge()).toString('base64')}\r\n`);
   * ```
   */
  getChallenge(): string {
    return this.#challenge;
  }

  /**
   * Records the client's answer `username digest`.
   *
   * @example
   * ```ts
   * creds.setResponse('tim b913a602c7eda7a495b4e6e7334d3890');
   * ```
   */
  setResponse(response: string): void {
    const space = response.lastIndexOf(' ');
    this.username = space < 0 ? '' : response.slice(0, space);
    this.response = space < 0 ? response : response.slice(space + 1);
  }

  /**
   * No more challenges follow (CRAM-MD5 is one round trip).
   *
   * @example
   * ```ts
   * if (!creds.moreChallenges()) await portal.login(creds, null, 'IMailbox');
   * ```
   */
  moreChallenges(): boolean {
    return false;
  }

  /** True when the response is HMAC-MD5 of the challenge keyed with `password`. */
  checkPassword(password: string): boolean {
    const expected = createHmac('md5', password).update(this.#challenge).digest('hex');
    return safeEqual(expected, this.response.toLowerCase());
  }
}

/**
 * An SSH public-key login (RFC 4252 section 7): the key blob, and once the client signed, the
 * signed data and the signature. A checker without a signature answers "key acceptable?" only.
 *
 * @example
 * ```ts
 * new SSHPrivateKey('alice', 'ssh-ed25519', blob, sigData, signature);
 * ```
 */
export class SSHPrivateKey implements Credentials {
  /** `ISSHPrivateKey`, for checkers that look keys up in `authorized_keys`-like stores. */
  readonly credentialInterfaces = [ICredentials.ISSHPrivateKey] as const;
  constructor(
    /** Who is logging in. */
    readonly username: string,
    /** The public-key algorithm name, such as `'ssh-ed25519'` or `'rsa-sha2-256'`. */
    readonly algName: string,
    /** The public key in SSH wire format, as in the `publickey` request. */
    readonly blob: Buffer,
    /** The data the client signed (session id and request), or `null` for a "key acceptable?" query. */
    readonly sigData: Buffer | null = null,
    /** The client's signature over `sigData`, or `null` before it signed. */
    readonly signature: Buffer | null = null,
  ) {}
}

/**
 * No credentials: logs in as the anonymous avatar where `AllowAnonymousAccess` is registered.
 *
 * @example
 * ```ts
 * await portal.login(new Anonymous(), null, 'IFTPShell');
 * ```
 */
export class Anonymous implements Credentials {
  /** `IAnonymous` only: just the `AllowAnonymousAccess` checker accepts it. */
  readonly credentialInterfaces = [ICredentials.IAnonymous] as const;
}
