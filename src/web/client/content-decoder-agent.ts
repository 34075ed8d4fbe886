/**
 * `ContentDecoderAgent`: asks for compressed responses (`Accept-Encoding`) and decodes them as
 * the body streams (node:zlib): `gzip` (and `x-gzip`), `deflate` (zlib-wrapped or raw, as servers
 * send both) and `br`. A decoded response has length `'UNKNOWN'` and its `Content-Encoding` and
 * `Content-Length` headers removed; a response in another encoding passes through untouched. A
 * corrupt or truncated stream ends the body with `ResponseFailed` carrying zlib's error; a
 * close-delimited body is flushed and ends with `PotentialDataLoss`. Backpressure holds both ways:
 * when the decoder's buffer is full the connection is paused, and a body protocol that pauses its
 * transport stops the decoder's output and the connection until it resumes.
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
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITransport,
} from '../../internet/interfaces.js';
import { Headers } from '../headers.js';
import { toHeaders } from './agent.js';
import { PotentialDataLoss, ResponseDone, ResponseFailed } from './errors.js';
import type {
  BodyLength,
  HeadersInit,
  IAgent,
  IBodyProducer,
  IClientRequest,
  IResponse,
  RequestOptions,
} from './interfaces.js';

/**
 * The encodings `ContentDecoderAgent` can decode.
 *
 * @example
 * ```ts
 * const encodings: ContentEncoding[] = ['br', 'gzip'];
 * const agent = new ContentDecoderAgent(new Agent(reactor), encodings); // Accept-Encoding: br, gzip
 * ```
 */
export type ContentEncoding = 'gzip' | 'deflate' | 'br';

type Decoder = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

/** The decoder for `encoding`, given the first two body bytes (`deflate` may come without zlib header). */
function makeDecoder(encoding: ContentEncoding, first: number, second: number): Decoder {
  switch (encoding) {
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      // RFC 9110 says zlib format (RFC 1950), but some servers send raw deflate (RFC 1951).
      return (first & 0x0f) === 8 && ((first << 8) | second) % 31 === 0
        ? zlib.createInflate()
        : zlib.createInflateRaw();
    case 'br':
      return zlib.createBrotliDecompress();
  }
}

const RESPONSE_DONE = new ResponseDone();

/**
 * The transport the user's body protocol sees: pausing it pauses both the decoder's output and
 * the connection, and the decoder's own backpressure never resumes what the user paused.
 */
class DecodedBodyTransport implements ITransport, IPushProducer {
  readonly #owner: DecodingProtocol;
  readonly #outer: ITransport & IPushProducer;
  constructor(owner: DecodingProtocol, outer: ITransport & IPushProducer) {
    this.#owner = owner;
    this.#outer = outer;
  }
  pauseProducing(): void {
    this.#owner.userPause(true);
  }
  resumeProducing(): void {
    this.#owner.userPause(false);
  }
  stopProducing(): void {
    this.#outer.stopProducing();
  }
  loseConnection(): void {
    this.#outer.stopProducing();
  }
  abortConnection(): void {
    this.#outer.stopProducing();
  }
  write(data: Uint8Array | string): void {
    this.#outer.write(data);
  }
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#outer.writeSequence(data);
  }
  registerProducer(p: IPushProducer | IPullProducer, streaming: boolean): void {
    this.#outer.registerProducer(p, streaming);
  }
  unregisterProducer(): void {
    this.#outer.unregisterProducer();
  }
  getPeer(): IAddress {
    return this.#outer.getPeer();
  }
  getHost(): IAddress {
    return this.#outer.getHost();
  }
}

/** Passes body bytes through a zlib stream into the user's protocol. */
class DecodingProtocol {
  transport: (ITransport & IPushProducer) | null = null;
  readonly #inner: IProtocol;
  readonly #encoding: ContentEncoding;
  #decoder: Decoder | null = null;
  /** The inner protocol has been told the body ended. */
  #finished = false;
  /** How the body ended, once the decoder has been flushed. */
  #ending: Error = RESPONSE_DONE;
  #userPaused = false;
  #decoderFull = false;
  /** A one-byte start of a `deflate` body, held until the second byte tells zlib from raw. */
  #held: Buffer | null = null;

  constructor(inner: IProtocol, encoding: ContentEncoding) {
    this.#inner = inner;
    this.#encoding = encoding;
  }

  #start(first: Buffer): Decoder {
    const decoder = makeDecoder(this.#encoding, first[0] ?? 0, first[1] ?? 0);
    this.#decoder = decoder;
    decoder.on('data', (chunk: Buffer) => {
      if (!this.#finished) this.#inner.dataReceived(chunk);
    });
    decoder.on('drain', () => {
      this.#decoderFull = false;
      if (!this.#userPaused) this.transport?.resumeProducing();
    });
    decoder.on('error', (err: Error) => {
      this.transport?.stopProducing();
      this.#finish(new ResponseFailed([err]));
    });
    decoder.on('end', () => this.#finish(this.#ending));
    if (this.#userPaused) decoder.pause();
    return decoder;
  }

  #finish(reason: Error): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#inner.connectionLost(reason);
  }

  /** The user's protocol paused (true) or resumed (false) its transport. */
  userPause(paused: boolean): void {
    this.#userPaused = paused;
    if (paused) {
      this.#decoder?.pause();
      this.transport?.pauseProducing();
    } else {
      this.#decoder?.resume();
      if (!this.#decoderFull) this.transport?.resumeProducing();
    }
  }

  makeConnection(transport: ITransport): void {
    const outer = transport as ITransport & IPushProducer;
    this.transport = outer;
    this.#inner.makeConnection(new DecodedBodyTransport(this, outer));
  }
  connectionMade(): void {}
  dataReceived(data: Buffer): void {
    if (this.#finished || data.length === 0) return;
    let decoder = this.#decoder;
    if (decoder === null) {
      const start = this.#held === null ? data : Buffer.concat([this.#held, data]);
      this.#held = null;
      if (start.length < 2 && this.#encoding === 'deflate') {
        this.#held = start;
        return;
      }
      data = start;
      decoder = this.#start(start);
    }
    if (!decoder.write(data)) {
      this.#decoderFull = true;
      this.transport?.pauseProducing();
    }
  }
  connectionLost(reason: Error): void {
    if (this.#finished) return;
    if (this.#held !== null) this.#start(this.#held).write(this.#held); // a body of one byte
    const decoder = this.#decoder;
    if (decoder === null) {
      // An empty body (HEAD, 204) is not a truncated stream.
      this.#finish(reason);
    } else if (reason instanceof ResponseDone || reason instanceof PotentialDataLoss) {
      // Flush what the decoder holds, then end the body the way it ended.
      this.#ending = reason;
      decoder.end();
    } else {
      decoder.destroy();
      this.#finish(reason);
    }
  }
}

const ENCODINGS: Readonly<Record<string, ContentEncoding>> = {
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

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

/**
 * Decodes compressed responses; see the module doc.
 *
 * @example
 * ```ts
 * const agent = new ContentDecoderAgent(new Agent(reactor));
 * const response = await agent.request('GET', 'http://127.0.0.1:8080/data.json');
 * const data = JSON.parse((await readBody(response)).toString()); // decoded from gzip, deflate or br
 * ```
 */
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
      const encoding = value === undefined ? undefined : ENCODINGS[value];
      if (encoding === undefined || !this.#encodings.includes(encoding)) return r;
      return new DecodedResponse(r, encoding);
    });
  }
}
