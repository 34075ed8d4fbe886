/**
 * `Response`: an HTTP response whose head has arrived. The body is held (and the connection
 * paused past 64 KiB) until `deliverBody(protocol)` is called, then streamed into the protocol;
 * the protocol's transport (a `BodyTransport`) pauses, resumes or stops the connection, so a slow
 * consumer slows the server down.
 *
 * @example
 * ```ts
 * const response = await agent.request('GET', 'http://127.0.0.1:8080/');
 * console.log(response.code, response.headers.getHeader('content-type'));
 * response.deliverBody(new MyBodyProtocol());
 * ```
 * @module
 */
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  ITransport,
} from '../../internet/interfaces.js';
import type { Headers } from '../headers.js';
import { RequestAbortedError, ResponseFailed } from './errors.js';
import type { BodyLength, IClientRequest, IResponse } from './interfaces.js';

/**
 * What the connection offers the response: flow control and abort.
 *
 * @example
 * ```ts
 * const conn: ResponseConnection = {
 *   pauseProducing() {},
 *   resumeProducing() {},
 *   abortResponse: (reason: Error) => console.error(reason),
 *   getPeer: () => ipAddress('TCP', '127.0.0.1', 8080),
 *   getHost: () => ipAddress('TCP', '127.0.0.1', 50000),
 * };
 * const sent = { method: 'GET', absoluteURI: url, headers: new Headers() };
 * const r = new Response('1.1', 200, 'OK', new Headers(), 'UNKNOWN', sent, conn); // in a test
 * ```
 */
export interface ResponseConnection {
  /** Stops reading from the connection. */
  pauseProducing(): void;
  /** Reads again. */
  resumeProducing(): void;
  /** Drops the connection; the body protocol gets `ResponseFailed` carrying `reason`. */
  abortResponse(reason: Error): void;
  /** The server's address. */
  getPeer(): IAddress;
  /** Our address. */
  getHost(): IAddress;
}

const HIGH_WATER = 64 * 1024;
const V10: readonly [string, number, number] = Object.freeze(['HTTP', 1, 0] as const);
const V11: readonly [string, number, number] = Object.freeze(['HTTP', 1, 1] as const);

/**
 * The transport a body protocol sees: a push producer over the connection. `write` is refused
 * (a response body is read-only); `loseConnection`/`stopProducing` abort the response. Once the
 * body has ended the connection may carry another request, so these calls do nothing any more.
 *
 * @example
 * ```ts
 * class Slow extends Protocol {
 *   override dataReceived(d: Buffer) { this.transport!.pauseProducing(); later(() => this.transport!.resumeProducing()); }
 * }
 * ```
 */
