/**
 * `HTTP11ClientProtocol`: one HTTP/1.1 connection seen from the client, as in Twisted's
 * `_newclient`. It sends one request at a time (`request()`), feeds the bytes it receives to the
 * sans-IO `HttpResponseParser`, fires the request's Deferred with a `Response` when the head
 * arrives and streams the body into it. When a response ends on a connection that may be reused
 * it calls `onReusable` (the pool takes it back); otherwise it closes the connection.
 *
 * Timeouts run on the clock it is given: `headersTimeout` (seconds from sending the request to
 * the response head: `ResponseHeadersTimeoutError`) and `bodyTimeout` (longest silence inside a
 * body: `BodyTimeoutError`). `abort(reason)` drops the connection and fails what is in flight.
 *
 * @example
 * ```ts
 * const proto = new HTTP11ClientProtocol({ clock: reactor });
 * await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', 8080), proto);
 * const response = await proto.request(new ClientRequest('GET', '/', 'http://127.0.0.1:8080/', headers));
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type {
  IAddress,
  IDelayedCall,
  IProtocol,
  IReactorTime,
  ITransport,
} from '../../internet/interfaces.js';
import { Headers } from '../headers.js';
import type { HttpLimits } from '../http/codec/limits.js';
import { serializeRequestHead } from '../http/codec/request-serializer.js';
import { type HttpResponseEvent, HttpResponseParser } from '../http/codec/response-parser.js';
import { BodyConsumer } from './body-consumer.js';
import {
  BodyTimeoutError,
  HTTPParseError,
  PotentialDataLoss,
  RequestAbortedError,
  RequestNotSent,
  RequestTransmissionFailed,
  ResponseDone,
  ResponseFailed,
  ResponseHeadersTimeoutError,
  ResponseNeverReceived,
} from './errors.js';
import type { IBodyProducer, IClientRequest } from './interfaces.js';
import { asResponseFailed, Response, type ResponseConnection } from './response.js';

/**
 * A request ready to send: method, origin-form target, absolute URI, headers (Host included).
 *
 * @example
 * ```ts
 * const req = new ClientRequest('POST', '/items', 'http://127.0.0.1:8080/items',
 *   new Headers({ Host: ['127.0.0.1:8080'], 'Content-Type': ['application/json'] }),
 *   new FileBodyProducer('{"name":"a"}'));
 * const response = await proto.request(req); // proto: a connected HTTP11ClientProtocol
 * ```
 */
export class ClientRequest implements IClientRequest {
  /**
   * @param persistent false adds `Connection: close` and closes after the response.
   * @param signal aborting it cancels the request, or drops the connection while the body streams.
   * @example
   * ```ts
   * new ClientRequest('GET', '/a?b', 'http://h/a?b', new Headers({ host: ['h'] }));
   * ```
   */
  constructor(
    /** The method, as sent. */
    readonly method: string,
    /** The request target: origin-form (`/path?q`), or absolute-form to a proxy. */
    readonly target: string,
    /** The URI requested (redirects and cookies resolve against it). */
    readonly absoluteURI: string,
    /** The header fields sent, `Host` included. */
    readonly headers: Headers,
    /** The body, or null. */
    readonly bodyProducer: IBodyProducer | null = null,
    readonly persistent = true,
    readonly signal: AbortSignal | null = null,
  ) {}
}

/**
 * Options of `HTTP11ClientProtocol`.
 *
 * @example
 * ```ts
 * const proto = new HTTP11ClientProtocol({
 *   clock: reactor,
 *   headersTimeout: 30,
 *   bodyTimeout: 60,
 *   limits: { maxHeaderSize: 16 * 1024 },
 * });
 * ```
 */
export interface HTTP11ClientProtocolOptions {
  /** The clock the timeouts run on. */
  clock: IReactorTime;
  /** Seconds to wait for the response head after the request; 0 disables. Default 0. */
  headersTimeout?: number;
  /** Longest silence in seconds while receiving a body; 0 disables. Default 0. */
  bodyTimeout?: number;
  /** Parser limits (header size, count, line length; the body is unbounded by default). */
  limits?: HttpLimits;
}

