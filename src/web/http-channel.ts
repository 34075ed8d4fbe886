/**
 * `HTTPChannel`: the HTTP/1.1 server protocol — the adapter between a transport and the sans-IO
 * `HttpRequestParser`, Twisted's `http.HTTPChannel`. It feeds bytes to the codec, turns its events
 * into `Request`s, answers peer errors with the codec's status (and closes), sends `100 Continue`,
 * serves pipelined requests strictly one after the other (the codec holds the next one until the
 * response is finished; reading is paused meanwhile), and owns the time limits:
 *
 * - idle (`site.timeout`): a keep-alive connection without a request is closed;
 * - header (`site.headerTimeout`): a request head must be complete within this from its first
 *   byte, else 408 and close — a slowloris client (a header byte per second) is cut off here;
 * - request (`site.requestTimeout`): the body must be complete within this, else 408 and close.
 *
 * No timer per connection: the site's `TimeoutSweeper` checks every connection's deadline once a
 * second, and the deadline moves with the state, so a busy keep-alive connection costs no timer
 * operation per request (deadlines may be up to a second late).
 *
 * Small idle connections: between requests a keep-alive connection hands its parser (and its
 * receive buffer) back to a pool shared by the connections with the same limits, and takes one
 * again when the next request starts; only connections in the middle of a request hold one.
 * Reading pauses while a pipelined request waits for its turn, and while a request body spooled
 * to disk (`Site`'s `spoolThreshold`) is written more slowly than it arrives.
 *
 * @example
 * ```ts
 * const site = new Site(root, { clock });
 * const channel = site.buildProtocol(addr);
 * channel.makeConnection(new StringTransport());
 * channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
 * ```
 * @module
 */
import type { IHalfCloseableProtocol } from '../internet/interfaces.js';
import { Protocol } from '../internet/protocol.js';
import type { HttpRequestEvent } from './http/codec/events.js';
import type { ResolvedHttpLimits } from './http/codec/limits.js';
import { HttpRequestParser } from './http/codec/request-parser.js';
import { CONTINUE_RESPONSE } from './http/codec/serializer.js';
import { statusLine } from './http/codec/status.js';
import type { HTTPRequest } from './http-request.js';
import { Request } from './request.js';
import type { Site } from './site.js';

type Phase = 'idle' | 'head' | 'body' | 'responding' | 'closed';

/** `#deadline` when there is none. Deadlines are whole seconds: a small integer needs no heap box. */
const NO_DEADLINE = -1;

/** Why reading is paused (bits of `#pausedFor`). */
const PIPELINED = 1;
const SPOOLING = 2;

/** Parsers of connections between requests, per limits object (a site's), ready for any connection. */
const idleParsers = new WeakMap<ResolvedHttpLimits, HttpRequestParser[]>();
/** Parsers kept per pool at most; more idle ones are left to the garbage collector. */
const MAX_IDLE_PARSERS = 256;

/**
 * The HTTP/1.1 server protocol; see the module doc.
 *
 * @example
 * ```ts
 * const site = new Site(new Data('hi', 'text/plain'), { clock: new Clock() });
 * const channel = site.buildProtocol(ipAddress('TCP', '127.0.0.1', 50000));
 * const transport = new StringTransport();
 * channel.makeConnection(transport);
 * channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
 * transport.value().toString(); // 'HTTP/1.1 200 OK\r\n…\r\n\r\nhi'
 * ```
 */
export class HTTPChannel extends Protocol implements IHalfCloseableProtocol {
  /** Null between requests (see "Small idle connections" in the module doc). */
  #parser: HttpRequestParser | null = null;
  #request: Request | null = null;
  #phase: Phase = 'idle';
  #deadline = NO_DEADLINE;
  #pausedFor = 0;
  #eof = false;
  #secure: boolean | null = null;

  constructor(site: Site) {
    super();
    this.factory = site;
  }

