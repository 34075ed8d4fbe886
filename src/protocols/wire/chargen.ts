/**
 * Character Generator (RFC 864): sends lines of rotating printable ASCII for as long as the peer
 * reads, as a pull producer (one batch of lines each time the transport asks), so a slow reader
 * slows it down instead of filling memory.
 *
 * @example
 * ```ts
 * import { ChargenFactory } from 'twisted-ts/protocols/wire';
 * reactor.listenTCP(19, new ChargenFactory());
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import type { IProtocol, IPullProducer } from '../../internet/interfaces.js';
import { Factory, Protocol, type ProtocolClass } from '../../internet/protocol.js';

const PRINTABLE = Buffer.from(Array.from({ length: 95 }, (_, i) => 32 + i));
const LINE = 72;

/**
 * Line `n` of the RFC 864 pattern (72 characters starting at printable character `n mod 95`,
 * then CRLF).
 *
 * @example
 * ```ts
 * chargenLine(0).toString(); // ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n'
 * ```
 */
export function chargenLine(n: number): Buffer {
  const out = Buffer.allocUnsafe(LINE + 2);
  const start = n % PRINTABLE.length;
  for (let i = 0; i < LINE; i++) out[i] = PRINTABLE[(start + i) % PRINTABLE.length] as number;
  out[LINE] = 0x0d;
  out[LINE + 1] = 0x0a;
  return out;
}

/** The 95 distinct lines, precomputed: the pattern repeats every 95 lines. */
const LINES = Array.from({ length: PRINTABLE.length }, (_, i) => chargenLine(i));

/**
 * Registers itself as a pull producer and writes `linesPerWrite` lines each time it is asked.
 * Input is discarded.
 *
 * @example
 * ```ts
 * reactor.listenTCP(19, Factory.forProtocol(Chargen));
 * ```
 */
export class Chargen extends Protocol implements IPullProducer {
  /** Lines written per `resumeProducing()` (default 95: one whole cycle). */
  linesPerWrite = 95;
  #next = 0;

  override connectionMade(): void {
    this.transport?.registerProducer(this, false);
  }

  /**
   * Writes the next batch of lines.
   *
   * @example
   * ```ts
   * chargen.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    const batch: Buffer[] = [];
    for (let i = 0; i < this.linesPerWrite; i++) {
      batch.push(LINES[this.#next] as Buffer);
      this.#next = (this.#next + 1) % LINES.length;
    }
    this.transport?.writeSequence(batch);
  }

  /**
   * Nothing to release.
   *
   * @example
   * ```ts
   * chargen.stopProducing();
   * ```
   */
  stopProducing(): void {}
}

/**
 * A factory of `Chargen` protocols.
 *
 * @example
 * ```ts
 * reactor.listenTCP(0, new ChargenFactory());
 * ```
 */
export class ChargenFactory extends Factory {
  override protocol: ProtocolClass<IProtocol, []> = Chargen;
}
