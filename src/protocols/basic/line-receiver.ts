/**
 * `LineReceiver`: a protocol that receives lines and/or raw data, Twisted's
 * `twisted.protocols.basic.LineReceiver`, over the sans-IO `LineCodec`.
 *
 * @example
 * ```ts
 * import { LineReceiver } from 'twisted-ts/protocols/basic';
 * class Shout extends LineReceiver {
 *   override lineReceived(line: Buffer) {
 *     this.sendLine(line.toString('utf8').toUpperCase());
 *   }
 * }
 * reactor.listenTCP(8000, Factory.forProtocol(Shout));
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import type { IPushProducer } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { LineCodec } from './codec/line-codec.js';

/**
 * Whether a `LineReceiver` splits lines or hands bytes over as they come.
 *
 * @example
 * ```ts
 * if (this.mode === 'raw') this.setLineMode();
 * ```
 */
export type LineReceiverMode = 'line' | 'raw';

/**
 * A transport that may report it is closing (stream transports do).
 *
 * @example
 * ```ts
 * if (isDisconnecting(this.transport)) return; // stop delivering after loseConnection()
 * ```
 */
export function isDisconnecting(transport: unknown): boolean {
  return (transport as { disconnecting?: unknown } | null)?.disconnecting === true;
}

/**
 * Receives lines (`lineReceived`) or, after `setRawMode()`, raw bytes (`rawDataReceived`).
 *
 * - `delimiter` (default `'\r\n'`) and `maxLength` (default 16384) may be overridden as class
 *   fields; changing them later applies from the next chunk received.
 * - A mode switch applies at once, even in the middle of a chunk: after `setRawMode()` inside
 *   `lineReceived` the rest of the chunk goes to `rawDataReceived`; `setLineMode(extra)` inside
 *   `rawDataReceived` re-feeds `extra` (the bytes after the switch point) as lines.
 * - Once the transport is disconnecting (e.g. `loseConnection()` from a handler) no more lines of
 *   the current chunk are delivered.
 * - A line longer than `maxLength` calls `lineLengthExceeded` (default: lose the connection); the
 *   rest of that line is skipped up to the next delimiter.
 * - `pauseProducing()` pauses the transport and stops delivery at once; bytes still arriving are
 *   kept and delivered in order by `resumeProducing()`.
 *
 * @example
 * ```ts
 * class Upload extends LineReceiver {
 *   override delimiter = '\n';
 *   #left = 0;
 *   override lineReceived(line: Buffer) {
 *     this.#left = Number(line.toString());
 *     this.setRawMode();
 *   }
 *   override rawDataReceived(data: Buffer) {
 *     const mine = data.subarray(0, this.#left);
 *     this.#left -= mine.length;
 *     if (this.#left === 0) this.setLineMode(data.subarray(mine.length));
 *   }
 * }
 * ```
 */
export class LineReceiver extends Protocol implements IPushProducer {
  /** The bytes ending a line (strings are UTF-8). */
  delimiter: Uint8Array | string = '\r\n';
  /** Longest line accepted, delimiter excluded. */
  maxLength = 16384;
  #codec: LineCodec | null = null;
  #codecDelimiter: Uint8Array | string | null = null;
  #mode: LineReceiverMode = 'line';
  #paused = false;
  #busy = false;

  /**
   * `'line'` or `'raw'` (Twisted's `line_mode`).
   *
   * @example
   * ```ts
   * if (proto.mode === 'raw') console.log('receiving a body');
   * ```
   */
  get mode(): LineReceiverMode {
    return this.#mode;
  }

  /**
   * True between `pauseProducing()` and `resumeProducing()`.
   *
   * @example
   * ```ts
   * proto.pauseProducing();
   * proto.paused; // true
   * ```
   */
  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Called with each line, delimiter removed. Override it.
   *
   * @example
   * ```ts
   * override lineReceived(line: Buffer) { console.log(line.toString('latin1')); }
   * ```
   */
  lineReceived(_line: Buffer): void {}

  /**
   * Called with bytes received in raw mode. Override it when using `setRawMode()`.
   *
   * @example
   * ```ts
   * override rawDataReceived(data: Buffer) { this.file.write(data); }
   * ```
   */
  rawDataReceived(_data: Buffer): void {}

