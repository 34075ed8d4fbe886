/**
 * `TLSClientEndpoint`: TLS over the connections of any client endpoint (TCP, a `HostnameEndpoint`,
 * a proxy tunnel), firing `connect()` only once the handshake has verified the server. Unlike
 * `wrapClientTLS`, which hands the protocol its transport at once, nothing is sent before the
 * server is verified, and a failed verification errbacks `connect()` itself with a `TLSError` that
 * names the host and says what failed (`unable to verify the first certificate`, `Hostname/IP
 * does not match certificate's altnames …`). The `Agent` uses it for every `https` URI.
 *
 * @example
 * ```ts
 * const ep = new TLSClientEndpoint(new HostnameEndpoint(reactor, 'example.com', 443), 'example.com',
 *   optionsForClientTLS('example.com'));
 * const proto = await ep.connect(factory); // connected, and the certificate checked
 * ```
 * @module
 */
import type { Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IProtocol, IProtocolFactory, ITransport } from '../../internet/interfaces.js';
import { type ITLSTransport, startTLS, TLSError } from '../../internet/tls.js';
import type { TLSClientOptions } from '../../internet/tls-options.js';
import { connectWrapped } from './connect-wrapped.js';

/** Upgrades the connection, then relays to the user's protocol once the server is verified. */
class HandshakeProtocol implements IProtocol {
  transport: ITransport | null = null;
  readonly #wrapped: IProtocol;
  readonly #done: Deferred<IProtocol>;
  readonly #host: string;
  readonly #tls: TLSClientOptions;
  #secure: ITLSTransport | null = null;
  #open = false;
  #closed = false;

  constructor(wrapped: IProtocol, done: Deferred<IProtocol>, host: string, tls: TLSClientOptions) {
    this.#wrapped = wrapped;
    this.#done = done;
    this.#host = host;
    this.#tls = tls;
  }

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    this.connectionMade();
  }

  connectionMade(): void {
    try {
      this.#secure = startTLS(this.transport as ITransport, this.#tls, { protocol: this, host: this.#host });
    } catch (err) {
      if (!this.#done.called) this.#done.errback(err);
      this.transport?.abortConnection();
    }
  }

  /** Called by the TLS transport once the server's certificate and name are verified. */
  handshakeCompleted(): void {
    if (this.#closed || this.#open) return;
    this.#open = true;
    this.#wrapped.makeConnection(this.#secure as ITLSTransport);
    if (!this.#done.called) this.#done.callback(this.#wrapped);
  }

  dataReceived(data: Buffer): void {
    if (this.#open) this.#wrapped.dataReceived(data);
  }

  connectionLost(reason: Error): void {
    this.#closed = true;
    if (this.#open) {
      this.#wrapped.connectionLost(reason);
      return;
    }
    if (this.#done.called) return;
    const cause = reason.cause instanceof Error ? reason.cause : reason;
    this.#done.errback(
      cause instanceof TLSError
        ? cause
        : new TLSError(`TLS with ${this.#host} failed: ${cause.message}`, { cause }),
    );
  }
}

/**
 * The endpoint; see the module doc.
 *
 * @example
 * ```ts
 * const tcp = new HostnameEndpoint(reactor, 'example.com', 443);
 * const endpoint = new TLSClientEndpoint(tcp, 'example.com', optionsForClientTLS('example.com'));
 * const proto = await connectProtocol(endpoint, new Protocol()); // fires once the certificate is verified
 * ```
 */
export class TLSClientEndpoint implements IStreamClientEndpoint {
  readonly #inner: IStreamClientEndpoint;
  readonly #host: string;
  readonly #tls: TLSClientOptions;

  /**
   * @param inner the endpoint whose connections carry TLS.
   * @param host the name to verify and send as SNI (unless `tls.servername` says otherwise).
   */
  constructor(inner: IStreamClientEndpoint, host: string, tls: TLSClientOptions) {
    this.#inner = inner;
    this.#host = host;
    this.#tls = tls;
  }

  /**
   * Connects and completes the handshake; fires with `factory`'s protocol. Cancelling drops the
   * connection.
   *
   * @example
   * ```ts
   * const proto = await endpoint.connect(Factory.forProtocol(MyProtocol));
   * ```
   */
  connect(factory: IProtocolFactory): Deferred<IProtocol> {
    return connectWrapped(
      this.#inner,
      factory,
      (user, done) => new HandshakeProtocol(user, done, this.#host, this.#tls),
    );
  }
}
