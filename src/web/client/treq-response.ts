/**
 * `TreqResponse`: an `IResponse` with treq's conveniences: `content()` (the body as a Buffer,
 * read once and cached), `text(encoding?)`, `json()`; and `collect(response, fn)` to stream the
 * body chunk by chunk. A close-delimited body counts as complete here (treq's behaviour).
 *
 * @example
 * ```ts
 * const r = await treq.get('http://127.0.0.1:8080/api');
 * const data = await r.json();
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type { IProtocol, IPushProducer, ITransport } from '../../internet/interfaces.js';
import type { Headers } from '../headers.js';
import { PotentialDataLoss, ResponseDone } from './errors.js';
import type { BodyLength, IClientRequest, IResponse } from './interfaces.js';
import { collectBody } from './read-body.js';

/**
 * A response with body helpers; see the module doc.
 *
 * @example
 * ```ts
 * const r = new TreqResponse(await agent.request('GET', url));
 * if (r.code === 200) console.log(await r.json());
 * else console.log(r.code, await r.text());
 * ```
 */
export class TreqResponse implements IResponse {
  readonly #original: IResponse;
  #content: Deferred<Buffer> | null = null;

  constructor(original: IResponse) {
    this.#original = original;
  }

  get version(): readonly [string, number, number] {
    return this.#original.version;
  }
  /** The status code. */
  get code(): number {
    return this.#original.code;
  }
  /** The reason phrase. */
  get phrase(): string {
    return this.#original.phrase;
  }
  /** The response header fields. */
  get headers(): Headers {
    return this.#original.headers;
  }
  get length(): BodyLength {
    return this.#original.length;
  }
  /** The request this answers (after redirects: the last one). */
  get request(): IClientRequest {
    return this.#original.request;
  }
  get previousResponse(): IResponse | null {
    return this.#original.previousResponse;
  }
  set previousResponse(r: IResponse | null) {
    this.#original.previousResponse = r;
  }

  /**
   * Streams the body into `protocol` (use `content()` or `collect` instead in most code).
   *
   * @example
   * ```ts
   * r.deliverBody(new MyProtocol());
   * ```
   */
  deliverBody(protocol: IProtocol): void {
    this.#original.deliverBody(protocol);
  }

  /**
   * The whole body; the same Deferred's result on every call.
   *
   * @example
   * ```ts
   * const buf = await r.content();
   * ```
   */
  content(): Deferred<Buffer> {
    if (this.#content === null) this.#content = collectBody(this.#original, true);
    const d = new Deferred<Buffer>();
    this.#content.addCallbacks(
      (b: Buffer) => {
        d.callback(b);
        return b;
      },
      (e: Error) => {
        d.errback(e);
        throw e;
      },
    );
    return d;
  }

  /**
   * The body decoded as text (default UTF-8).
   *
   * @example
   * ```ts
   * console.log(await r.text());
   * ```
   */
  text(encoding: BufferEncoding = 'utf-8'): Deferred<string> {
    return this.content().addCallback((b: Buffer) => b.toString(encoding));
  }

  /**
   * The body parsed as JSON.
   *
   * @example
   * ```ts
   * const { items } = (await r.json()) as { items: string[] };
   * ```
   */
  json(): Deferred<unknown> {
    return this.content().addCallback((b: Buffer) => JSON.parse(b.toString('utf-8')) as unknown);
  }
}

/** Calls `fn` per chunk; ends the Deferred when the body does. */
class Collector {
  transport: ITransport | null = null;
  readonly #fn: (chunk: Buffer) => void;
  readonly #d: Deferred<void>;
  constructor(fn: (chunk: Buffer) => void, d: Deferred<void>) {
    this.#fn = fn;
    this.#d = d;
  }
  makeConnection(t: ITransport): void {
    this.transport = t;
  }
  connectionMade(): void {}
  dataReceived(data: Buffer): void {
    if (this.#d.called) return;
    try {
      this.#fn(data);
    } catch (err) {
      this.#d.errback(err);
      (this.transport as unknown as IPushProducer | null)?.stopProducing();
    }
  }
  connectionLost(reason: Error): void {
    if (this.#d.called) return;
    if (reason instanceof ResponseDone || reason instanceof PotentialDataLoss) this.#d.callback(undefined);
    else this.#d.errback(reason);
  }
}

/**
 * Streams the body of `response` into `fn`, chunk by chunk; fires when the body has ended.
 * Cancelling (or `fn` throwing) stops the body.
 *
 * @example
 * ```ts
 * let bytes = 0;
 * await collect(r, (chunk) => { bytes += chunk.length; });
 * ```
 */
export function collect(response: IResponse, fn: (chunk: Buffer) => void): Deferred<void> {
  let c: Collector | null = null;
  const d = new Deferred<void>(() => (c?.transport as unknown as IPushProducer | null)?.stopProducing());
  c = new Collector(fn, d);
  response.deliverBody(c);
  return d;
}
