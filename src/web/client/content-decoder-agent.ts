/**
 * `ContentDecoderAgent`: asks for compressed responses (`Accept-Encoding`) and decodes them as
 * the body streams (node:zlib): `gzip`, `deflate` and `br`. A decoded response has length
 * `'UNKNOWN'` and its `Content-Encoding` header removed; a response in another encoding passes
 * through untouched. A corrupt stream ends the body with `ResponseFailed` carrying zlib's error.
 * Backpressure holds: when the decoder's buffer is full the connection is paused.
 *
 * @example
 * ```ts
 * const agent = new ContentDecoderAgent(new Agent(reactor));
 * const body = await readBody(await agent.request('GET', 'http://127.0.0.1:8080/big.json'));
 * ```
 * @module
 */
import * as zlib from 'node:zlib';
import type { Deferred } from '../../internet/defer.js';
import type { IProtocol, IPushProducer, ITransport } from '../../internet/interfaces.js';
import { Headers } from '../headers.js';
import { toHeaders } from './agent.js';
import { ResponseDone, ResponseFailed } from './errors.js';
import type {
  BodyLength,
  HeadersInit,
  IAgent,
  IBodyProducer,
  IClientRequest,
  IResponse,
  RequestOptions,
} from './interfaces.js';

/** The encodings `ContentDecoderAgent` can decode. */
export type ContentEncoding = 'gzip' | 'deflate' | 'br';

type Decoder = zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;

function makeDecoder(encoding: ContentEncoding): Decoder {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
  }
}

/** Passes body bytes through a zlib stream into the user's protocol. */
class DecodingProtocol {
  transport: ITransport | null = null;
  readonly #inner: IProtocol;
  readonly #decoder: Decoder;
  #failed = false;
  #wrote = false;
  constructor(inner: IProtocol, encoding: ContentEncoding) {
    this.#inner = inner;
    this.#decoder = makeDecoder(encoding);
    this.#decoder.on('data', (chunk: Buffer) => {
      if (!this.#failed) this.#inner.dataReceived(chunk);
    });
    this.#decoder.on('drain', () => (this.transport as unknown as IPushProducer | null)?.resumeProducing());
    this.#decoder.on('error', (err: Error) => {
      if (this.#failed) return;
      this.#failed = true;
      (this.transport as unknown as IPushProducer | null)?.stopProducing();
      this.#inner.connectionLost(new ResponseFailed([err]));
    });
    this.#decoder.on('end', () => {
      if (!this.#failed) this.#inner.connectionLost(new ResponseDone());
    });
  }
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.#inner.makeConnection(transport);
  }
  connectionMade(): void {}
  dataReceived(data: Buffer): void {
    this.#wrote = true;
    if (!this.#decoder.write(data)) (this.transport as unknown as IPushProducer | null)?.pauseProducing();
  }
  connectionLost(reason: Error): void {
    if (this.#failed) return;
    if (reason instanceof ResponseDone && !this.#wrote) {
      // An empty body (HEAD, 204) is not a truncated stream.
      this.#failed = true;
      this.#decoder.destroy();
      this.#inner.connectionLost(reason);
    } else if (reason instanceof ResponseDone) this.#decoder.end();
    else {
      this.#failed = true;
      this.#decoder.destroy();
      this.#inner.connectionLost(reason);
    }
  }
}

/** A response whose body is decoded on the way; see the module doc. */
class DecodedResponse implements IResponse {
  readonly version: readonly [string, number, number];
  readonly code: number;
  readonly phrase: string;
  readonly headers: Headers;
  readonly length: BodyLength = 'UNKNOWN';
  readonly request: IClientRequest;
  previousResponse: IResponse | null;
  readonly #original: IResponse;
  readonly #encoding: ContentEncoding;
  constructor(original: IResponse, encoding: ContentEncoding) {
    this.#original = original;
    this.#encoding = encoding;
    this.version = original.version;
    this.code = original.code;
    this.phrase = original.phrase;
    this.request = original.request;
    this.previousResponse = original.previousResponse;
    const flat = original.headers.toFlat(new Set(['content-encoding', 'content-length']));
    this.headers = Headers.fromRaw(flat);
  }
  deliverBody(protocol: IProtocol): void {
    this.#original.deliverBody(new DecodingProtocol(protocol, this.#encoding));
  }
}

/** Decodes compressed responses; see the module doc. */
export class ContentDecoderAgent implements IAgent {
  readonly #agent: IAgent;
  readonly #encodings: readonly ContentEncoding[];

  /** @param encodings the encodings to ask for and decode, preferred first (default all three). */
  constructor(agent: IAgent, encodings: readonly ContentEncoding[] = ['gzip', 'deflate', 'br']) {
    this.#agent = agent;
    this.#encodings = encodings;
  }

  /**
   * Sends the request with `Accept-Encoding`; fires with a decoding response.
   *
   * @example
   * ```ts
   * new ContentDecoderAgent(agent, ['gzip']).request('GET', url);
   * ```
   */
  request(
    method: string,
    uri: string,
    headers?: HeadersInit | null,
    bodyProducer?: IBodyProducer | null,
    options?: RequestOptions,
  ): Deferred<IResponse> {
    const h = toHeaders(headers);
    h.setRawHeaders('Accept-Encoding', [this.#encodings.join(', ')]);
    return this.#agent.request(method, uri, h, bodyProducer, options).addCallback((r: IResponse) => {
      const value = r.headers.getHeader('content-encoding')?.trim().toLowerCase();
      if (value === undefined || !(this.#encodings as readonly string[]).includes(value)) return r;
      return new DecodedResponse(r, value as ContentEncoding);
    });
  }
}
