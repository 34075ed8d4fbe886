/**
 * `ReverseProxyResource`: forwards requests to another HTTP server and streams its answers back,
 * Twisted's `proxy.ReverseProxyResource`. Each request opens a connection to the backend (as
 * Twisted does), sends the method, the path under the resource (with the query string) and the
 * request's fields — `Host` set to the backend, hop-by-hop fields dropped, `Connection: close` —
 * then the body, and relays the status, the fields and the body as they come.
 *
 * Both directions stream with backpressure: a request body spooled to disk is read into the
 * backend connection only as fast as the backend takes it; the backend connection is registered
 * as the producer of the client's response, so a slow client pauses reading from the backend
 * instead of growing memory. The backend's framing (Content-Length, chunked, until close) maps
 * to ours. An unreachable or broken backend answers 502 Bad Gateway (or drops the client
 * connection when the response had started).
 *
 * @example
 * ```ts
 * import { ReverseProxyResource, Resource, Site } from 'twisted-ts/web';
 * const root = new Resource();
 * root.putChild('api', new ReverseProxyResource('127.0.0.1', 8081, '/v1'));
 * reactor.listenTCP(8080, new Site(root)); // GET /api/users?x=1 → GET /v1/users?x=1 on :8081
 * ```
 * @module
 */
import { getReactor } from '../internet/default-reactor.js';
import type { IConnector, IPushProducer, IReactorTCP, ITransport } from '../internet/interfaces.js';
import { ClientFactory, Protocol } from '../internet/protocol.js';
import { FileBodyProducer } from './client/file-body-producer.js';
import { serializeRequestHead } from './http/codec/request-serializer.js';
import type { HttpResponseEvent } from './http/codec/response-parser.js';
import { HttpResponseParser } from './http/codec/response-parser.js';
import type { Request } from './request.js';
import { ErrorPage, type IResource, NOT_DONE_YET, Resource } from './resource.js';

/**
 * Fields that describe one connection, never forwarded (RFC 9110 §7.6.1), plus the framing ones
 * (the body is re-framed) and `Expect` (we already read the body the client held back).
 */