  /**
   * Called with a line longer than `maxLength` (or what was buffered of it). Default: lose the
   * connection.
   *
   * @example
   * ```ts
   * override lineLengthExceeded() { this.sendLine('500 line too long'); }
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
   * this.sendLine('220 ready');
   * ```
   */
  sendLine(line: Uint8Array | string): void {
    this.transport?.writeSequence([line, this.delimiter]);
  }

  /**
   * Switches to raw mode: the rest of the current chunk and everything after go to
   * `rawDataReceived`.
   *
   * @example
   * ```ts
   * override lineReceived(line: Buffer) { if (line.toString() === 'DATA') this.setRawMode(); }
   * ```
   */
  setRawMode(): void {
    this.#mode = 'raw';
  }

  /**
   * Switches to line mode; `extra` (bytes received after the switch point) is parsed as lines
   * before anything received later.
   *
   * @example
   * ```ts
   * this.setLineMode(data.subarray(bodyEnd));
   * ```
   */
  setLineMode(extra?: Uint8Array): void {
    this.#mode = 'line';
    if (extra !== undefined && extra.length > 0) {
      this.#getCodec().unshift(extra);
      this.#deliver();
    }
  }

  /**
   * Removes and returns the bytes received and not yet delivered (the rest of the current chunk
   * when called from `lineReceived`).
   *
   * @example
   * ```ts
   * override lineReceived(line: Buffer) { this.pending = this.clearLineBuffer(); }
   * ```
   */
  clearLineBuffer(): Buffer {
    return this.#getCodec().takeBuffered();
  }

  /**
   * Feeds received bytes to the line splitter (or to `rawDataReceived` in raw mode).
   *
   * @example
   * ```ts
   * proto.dataReceived(Buffer.from('hello\r\n')); // lineReceived(<hello>)
   * ```
   */
  override dataReceived(data: Buffer): void {
    const codec = this.#getCodec();
    if (this.#mode === 'raw' && !this.#busy && !this.#paused && codec.bufferedLength === 0) {
      this.rawDataReceived(data);
      return;
    }
    codec.feed(data);
    this.#deliver();
  }

  /**
   * Stops delivering lines and pauses the transport (Twisted's `pauseProducing`).
   *
   * @example
   * ```ts
   * override lineReceived(line: Buffer) { this.pauseProducing(); this.slowWork(line).then(() => this.resumeProducing()); }
   * ```
   */
  pauseProducing(): void {
    this.#paused = true;
    (this.transport as Partial<IPushProducer> | null)?.pauseProducing?.();
  }

  /**
   * Delivers what was buffered while paused, then resumes the transport.
   *
   * @example
   * ```ts
   * proto.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    this.#paused = false;
    this.#deliver();
    if (!this.#paused) (this.transport as Partial<IPushProducer> | null)?.resumeProducing?.();
  }

  /**
   * Stops delivery for good, discards what is buffered and stops the transport.
   *
   * @example
   * ```ts
   * proto.stopProducing();
   * ```
   */
  stopProducing(): void {
    this.#paused = true;
    this.#getCodec().takeBuffered();
    (this.transport as Partial<IPushProducer> | null)?.stopProducing?.();
  }

  #getCodec(): LineCodec {
    const codec = this.#codec;
    if (codec !== null && this.#codecDelimiter === this.delimiter && codec.maxLength === this.maxLength) {
      return codec;
    }
    const next = new LineCodec({ delimiter: this.delimiter, maxLength: this.maxLength });
    if (codec !== null) next.feed(codec.takeBuffered());
    this.#codec = next;
    this.#codecDelimiter = this.delimiter;
    return next;
  }

  /** Delivers lines (or raw bytes) until paused, out of bytes or disconnecting. Not reentrant. */
  #deliver(): void {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (!this.#paused && !isDisconnecting(this.transport)) {
        const codec = this.#getCodec();
        if (this.#mode === 'raw') {
          if (codec.bufferedLength === 0) break;
          this.rawDataReceived(codec.takeBuffered());
          continue;
        }
        const ev = codec.next();
        if (ev === null) break;
        if (ev.type === 'line') this.lineReceived(ev.line);
        else this.lineLengthExceeded(ev.data);
      }
    } finally {
      this.#busy = false;
    }
  }
}
