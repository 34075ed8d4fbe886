/**
 * `BodyConsumer`: what a request's `IBodyProducer` writes into. It frames the body (chunked when
 * the length is unknown, checked against the declared length otherwise) and passes producer
 * registration to the connection's transport, so the transport's flow control (pause above its
 * high-water mark, resume on drain) applies to uploads.
 *
 * @example
 * ```ts
 * const consumer = new BodyConsumer(transport, -1); // chunked
 * await producer.startProducing(consumer);
 * consumer.finish(); // writes the last chunk
 * ```
 * @module
 */
import type { IConsumer, IPullProducer, IPushProducer, ITransport } from '../../internet/interfaces.js';
import { CRLF_BUFFER, chunkHeader, LAST_CHUNK } from '../http/codec/serializer.js';
import { WrongBodyLength } from './errors.js';

/**
 * Frames a request body onto a transport; see the module doc.
 *
 * @example
 * ```ts
 * const consumer = new BodyConsumer(transport, 5); // Content-Length: 5
 * consumer.write('hello');
 * consumer.finish(); // throws WrongBodyLength if fewer bytes were written
 * ```
 */
export class BodyConsumer implements IConsumer {
  readonly #transport: ITransport;
  readonly #length: number;
  #written = 0;
  #finished = false;

  /** @param length the declared length, or -1 for a chunked body. */
  constructor(transport: ITransport, length: number) {
    this.#transport = transport;
    this.#length = length;
  }

  /**
   * Writes a piece of body. Throws `WrongBodyLength` past the declared length.
   *
   * @example
   * ```ts
   * consumer.write(Buffer.from('part'));
   * ```
   */
  write(data: Uint8Array | string): void {
    if (this.#finished) throw new Error('BodyConsumer.write() after the body ended');
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    const n = buf.byteLength;
    if (n === 0) return;
    this.#written += n;
    if (this.#length < 0) {
      this.#transport.writeSequence([chunkHeader(n), buf, CRLF_BUFFER]);
      return;
    }
    if (this.#written > this.#length) {
      throw new WrongBodyLength(`The body producer wrote more than the declared ${this.#length} bytes.`);
    }
    this.#transport.write(buf);
  }

  /**
   * Registers the producer with the transport.
   *
   * @example
   * ```ts
   * consumer.registerProducer(this, true);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.#transport.registerProducer(producer, streaming);
  }

  /**
   * Unregisters the producer from the transport.
   *
   * @example
   * ```ts
   * consumer.unregisterProducer();
   * ```
   */
  unregisterProducer(): void {
    this.#transport.unregisterProducer();
  }

  /**
   * Ends the body: the last chunk, or a check that the declared length was written.
   *
   * @example
   * ```ts
   * consumer.finish();
   * ```
   */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#length < 0) this.#transport.write(LAST_CHUNK);
    else if (this.#written !== this.#length) {
      throw new WrongBodyLength(
        `The body producer wrote ${this.#written} of the declared ${this.#length} bytes.`,
      );
    }
  }
}