  /** The site whose resources answer (the factory; no field of its own: idle connections stay small). */
  get site(): Site {
    return this.factory as Site;
  }

  /**
   * Starts the idle timer and disables Nagle where the transport allows it.
   *
   * @example
   * ```ts
   * channel.makeConnection(transport); // calls connectionMade
   * ```
   */
  override connectionMade(): void {
    const t = this.transport as { setTcpNoDelay?: (on: boolean) => void } | null;
    t?.setTcpNoDelay?.(true);
    this.site.timeouts.add(this);
    this.#setDeadline('idle', this.site.timeout);
  }

  /** True when the transport is TLS. */
  isSecure(): boolean {
    if (this.#secure === null) {
      const t = this.transport as { getPeerCertificate?: unknown; isSecure?: () => boolean } | null;
      this.#secure =
        typeof t?.isSecure === 'function' ? t.isSecure() : typeof t?.getPeerCertificate === 'function';
    }
    return this.#secure;
  }

  /** False once the connection is closing (no further request will be read). */
  acceptsMore(): boolean {
    return !this.#eof && this.#phase !== 'closed';
  }

  /**
   * Feeds received bytes to the codec.
   *
   * @example
   * ```ts
   * channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
   * ```
   */
  override dataReceived(data: Buffer): void {
    if (this.#phase === 'closed') return;
    if (this.#phase === 'idle') this.#setDeadline('head', this.site.headerTimeout);
    const parser = this.#parser ?? this.#takeParser();
    this.#handle(parser.receive(data));
    if (this.#parser === null) return;
    if (this.#parser.state === 'waiting' && this.#request !== null && this.#parser.buffered > 0)
      this.#pauseReading(PIPELINED);
    this.#releaseParser();
  }

  #takeParser(): HttpRequestParser {
    const limits = this.site.limits;
    const parser = idleParsers.get(limits)?.pop() ?? new HttpRequestParser(limits);
    this.#parser = parser;
    return parser;
  }

  /** Between requests, with nothing buffered: the parser goes back to the pool. */
  #releaseParser(): void {
    const parser = this.#parser;
    if (parser === null || this.#request !== null || !parser.atRest) return;
    this.#parser = null;
    const limits = this.site.limits;
    let pool = idleParsers.get(limits);
    if (pool === undefined) {
      pool = [];
      idleParsers.set(limits, pool);
    }
    if (pool.length < MAX_IDLE_PARSERS) pool.push(parser);
  }

  #pauseReading(reason: number): void {
    if (this.#pausedFor === 0) (this.transport as { pauseProducing?: () => void }).pauseProducing?.();
    this.#pausedFor |= reason;
  }

  #resumeReading(reason: number): void {
    if ((this.#pausedFor & reason) === 0) return;
    this.#pausedFor &= ~reason;
    if (this.#pausedFor === 0) (this.transport as { resumeProducing?: () => void }).resumeProducing?.();
  }

  /**
   * Called by the request when its spooled body caught up with the disk: reading goes on.
   *
   * @example
   * ```ts
   * channel.contentDrained(); // done by Request's content spool
   * ```
   */
  contentDrained(): void {
    this.#resumeReading(SPOOLING);
  }

  #handle(events: HttpRequestEvent[]): void {
    for (const ev of events) {
      switch (ev.type) {
        case 'requestReceived': {
          const request = new Request(this, ev);
          this.#request = request;
          if (ev.framing !== 'none') {
            this.#setDeadline('body', this.site.requestTimeout);
            if (ev.expectContinue && ev.version === '1.1') this.transport!.write(CONTINUE_RESPONSE);
          }
          break;
        }
        case 'bodyData':
          if (this.#request?.handleContentChunk(ev.data) === false) this.#pauseReading(SPOOLING);
          break;
        case 'requestEnded': {
          const request = this.#request;
          if (request === null) break;
          this.#phase = 'responding';
          this.#deadline = NO_DEADLINE;
          if (!request.contentSpooled) this.#process(request);
          else {
            // Render once the body is all on disk.
            request.contentReceived((err) => {
              if (request !== this.#request) return;
              if (err === null) this.#process(request);
              else request.processingFailed(err);
            });
          }
          break;
        }
        case 'protocolError':
          this.#fail(ev.status, ev.reason);
          return;
        case 'endOfStream':
          this.#eof = true;
          if (ev.incomplete && this.#request !== null && this.#phase !== 'responding') {
            this.#request.connectionLost(new Error('The request was incomplete.'));
            this.#request = null;
          }
          if (this.#request === null) this.#close();
          break;
      }
    }
  }

  #process(request: Request): void {
    let resource: ReturnType<Site['getResourceFor']>;
    try {
      resource = this.site.getResourceFor(request);
    } catch (err) {
      request.processingFailed(err);
      return;
    }
    request.render(resource);
  }

  /**
   * Called by `Request.finish()`: closes a non-persistent connection, or moves on to the next
   * (possibly pipelined) request.
   */
  requestDone(request: HTTPRequest, persistent: boolean): void {
    if (request !== this.#request) return;
    this.#request = null;
    if (!persistent || this.#eof || this.#phase === 'closed') {
      this.#close();
      return;
    }
    this.#setDeadline('idle', this.site.timeout);
    this.#resumeReading(PIPELINED | SPOOLING);
    const parser = this.#parser;
    if (parser === null || parser.state !== 'waiting') return;
    const events = parser.nextRequest();
    if (parser.inHead || events.length > 0) this.#setDeadline('head', this.site.headerTimeout);
    this.#handle(events);
    this.#releaseParser();
  }

  #fail(status: number, reason: string): void {
    const request = this.#request;
    this.#request = null;
    if (request?.startedWriting === true) {
      this.#phase = 'closed';
      this.transport?.abortConnection();
      return;
    }
    request?.connectionLost(new Error(reason));
    const body = `${status} ${reason}\n`;
    this.transport?.write(
      Buffer.from(
        `${statusLine('1.1', status)}Content-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
        'latin1',
      ),
    );
    this.#close();
  }

  #close(): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#deadline = NO_DEADLINE;
    this.site.timeouts.delete(this);
    this.transport?.loseConnection();
  }

  #setDeadline(phase: Phase, seconds: number): void {
    this.#phase = phase;
    this.#deadline = Math.ceil(this.site.timeouts.now + seconds);
  }

  /**
   * Called by the site's sweeper about once a second: times the connection out when its deadline
   * passed — idle: close; receiving a request: 408 and close; responding: never.
   */
  checkTimeout(now: number): void {
    if (this.#deadline === NO_DEADLINE || now < this.#deadline) return;
    switch (this.#phase) {
      case 'idle':
        this.#close();
        break;
      case 'head':
      case 'body':
        this.#fail(408, 'request timed out');
        break;
      case 'responding':
      case 'closed':
        break;
    }
  }

  /**
   * The peer sent EOF: finish the request in progress, then close.
   *
   * @example
   * ```ts
   * channel.readConnectionLost();
   * ```
   */
  readConnectionLost(): void {
    if (this.#phase === 'closed') return;
    if (this.#parser === null) {
      this.#eof = true;
      if (this.#request === null) this.#close();
      return;
    }
    this.#handle(this.#parser.receiveEof());
  }

  /** Our write side closed; nothing to do. */
  writeConnectionLost(): void {}

  /**
   * The connection is gone: the request in progress is told (its `notifyFinish()` errbacks).
   *
   * @example
   * ```ts
   * channel.connectionLost(new ConnectionLost());
   * ```
   */
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.#phase = 'closed';
    this.site.timeouts.delete(this);
    const request = this.#request;
    this.#request = null;
    request?.connectionLost(reason);
  }
}
