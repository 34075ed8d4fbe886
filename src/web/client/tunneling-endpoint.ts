/**
 * `TunnelingEndpoint`: a client endpoint that reaches `host:port` through an HTTP proxy with
 * `CONNECT` (RFC 9110 §9.3.6). `connect()` fires once the proxy has opened the tunnel, with the
 * protocol connected to the far end through it; a proxy that refuses fails with
 * `ProxyConnectError` (its status and phrase in the message), one that answers garbage with
 * `HTTPParseError`. HTTPS through a proxy is a `TLSClientEndpoint` over this one (`ProxyAgent`).
 *
 * @example
 * ```ts
 * const proxy = new TCP4ClientEndpoint(reactor, '127.0.0.1', 3128);
 * const ep = new TLSClientEndpoint(new TunnelingEndpoint(proxy, 'example.com', 443), 'example.com',
 *   optionsForClientTLS('example.com'));
 * const proto = await ep.connect(factory); // TLS to example.com, carried by the proxy
 * ```
 * @module
 */
import type { Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IProtocol, IProtocolFactory, ITransport } from '../../internet/interfaces.js';
import type { HttpLimits } from '../http/codec/limits.js';
import { serializeRequestHead } from '../http/codec/request-serializer.js';
import { HttpResponseParser } from '../http/codec/response-parser.js';
import { connectWrapped } from './connect-wrapped.js';
import { HTTPParseError, ProxyConnectError } from './errors.js';

/**
 * Options of `TunnelingEndpoint`.
 *
 * @example
 * ```ts
 * const proxy = new TCP4ClientEndpoint(reactor, '127.0.0.1', 3128);
 * const endpoint = new TunnelingEndpoint(proxy, 'example.com', 443, {
 *   headers: ['Proxy-Authorization', 'Basic dXNlcjpzZWNyZXQ='],
 *   limits: { maxHeaderSize: 8192 },
 * });
 * ```
 */
export interface TunnelingEndpointOptions {
  /** Header fields sent with `CONNECT`, flattened (`['Proxy-Authorization', 'Basic …']`). */
  headers?: readonly string[];
  /** Limits for the proxy's answer (status line, header size). */
  limits?: HttpLimits;
}

/** The authority `CONNECT` names: `host:port`, an IPv6 address in brackets. */
function authority(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

type TunnelState = 'connecting' | 'open' | 'failed';

/** Sends CONNECT, reads the answer, then relays to the user's protocol. */
class TunnelProtocol implements IProtocol {
  transport: ITransport | null = null;
  readonly #wrapped: IProtocol;
  readonly #done: Deferred<IProtocol>;
  readonly #host: string;
  readonly #port: number;
  readonly #headers: readonly string[];
  readonly #parser: HttpResponseParser;
  #state: TunnelState = 'connecting';

  constructor(
    wrapped: IProtocol,
    done: Deferred<IProtocol>,
    host: string,
    port: number,
    options: TunnelingEndpointOptions,
  ) {
    this.#wrapped = wrapped;
    this.#done = done;
    this.#host = host;
    this.#port = port;
    this.#headers = options.headers ?? [];
    this.#parser = new HttpResponseParser(options.limits);
  }

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.connectionMade();
  }

  connectionMade(): void {
    const target = authority(this.#host, this.#port);
    let head: Buffer;
    try {
      head = serializeRequestHead('CONNECT', target, ['Host', target, ...this.#headers], -1, false);
    } catch (err) {
      this.#fail(err as Error);
      return;
    }
    this.#parser.expectResponse('CONNECT');
    (this.transport as ITransport).write(head);
  }

  dataReceived(data: Buffer): void {
    if (this.#state === 'open') {
      this.#wrapped.dataReceived(data);
      return;
    }
    if (this.#state !== 'connecting') return;
    for (const ev of this.#parser.receive(data)) {
      if (ev.type === 'protocolError') {
        this.#fail(new HTTPParseError(`Invalid answer from the proxy to CONNECT: ${ev.reason}`));
        return;
      }
      if (ev.type !== 'responseReceived') continue;
      if (ev.code < 200 || ev.code > 299) {
        const err = new ProxyConnectError(
          `The proxy refused CONNECT ${authority(this.#host, this.#port)}: ${ev.code} ${ev.phrase}`.trim(),
        );
        err.status = ev.code;
        this.#fail(err);
        return;
      }
      if (this.#parser.buffered > 0) {
        this.#fail(new HTTPParseError('The proxy sent bytes after its answer to CONNECT.'));
        return;
      }
      this.#state = 'open';
      this.#wrapped.makeConnection(this.transport as ITransport);
      if (!this.#done.called) this.#done.callback(this.#wrapped);
      return;
    }
  }

  connectionLost(reason: Error): void {
    const state = this.#state;
    this.#state = 'failed';
    if (state === 'open') {
      this.#wrapped.connectionLost(reason);
      return;
    }
    if (this.#done.called) return;
    const target = authority(this.#host, this.#port);
    this.#done.errback(
      new ProxyConnectError(`The proxy closed the connection before opening a tunnel to ${target}.`, {
        cause: reason,
      }),
    );
  }

  /** Gives up: the connect Deferred errbacks with `err` and the connection is dropped. */
  #fail(err: Error): void {
    this.#state = 'failed';
    if (!this.#done.called) this.#done.errback(err);
    this.transport?.abortConnection();
  }
}

/**
 * The endpoint; see the module doc.
 *
 * @example
 * ```ts
 * const proxy = new TCP4ClientEndpoint(reactor, '127.0.0.1', 3128);
 * const tunnel = new TunnelingEndpoint(proxy, 'db.internal', 5432);
 * const proto = await connectProtocol(tunnel, new Protocol()); // talks to db.internal:5432 through the proxy
 * ```
 */
export class TunnelingEndpoint implements IStreamClientEndpoint {
  readonly #proxy: IStreamClientEndpoint;
  readonly #host: string;
  readonly #port: number;
  readonly #options: TunnelingEndpointOptions;

  /** @param proxy the endpoint of the proxy; `host`, `port`: the far end. */
  constructor(
    proxy: IStreamClientEndpoint,
    host: string,
    port: number,
    options: TunnelingEndpointOptions = {},
  ) {
    this.#proxy = proxy;
    this.#host = host;
    this.#port = port;
    this.#options = options;
  }

  /**
   * Connects to the proxy, opens the tunnel, and fires with `factory`'s protocol connected through
   * it. Cancelling drops the connection.
   *
   * @example
   * ```ts
   * const proto = await new TunnelingEndpoint(proxy, 'db.internal', 5432).connect(factory);
   * ```
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    return connectWrapped(
      this.#proxy,
      factory,
      (user, done) => new TunnelProtocol(user, done, this.#host, this.#port, this.#options),
    );
  }
}
