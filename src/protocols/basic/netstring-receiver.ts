/**
 * `NetstringReceiver`: receives and sends netstrings (`<length>:<bytes>,`), Twisted's
 * `twisted.protocols.basic.NetstringReceiver`, over the sans-IO `NetstringCodec`.
 *
 * @example
 * ```ts
 * import { NetstringReceiver } from 'twisted-ts/protocols/basic';
 * class Echo extends NetstringReceiver {
 *   override stringReceived(data: Buffer) { this.sendString(data); }
 * }
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { Protocol } from '../../internet/protocol.js';
import { NetstringCodec, type NetstringParseErrorEvent } from './codec/netstring-codec.js';

/**
 * Receives netstrings (`stringReceived`) and sends them (`sendString`). `maxLength` (default 99999)
 * is read when the first chunk arrives. A malformed netstring, or one longer than `maxLength`,
 * sets `brokenPeer`, calls `parseError` and loses the connection; nothing after it is delivered.
 *
 * @example
 * ```ts
 * class Store extends NetstringReceiver {
 *   override maxLength = 1 << 20;
 *   override stringReceived(data: Buffer) { this.items.push(data); }
 * }
 * ```
 */
export class NetstringReceiver extends Protocol {
  /** Longest payload accepted. */
  maxLength = 99999;
  /** True once the peer sent something that is not a netstring. */
  brokenPeer = false;
  #codec: NetstringCodec | null = null;

  /**
   * Called with each payload. Override it.
   *
   * @example
   * ```ts
   * override stringReceived(data: Buffer) { console.log(data.toString()); }
   * ```
   */
  stringReceived(_data: Buffer): void {}

  /**
   * Called once when the peer breaks the format; the connection is lost right after. Override to
   * log it.
   *
   * @example
   * ```ts
   * override parseError(ev: NetstringParseErrorEvent) { log.warn(ev.message); }
   * ```
   */
  parseError(_event: NetstringParseErrorEvent): void {}

  /**
   * Sends `data` as a netstring.
   *
   * @example
   * ```ts
   * this.sendString('hello'); // writes 5:hello,
   * ```
   */
  sendString(data: Uint8Array | string): void {
    this.transport?.write(NetstringCodec.encode(data));
  }

  /**
   * Parses received bytes.
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from('3:abc,')); // stringReceived(<abc>)
   * ```
   */
  override dataReceived(data: Buffer): void {
    let codec = this.#codec;
    if (codec === null) {
      codec = new NetstringCodec({ maxLength: this.maxLength });
      this.#codec = codec;
    }
    for (const ev of codec.receive(data)) {
      switch (ev.type) {
        case 'string':
          this.stringReceived(ev.data);
          break;
        case 'parseError':
          this.brokenPeer = true;
          this.parseError(ev);
          this.transport?.loseConnection();
          break;
      }
    }
  }
}