const HOP_BY_HOP = new Set([
  'expect',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/**
 * Forwards requests to `host:port`, under `path`; see the module doc.
 *
 * @example
 * ```ts
 * const root = new Resource();
 * root.putChild('api', new ReverseProxyResource('127.0.0.1', 8081, '/v1'));
 * reactor.listenTCP(8080, new Site(root)); // /api/users?page=2 → http://127.0.0.1:8081/v1/users?page=2
 * ```
 */
export class ReverseProxyResource extends Resource {
  readonly #reactor: IReactorTCP;

  /**
   * @param host the backend's host name or address.
   * @param port the backend's port.
   * @param path the backend path this resource stands for (`''` or `/v1`); children add segments.
   * @param reactor the reactor that connects to the backend (default: the global one).
   */
  constructor(
    readonly host: string,
    readonly port: number,
    readonly path: string,
    reactor?: IReactorTCP,
  ) {
    super();
    this.#reactor = reactor ?? getReactor();
  }

  /**
   * The resource of a path segment below: the same backend, one segment deeper.
   *
   * @example
   * ```ts
   * proxy.getChild('users', request).path; // '/v1/users'
   * ```
   */
  override getChild(name: string, _request: Request): IResource {
    return new ReverseProxyResource(
      this.host,
      this.port,
      `${this.path}/${encodeURIComponent(name)}`,
      this.#reactor,
    );
  }

  /**
   * Forwards the request; the answer streams back later.
   *
   * @example
   * ```ts
   * proxy.render(request); // NOT_DONE_YET
   * ```
   */
  override render(request: Request): typeof NOT_DONE_YET {
    const q = request.uri.indexOf('?');
    const target = (this.path === '' ? '/' : this.path) + (q < 0 ? '' : request.uri.slice(q));
    const host = this.port === 80 ? this.host : `${this.host}:${this.port}`;
    this.#reactor.connectTCP(this.host, this.port, new ProxyClientFactory(request, target, host));
    return NOT_DONE_YET;
  }
}

/**
 * Connects a `ProxyClient` for one request, and answers 502 when the backend cannot be reached
 * (Twisted's `proxy.ProxyClientFactory`).
 *
 * @example
 * ```ts
 * reactor.connectTCP('127.0.0.1', 8081, new ProxyClientFactory(request, '/v1/users', '127.0.0.1:8081'));
 * ```
 */
export class ProxyClientFactory extends ClientFactory {
  /**
   * @param request the client's request, answered with the backend's response.
   * @param target the request-target sent to the backend (path and query).
   * @param hostHeader the `Host` sent to the backend.
   */
  constructor(
    readonly request: Request,
    readonly target: string,
    readonly hostHeader: string,
  ) {
    super();
  }

  /** A client that relays to `request`. */
  override buildProtocol(): ProxyClient {
    const p = new ProxyClient(this.request, this.target, this.hostHeader);
    p.factory = this;
    return p;
  }

  /** The backend could not be reached: 502. */
  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    badGateway(this.request, `Could not connect to the backend: ${reason.message}`);
  }
}

/**
 * The backend side of one proxied request (Twisted's `proxy.ProxyClient`): sends the request,
 * parses the response with the sans-IO `HttpResponseParser` and relays it.
 *
 * @example
 * ```ts
 * const client = new ProxyClient(request, '/v1/users', 'backend:8081');
 * ```
 */
export class ProxyClient extends Protocol {
  readonly #request: Request;
  readonly #target: string;
  readonly #hostHeader: string;
  readonly #parser = new HttpResponseParser();
  #body: FileBodyProducer | null = null;
  #responded = false;
  #done = false;

  constructor(request: Request, target: string, hostHeader: string) {
    super();
    this.#request = request;
    this.#target = target;
    this.#hostHeader = hostHeader;
  }

  /**
   * Sends the request head and body; stops if the client goes away.
   *
   * @example
   * ```ts
   * client.makeConnection(transport);
   * ```
   */
  override connectionMade(): void {
    const request = this.#request;
    const transport = this.transport as ITransport;
    request.notifyFinish().addErrback(() => {
      if (!this.#done) transport.abortConnection();
    });
    if (request.disconnected) {
      transport.abortConnection();
      return;
    }
    const fields: string[] = ['Host', this.#hostHeader];
    for (const [name, values] of request.requestHeaders.getAllRawHeaders()) {
      const lower = name.toLowerCase();
      if (lower === 'host' || HOP_BY_HOP.has(lower)) continue;
      for (const v of values) fields.push(name, v);
    }
    fields.push('Connection', 'close');
    const length = request.contentLength;
    const hasBody = length > 0 || request.requestHeaders.hasHeader('content-length');
    this.#handle(this.#parser.expectResponse(request.method));
    transport.write(serializeRequestHead(request.method, this.#target, fields, hasBody ? length : -1, false));
    if (!request.contentSpooled) {
      if (length > 0) transport.write(request.content);
      return;
    }
    // A spooled body is read from disk only as fast as the backend takes it.
    const body = new FileBodyProducer(request.createContentReadStream());
    this.#body = body;
    body.startProducing(transport).addCallbacks(
      () => {
        this.#body = null;
      },
      () => transport.abortConnection(),
    );
  }

  /**
   * Feeds the backend's bytes to the parser.
   *
   * @example
   * ```ts
   * client.dataReceived(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
   * ```
   */
  override dataReceived(data: Buffer): void {
    if (!this.#done) this.#handle(this.#parser.receive(data));
  }

  /**
   * The backend closed: the end of a close-delimited body, or a response cut short (502 if it had
   * not started, else the client connection is dropped).
   *
   * @example
   * ```ts
   * client.connectionLost(new ConnectionDone());
   * ```
   */
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.#body?.stopProducing();
    if (this.#done) return;
    this.#handle(this.#parser.receiveEof());
    if (!this.#done) this.#fail(`The backend closed the connection: ${reason.message}`);
  }

  #handle(events: HttpResponseEvent[]): void {
    const request = this.#request;
    for (const ev of events) {
      if (this.#done) return;
      switch (ev.type) {
        case 'responseReceived': {
          this.#responded = true;
          request.setResponseCode(ev.code, ev.phrase === '' ? undefined : ev.phrase);
          const raw = ev.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) {
            const name = raw[i] as string;
            if (!HOP_BY_HOP.has(name.toLowerCase()))
              request.responseHeaders.addRawHeader(name, raw[i + 1] as string);
          }
          if (ev.contentLength >= 0) request.setHeader('Content-Length', ev.contentLength);
          // The backend connection produces the client's response: a slow client pauses it.
          request.registerProducer(this.transport as ITransport & IPushProducer, true);
          break;
        }
        case 'bodyData':
          request.write(ev.data);
          break;
        case 'responseEnded':
          this.#done = true;
          request.unregisterProducer();
          if (!request.disconnected) request.finish();
          this.transport?.loseConnection();
          break;
        case 'protocolError':
          this.#fail(`The backend broke HTTP: ${ev.reason}`);
          break;
        case 'informational':
        case 'endOfStream':
          break;
      }
    }
  }

  #fail(reason: string): void {
    this.#done = true;
    this.transport?.abortConnection();
    const request = this.#request;
    if (this.#responded) {
      request.unregisterProducer();
      request.channel.transport?.abortConnection();
      return;
    }
    badGateway(request, reason);
  }
}

function badGateway(request: Request, reason: string): void {
  if (request.finished || request.disconnected) return;
  const page = new ErrorPage(502, 'Bad Gateway', reason).render(request) as string;
  request.writeWhole(page);
}
