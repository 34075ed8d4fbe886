/**
 * `LineOnlyReceiver`: lines only (no raw mode, no pausing) — a leaner `LineReceiver`, Twisted's
 * `twisted.protocols.basic.LineOnlyReceiver`.
 *
 * @example
 * ```ts
 * import { LineOnlyReceiver } from 'twisted-ts/protocols/basic';
 * class Log extends LineOnlyReceiver {
 *   override lineReceived(line: Buffer) { console.log(line.toString('utf8')); }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { Protocol } from '../../internet/protocol.js';
import { LineCodec } from './codec/line-codec.js';
import { isDisconnecting } from './line-receiver.js';

/**
 * Receives lines. `delimiter` (default `'\r\n'`) and `maxLength` (default 16384) are read when
 * the first chunk arrives. A line longer than `maxLength` calls `lineLengthExceeded` (default:
 * lose the connection) and is skipped up to the next delimiter. Once the transport is
 * disconnecting (a handler closed it, or a line was too long) nothing more is delivered, from this
 * chunk or later ones.
 *
 * @example
 * ```ts
 * class Ping extends LineOnlyReceiver {
 *   override delimiter = '\n';
 *   override lineReceived(line: Buffer) { if (line.toString() === 'PING') this.sendLine('PONG'); }
 * }
 * ```
 */
export class LineOnlyReceiver extends Protocol {
  /** The bytes ending a line (strings are UTF-8). */
  delimiter: Uint8Array | string = '\r\n';
  /** Longest line accepted, delimiter excluded. */
  maxLength = 16384;
  #codec: LineCodec | null = null;

  /**
   * Called with each line, delimiter removed. Override it.
   *
   * @example
   * ```ts
   * override lineReceived(line: Buffer) { this.handle(line); }
   * ```
   */
  lineReceived(_line: Buffer): void {}

  /**
   * Called with a line longer than `maxLength`. Default: lose the connection.
   *
   * @example
   * ```ts
   * override lineLengthExceeded() { this.sendLine('ERR too long'); this.transport!.loseConnection(); }
   * ```
   */
  lineLengthExceeded(_line: Buffer): void {
    this.transport?.loseConnection();
  }

  /**
   * Writes `line` followed by the delimiter, in one write.
   *
   * @example
   * ```ts
   * this.sendLine('OK');
   * ```
   */
  sendLine(line: Uint8Array | string): void {
    this.transport?.writeSequence([line, this.delimiter]);
  }

  /**
   * Splits received bytes into lines.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from('a\r\nb\r\n')); // two lineReceived calls
   * ```
   */
  override dataReceived(data: Buffer): void {
    // Closing (e.g. after an over-long line): bytes still arriving are not ours to read.
    if (isDisconnecting(this.transport)) return;
    let codec = this.#codec;
    if (codec === null) {
      codec = new LineCodec({ delimiter: this.delimiter, maxLength: this.maxLength });
      this.#codec = codec;
    }
    codec.feed(data);
    for (let ev = codec.next(); ev !== null; ev = codec.next()) {
      if (ev.type === 'line') this.lineReceived(ev.line);
      else this.lineLengthExceeded(ev.data);
      if (isDisconnecting(this.transport)) {
        codec.takeBuffered();
        return;
      }
    }
  }
}