/**
 * Where the connection is.
 *
 * @example
 * ```ts
 * const proto = new HTTP11ClientProtocol({ clock: reactor });
 * const state: ClientProtocolState = proto.state; // 'quiescent': ready for a request
 * ```
 */
export type ClientProtocolState = 'quiescent' | 'transmitting' | 'waiting' | 'receiving' | 'closed';

/** One shared instance: a completed body is the common case and an Error's stack costs. */
const RESPONSE_DONE = new ResponseDone();
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The connection's protocol; see the module doc.
 *
 * @example
 * ```ts
 * const proto = new HTTP11ClientProtocol({ clock: reactor, headersTimeout: 30 });
 * await connectProtocol(new TCP4ClientEndpoint(reactor, '127.0.0.1', 8080), proto);
 * const headers = new Headers({ Host: ['127.0.0.1:8080'] });
 * const req = new ClientRequest('GET', '/', 'http://127.0.0.1:8080/', headers);
 * const body = await readBody(await proto.request(req));
 * ```
 */
export class HTTP11ClientProtocol implements IProtocol, ResponseConnection {
  /** The connection, once made. */
  transport: ITransport | null = null;
  /** Called when a response ended and the connection can carry another request. */
  onReusable: ((proto: HTTP11ClientProtocol) => void) | null = null;
  /** Called once when the connection is gone. */
  onClosed: ((proto: HTTP11ClientProtocol) => void) | null = null;
  readonly #clock: IReactorTime;
  readonly #headersTimeout: number;
  readonly #bodyTimeout: number;
  readonly #parser: HttpResponseParser;
  #state: ClientProtocolState = 'quiescent';
  #request: ClientRequest | null = null;
  #deferred: Deferred<Response> | null = null;
  #response: Response | null = null;
  #keepAlive = false;
  #sending = false;
  #received = false;
  #timer: IDelayedCall | null = null;
  #lastActivity = 0;
  #abortReason: Error | null = null;
  /** A body protocol paused reading; undone before the connection is reused. */
  #paused = false;
  #signal: AbortSignal | null = null;
  readonly #onAbortSignal = (): void => {
    this.#dropSignal();
    const d = this.#deferred;
    if (d !== null) d.cancel();
    else if (this.#response !== null) {
      this.abort(new RequestAbortedError('The AbortSignal aborted the response body.'));
    }
  };
  readonly #cancel = (): void => {
    // Deferred.cancel() errbacks with CancelledError once the connection is dropped.
    this.#deferred = null;
    this.abort(new RequestAbortedError('The request was cancelled.'));
  };
  readonly #onTimer = (): void => this.#timerFired();

  constructor(options: HTTP11ClientProtocolOptions) {
    this.#clock = options.clock;
    this.#headersTimeout = options.headersTimeout ?? 0;
    this.#bodyTimeout = options.bodyTimeout ?? 0;
    this.#parser = new HttpResponseParser(options.limits);
  }

  /**
   * The connection's state.
   *
   * @example
   * ```ts
   * if (proto.state === 'quiescent') proto.request(req);
   * ```
   */
  get state(): ClientProtocolState {
    return this.#state;
  }

  /** @example `transport.connect(proto)` — called by the transport. */
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.connectionMade();
  }

  /** @example `// the transport calls it` */
  connectionMade(): void {}

  /**
   * Sends `req`; fires with the `Response` once its head arrives. Cancelling the Deferred aborts
   * the connection. Errbacks with `RequestNotSent` unless the connection is quiescent.
   *
   * @example
   * ```ts
   * proto.request(req).addCallback((r) => readBody(r));
   * ```
   */
  request(req: ClientRequest): Deferred<Response> {
    const transport = this.transport;
    if (this.#state !== 'quiescent' || transport === null) {
      const d = new Deferred<Response>();
      d.errback(new RequestNotSent());
      return d;
    }
    const d = new Deferred<Response>(this.#cancel);
    this.#deferred = d;
    this.#request = req;
    this.#response = null;
    this.#received = false;
    this.#abortReason = null;
    this.#state = 'transmitting';
    if (req.signal !== null) {
      this.#signal = req.signal;
      req.signal.addEventListener('abort', this.#onAbortSignal);
    }
    const producer = req.bodyProducer;
    let flat = req.headers.toFlat();
    if (!req.persistent) flat = flat.concat('Connection', 'close');
    let length = -1;
    if (producer === null) {
      if (BODY_METHODS.has(req.method)) length = 0;
    } else if (producer.length !== 'UNKNOWN') length = producer.length;
    let head: Buffer;
    try {
      head = serializeRequestHead(req.method, req.target, flat, length, producer !== null && length < 0);
    } catch (err) {
      this.#state = 'quiescent';
      this.#deferred = null;
      this.#dropSignal();
      d.errback(err);
      return d;
    }
    this.#startTimer(this.#headersTimeout);
    const early = this.#parser.expectResponse(req.method);
    if (producer === null) {
      transport.write(head);
      this.#state = 'waiting';
    } else {
      transport.write(head);
      this.#sending = true;
      const consumer = new BodyConsumer(transport, length);
      producer.startProducing(consumer).addCallbacks(
        () => this.#bodySent(consumer),
        (err: Error) => this.#bodyFailed(err),
      );
    }
    if (early.length > 0) this.#handle(early);
    return d;
  }

  #bodySent(consumer: BodyConsumer): void {
    this.#sending = false;
    if (this.#state === 'closed') return;
    try {
      consumer.finish();
    } catch (err) {
      this.#bodyFailed(err as Error);
      return;
    }
    if (this.#state === 'transmitting') this.#state = 'waiting';
    else if (this.#state === 'quiescent') this.#reusable();
  }

  #bodyFailed(err: Error): void {
    this.#sending = false;
    if (this.#state === 'closed') return;
    const failure = new RequestTransmissionFailed([err]);
    const d = this.#deferred;
    if (d !== null && !d.called) {
      this.#deferred = null;
      d.errback(failure);
    }
    this.abort(failure);
  }

  /**
   * Drops the connection: whatever is in flight fails with `reason`.
   *
   * @example
   * ```ts
   * proto.abort(new RequestAbortedError());
   * ```
   */
  abort(reason: Error = new RequestAbortedError()): void {
    if (this.#abortReason === null) this.#abortReason = reason;
    this.transport?.abortConnection();
  }

  /** @example `// ResponseConnection: a body protocol stopped the response` */
  abortResponse(reason: Error): void {
    this.abort(reason);
  }

  /** @example `proto.pauseProducing()` — stops reading from the connection. */
  pauseProducing(): void {
    this.#paused = true;
    (this.transport as Partial<{ pauseProducing(): void }> | null)?.pauseProducing?.();
  }

  /** @example `proto.resumeProducing()` */
  resumeProducing(): void {
    this.#paused = false;
    (this.transport as Partial<{ resumeProducing(): void }> | null)?.resumeProducing?.();
  }

  /** @example `proto.getPeer()` */
  getPeer(): IAddress {
    return (this.transport as ITransport).getPeer();
  }

  /** @example `proto.getHost()` */
  getHost(): IAddress {
    return (this.transport as ITransport).getHost();
  }

  /** @example `// the transport calls it with each chunk` */
  dataReceived(data: Buffer): void {
    const state = this.#state;
    if (state === 'quiescent' || state === 'closed') {
      // Bytes nobody asked for: the connection is not trustworthy any more.
      if (state === 'quiescent') {
        this.#state = 'closed';
        this.transport?.abortConnection();
      }
      return;
    }
    this.#received = true;
    if (this.#timer !== null) this.#lastActivity = this.#clock.seconds();
    const events = this.#parser.receive(data);
    if (events.length > 0) this.#handle(events);
  }

  /** @example `// the transport calls it once` */
  connectionLost(reason: Error): void {
    const prev = this.#state;
    if (prev !== 'closed' && prev !== 'quiescent') {
      const events = this.#parser.receiveEof();
      if (events.length > 0) this.#handle(events);
    }
    this.#stopTimer();
    this.#dropSignal();
    const why = this.#abortReason ?? reason;
    const state = this.#state;
    this.#state = 'closed';
    const d = this.#deferred;
    this.#deferred = null;
    if (d !== null && !d.called) {
      if (why instanceof ResponseHeadersTimeoutError) d.errback(why);
      else if (this.#sending || state === 'transmitting') d.errback(new RequestTransmissionFailed([why]));
      else if (this.#received) d.errback(new ResponseFailed([why]));
      else d.errback(new ResponseNeverReceived([why]));
    }
    const r = this.#response;
    this.#response = null;
    if (r !== null && !r.bodyFinished) r.bodyEnded(asResponseFailed(why));
    this.onClosed?.(this);
  }

  #handle(events: HttpResponseEvent[]): void {
    for (let i = 0; i < events.length; i++) {
      const ev = events[i] as HttpResponseEvent;
      switch (ev.type) {
        case 'informational':
          break;
        case 'responseReceived': {
          const req = this.#request as ClientRequest;
          this.#keepAlive = ev.keepAlive && req.persistent;
          const response = new Response(
            ev.version,
            ev.code,
            ev.phrase,
            Headers.fromRaw(ev.rawHeaders),
            ev.contentLength >= 0 ? ev.contentLength : 'UNKNOWN',
            req,
            this,
          );
          this.#response = response;
          if (this.#state !== 'closed') this.#state = 'receiving';
          if (ev.framing === 'none') this.#stopTimer();
          else this.#startTimer(this.#bodyTimeout);
          const d = this.#deferred;
          this.#deferred = null;
          d?.callback(response);
          break;
        }
        case 'bodyData':
          this.#response?.bodyDataReceived(ev.data);
          break;
        case 'responseEnded':
          this.#responseEnded(ev.closeDelimited);
          break;
        case 'protocolError': {
          const err = new HTTPParseError(`Invalid HTTP response: ${ev.reason}`);
          this.abort(err);
          const d = this.#deferred;
          if (d !== null && !d.called) {
            this.#deferred = null;
            d.errback(new ResponseFailed([err]));
          }
          return;
        }
        case 'endOfStream':
          break;
      }
    }
  }

  #responseEnded(closeDelimited: boolean): void {
    this.#stopTimer();
    this.#dropSignal();
    const r = this.#response;
    this.#response = null;
    const reuse = this.#keepAlive && this.#state !== 'closed';
    if (this.#state !== 'closed') this.#state = 'quiescent';
    if (r !== null) r.bodyEnded(closeDelimited ? new PotentialDataLoss() : RESPONSE_DONE);
    if (this.#state !== 'quiescent') return;
    if (!reuse) {
      this.#state = 'closed';
      this.transport?.loseConnection();
    } else if (!this.#sending) this.#reusable();
  }

  #dropSignal(): void {
    const s = this.#signal;
    if (s === null) return;
    this.#signal = null;
    s.removeEventListener('abort', this.#onAbortSignal);
  }

  #reusable(): void {
    this.#request = null;
    if (this.#paused) this.resumeProducing();
    if (this.onReusable !== null) this.onReusable(this);
    else {
      this.#state = 'closed';
      this.transport?.loseConnection();
    }
  }

  #startTimer(seconds: number): void {
    if (seconds <= 0) {
      this.#stopTimer();
      return;
    }
    this.#lastActivity = this.#clock.seconds();
    if (this.#timer?.active()) this.#timer.reset(seconds);
    else this.#timer = this.#clock.callLater(seconds, this.#onTimer);
  }

  #stopTimer(): void {
    const t = this.#timer;
    this.#timer = null;
    if (t?.active()) t.cancel();
  }

  #timerFired(): void {
    this.#timer = null;
    if (this.#response === null) {
      if (this.#state === 'transmitting' || this.#state === 'waiting') {
        this.abort(new ResponseHeadersTimeoutError(`No response headers within ${this.#headersTimeout} s.`));
      }
      return;
    }
    const idle = this.#clock.seconds() - this.#lastActivity;
    if (idle < this.#bodyTimeout) {
      this.#timer = this.#clock.callLater(this.#bodyTimeout - idle, this.#onTimer);
      return;
    }
    this.abort(new BodyTimeoutError(`No body bytes for ${this.#bodyTimeout} s.`));
  }
}
