/**
 * Quote of the Day (RFC 865): sends a quote and closes.
 *
 * @example
 * ```ts
 * import { QOTDFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(17, new QOTDFactory({ quote: 'An apple a day keeps the doctor away.' }));
 * ```
 * @module
 */
import type { IAddress } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';

/**
 * Twisted's default quote.
 *
 * @example
 * ```ts
 * new QOTDFactory({ quote: `${DEFAULT_QUOTE} (from twisted-ts)` });
 * ```
 */
export const DEFAULT_QUOTE = 'An apple a day keeps the doctor away.';

/**
 * Writes `getQuote()` followed by CRLF, then closes. Override `getQuote` for a changing quote.
 *
 * @example
 * ```ts
 * class Fortune extends QOTD { override getQuote() { return pick(fortunes); } }
 * ```
 */
export class QOTD extends Protocol {
  /** The quote sent (set by `QOTDFactory`). */
  quote: string = DEFAULT_QUOTE;

  /**
   * The quote to send.
   *
   * @example
   * ```ts
   * qotd.getQuote(); // 'An apple a day keeps the doctor away.'
   * ```
   */
  getQuote(): string {
    return this.quote;
  }

  override connectionMade(): void {
    this.transport?.write(`${this.getQuote()}\r\n`);
    this.transport?.loseConnection();
  }
}

/**
 * Options of `QOTDFactory`.
 *
 * @example
 * ```ts
 * new QOTDFactory({ quote: 'Simple is better than complex.' });
 * ```
 */
export interface QOTDOptions {
  /** The quote (default Twisted's). */
  readonly quote?: string;
}

/**
 * A factory of `QOTD` protocols sending `quote`.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new QOTDFactory({ quote: 'Hello' }));
 * ```
 */
export class QOTDFactory extends Factory {
  /** The quote each connection gets. */
  quote: string;

  constructor(options: QOTDOptions = {}) {
    super();
    this.quote = options.quote ?? DEFAULT_QUOTE;
  }

  override buildProtocol(_addr: IAddress): QOTD {
    const p = new QOTD();
    p.quote = this.quote;
    p.factory = this;
    return p;
  }
}