export class BodyTransport implements ITransport, IPushProducer {
  readonly #conn: ResponseConnection;
  readonly #response: { readonly bodyFinished: boolean };
  constructor(conn: ResponseConnection, response: { readonly bodyFinished: boolean }) {
    this.#conn = conn;
    this.#response = response;
  }
  /** Stops reading from the connection. @example `t.pauseProducing()` */
  pauseProducing(): void {
    if (!this.#response.bodyFinished) this.#conn.pauseProducing();
  }
  /** Reads again. @example `t.resumeProducing()` */
  resumeProducing(): void {
    if (!this.#response.bodyFinished) this.#conn.resumeProducing();
  }
  /** Abandons the body: the connection is dropped. @example `t.stopProducing()` */
  stopProducing(): void {
    if (this.#response.bodyFinished) return;
    this.#conn.abortResponse(new RequestAbortedError('The body protocol stopped the response.'));
  }
  /** Same as `stopProducing`. @example `t.loseConnection()` */
  loseConnection(): void {
    this.stopProducing();
  }
  /** Same as `stopProducing`. @example `t.abortConnection()` */
  abortConnection(): void {
    this.stopProducing();
  }
  /** Refused: a response body cannot be written to. @example `// never` */
  write(_data: Uint8Array | string): void {
    throw new Error('A response body transport is read-only.');
  }
  /** Refused, as `write`. @example `// never` */
  writeSequence(_data: readonly (Uint8Array | string)[]): void {
    throw new Error('A response body transport is read-only.');
  }
  /** Refused, as `write`. @example `// never` */
  registerProducer(_p: IPushProducer | IPullProducer, _streaming: boolean): void {
    throw new Error('A response body transport takes no producer.');
  }
  /** Refused, as `write`. @example `// never` */
  unregisterProducer(): void {
    throw new Error('A response body transport takes no producer.');
  }
  /** The server's address. @example `t.getPeer()` */
  getPeer(): IAddress {
    return this.#conn.getPeer();
  }
  /** Our address. @example `t.getHost()` */
  getHost(): IAddress {
    return this.#conn.getHost();
  }
}

/**
 * A response; see the module doc. Built by `HTTP11ClientProtocol`.
 *
 * @example
 * ```ts
 * const body = await readBody(await agent.request('GET', url));
 * ```
 */
export class Response implements IResponse {
  readonly version: readonly [string, number, number];
  /** The status code. */
  readonly code: number;
  /** The reason phrase. */
  readonly phrase: string;
  /** The response header fields. */
  readonly headers: Headers;
  readonly length: BodyLength;
  /** The request this answers. */
  readonly request: IClientRequest;
  previousResponse: IResponse | null = null;
  readonly #conn: ResponseConnection;
  #protocol: IProtocol | null = null;
  #held: Buffer[] | null = null;
  #heldBytes = 0;
  #pausedForHold = false;
  #end: Error | null = null;

  constructor(
    version: '1.0' | '1.1',
    code: number,
    phrase: string,
    headers: Headers,
    length: BodyLength,
    request: IClientRequest,
    conn: ResponseConnection,
  ) {
    this.version = version === '1.1' ? V11 : V10;
    this.code = code;
    this.phrase = phrase;
    this.headers = headers;
    this.length = length;
    this.request = request;
    this.#conn = conn;
  }

  /**
   * Streams the body into `protocol` (see `IResponse.deliverBody`). Throws if called twice.
   *
   * @example
   * ```ts
   * response.deliverBody(new AccumulatingProtocol());
   * ```
   */
  deliverBody(protocol: IProtocol): void {
    if (this.#protocol !== null) throw new Error('Response.deliverBody() called twice');
    this.#protocol = protocol;
    protocol.makeConnection(new BodyTransport(this.#conn, this));
    const held = this.#held;
    this.#held = null;
    if (held !== null) for (const chunk of held) protocol.dataReceived(chunk);
    if (this.#pausedForHold) {
      this.#pausedForHold = false;
      this.#conn.resumeProducing();
    }
    if (this.#end !== null) protocol.connectionLost(this.#end);
  }

  /** Internal: a piece of body arrived (called by the protocol). */
  bodyDataReceived(data: Buffer): void {
    const p = this.#protocol;
    if (p !== null) {
      p.dataReceived(data);
      return;
    }
    // Held until deliverBody; the view may alias the receive buffer, so keep a copy.
    const copy = Buffer.from(data);
    if (this.#held === null) this.#held = [copy];
    else this.#held.push(copy);
    this.#heldBytes += copy.length;
    if (this.#heldBytes > HIGH_WATER && !this.#pausedForHold) {
      this.#pausedForHold = true;
      this.#conn.pauseProducing();
    }
  }

  /** Internal: the body ended with `reason` (`ResponseDone`, `PotentialDataLoss`, `ResponseFailed`). */
  bodyEnded(reason: Error): void {
    if (this.#end !== null) return;
    this.#end = reason;
    if (this.#pausedForHold) {
      // All of it is held: nothing more to hold back, and the connection may be reused.
      this.#pausedForHold = false;
      this.#conn.resumeProducing();
    }
    if (this.#protocol !== null) this.#protocol.connectionLost(reason);
  }

  /** True once the body has ended (any way). */
  get bodyFinished(): boolean {
    return this.#end !== null;
  }
}

/**
 * A `ResponseFailed` for `reason`, unless it already is one.
 *
 * @example
 * ```ts
 * asResponseFailed(new Error('reset')).reasons[0]?.message; // 'reset'
 * const failed = new ResponseFailed([new Error('reset')]);
 * asResponseFailed(failed) === failed; // true: already one
 * ```
 */
export function asResponseFailed(reason: Error): ResponseFailed {
  return reason instanceof ResponseFailed ? reason : new ResponseFailed([reason]);
}
