/**
 * Daytime (RFC 867) and Time (RFC 868): send the current date and close. Daytime sends it as
 * text (RFC 867 leaves the format open; like Twisted, the C `asctime` form of UTC), Time as a
 * 32-bit big-endian count of seconds since 1900-01-01 UTC. The date comes from an injectable
 * `now()` (default `Date.now`), so tests are deterministic.
 *
 * @example
 * ```ts
 * import { DaytimeFactory, TimeFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(13, new DaytimeFactory());
 * reactor.listenTCP(37, new TimeFactory());
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import type { IAddress } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';

/**
 * Milliseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * const fixed: NowFunction = () => Date.UTC(2026, 0, 1);
 * ```
 */
export type NowFunction = () => number;

/**
 * Seconds from 1900-01-01 to 1970-01-01 (RFC 868).
 *
 * @example
 * ```ts
 * const rfc868 = Math.floor(Date.now() / 1000) + SECONDS_1900_TO_1970;
 * ```
 */
export const SECONDS_1900_TO_1970 = 2_208_988_800;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The C `asctime` form of a UTC date: `'Thu Jan  1 00:00:00 1970'`.
 *
 * @example
 * ```ts
 * asctime(new Date(0)); // 'Thu Jan  1 00:00:00 1970'
 * ```
 */
export function asctime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()}`
  );
}

/**
 * Sends the date as text and CRLF, then closes.
 *
 * @example
 * ```ts
 * const p = new Daytime(() => 0); // 'Thu Jan  1 00:00:00 1970\r\n'
 * ```
 */
export class Daytime extends Protocol {
  readonly #now: NowFunction;

  constructor(now: NowFunction = Date.now) {
    super();
    this.#now = now;
  }

  override connectionMade(): void {
    this.transport?.write(`${asctime(new Date(this.#now()))}\r\n`);
    this.transport?.loseConnection();
  }
}

/**
 * Sends the RFC 868 time (4 bytes), then closes.
 *
 * @example
 * ```ts
 * const p = new Time(() => 0); // 83 aa 7e 80
 * ```
 */
export class Time extends Protocol {
  readonly #now: NowFunction;

  constructor(now: NowFunction = Date.now) {
    super();
    this.#now = now;
  }

  override connectionMade(): void {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((Math.floor(this.#now() / 1000) + SECONDS_1900_TO_1970) % 2 ** 32);
    this.transport?.write(out);
    this.transport?.loseConnection();
  }
}

/**
 * Options of the date factories.
 *
 * @example
 * ```ts
 * new DaytimeFactory({ now: () => clock.seconds() * 1000 });
 * ```
 */
export interface DateFactoryOptions {
  /** Milliseconds since the Unix epoch (default `Date.now`). */
  readonly now?: NowFunction;
}

/**
 * A factory of `Daytime` protocols.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new DaytimeFactory());
 * ```
 */
export class DaytimeFactory extends Factory {
  readonly #now: NowFunction;

  constructor(options: DateFactoryOptions = {}) {
    super();
    this.#now = options.now ?? Date.now;
  }

  override buildProtocol(_addr: IAddress): Daytime {
    const p = new Daytime(this.#now);
    p.factory = this;
    return p;
  }
}

/**
 * A factory of `Time` protocols.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new TimeFactory());
 * ```
 */
export class TimeFactory extends Factory {
  readonly #now: NowFunction;

  constructor(options: DateFactoryOptions = {}) {
    super();
    this.#now = options.now ?? Date.now;
  }

  override buildProtocol(_addr: IAddress): Time {
    const p = new Time(this.#now);
    p.factory = this;
    return p;
  }
}
