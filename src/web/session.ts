/**
 * `Session`: server-side state tied to a client by a cookie, Twisted's `server.Session`. The site
 * creates it (`Request.getSession()`), each use `touch()`es it, and it expires after
 * `sessionTimeout` seconds without use (900 by default), timed by the site's clock.
 *
 * @example
 * ```ts
 * const session = request.getSession();
 * const cart = (session.data.cart ??= []) as string[];
 * session.notifyOnExpire(() => log.info('session {uid} expired', { uid: session.uid }));
 * ```
 * @module
 */
import type { IDelayedCall, IReactorTime } from '../internet/interfaces.js';

/**
 * What a session needs from its site.
 *
 * @example
 * ```ts
 * const clock = new Clock();
 * const owner: SessionOwner = { clock, sessionExpired: (s) => console.log(`${s.uid} expired`) };
 * const session = new Session(owner, 'test-uid');
 * session.startCheckingExpiration();
 * clock.advance(900); // logs 'test-uid expired'
 * ```
 */
export interface SessionOwner {
  /** The clock that times sessions out. */
  readonly clock: IReactorTime;
  /** Forgets the session (called when it expires). */
  sessionExpired(session: Session): void;
}

/**
 * A client's session; see the module doc.
 *
 * @example
 * ```ts
 * const session = request.getSession();
 * session.data.user ??= 'alice';
 * session.notifyOnExpire(() => console.log(`session ${session.uid} expired`));
 * ```
 */
export class Session {
  /** Seconds without use before the session expires (Twisted's default: 900). */
  sessionTimeout = 900;
  /** The random identifier sent in the cookie. */
  readonly uid: string;
  /** Application state kept for the client. */
  readonly data: Record<string, unknown> = {};
  /** When the session was last used (the site clock's seconds). */
  lastModified: number;
  readonly #owner: SessionOwner;
  #expireCall: IDelayedCall | null = null;
  #onExpire: (() => void)[] = [];
  #expired = false;

  constructor(owner: SessionOwner, uid: string) {
    this.#owner = owner;
    this.uid = uid;
    this.lastModified = owner.clock.seconds();
  }

  /**
   * Starts the expiry timer (the site calls it once after creating the session).
   *
   * @example
   * ```ts
   * session.startCheckingExpiration();
   * ```
   */
  startCheckingExpiration(): void {
    this.#expireCall?.cancel();
    this.#expireCall = this.#owner.clock.callLater(this.sessionTimeout, () => this.#check());
  }

  #check(): void {
    this.#expireCall = null;
    const idle = this.#owner.clock.seconds() - this.lastModified;
    if (idle >= this.sessionTimeout) this.expire();
    else this.#expireCall = this.#owner.clock.callLater(this.sessionTimeout - idle, () => this.#check());
  }

  /**
   * Marks the session as used now (postpones expiry).
   *
   * @example
   * ```ts
   * session.touch();
   * ```
   */
  touch(): void {
    this.lastModified = this.#owner.clock.seconds();
  }

  /**
   * Registers `callback` to run when the session expires.
   *
   * @example
   * ```ts
   * session.notifyOnExpire(() => db.release(session.uid));
   * ```
   */
  notifyOnExpire(callback: () => void): void {
    this.#onExpire.push(callback);
  }

  /**
   * Expires the session now: the site forgets it and the expiry callbacks run.
   *
   * @example
   * ```ts
   * session.expire(); // logout
   * ```
   */
  expire(): void {
    if (this.#expired) return;
    this.#expired = true;
    this.#expireCall?.cancel();
    this.#expireCall = null;
    this.#owner.sessionExpired(this);
    const callbacks = this.#onExpire;
    this.#onExpire = [];
    for (const cb of callbacks) cb();
  }
}
