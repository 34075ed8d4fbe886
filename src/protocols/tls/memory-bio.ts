/**
 * TLS as a wrapping protocol over any transport (Twisted's `TLSMemoryBIOProtocol`): the wrapper
 * sits on a transport that carries ciphertext (a socket, an in-memory `FakeTransport`, a SOCKS
 * tunnel…), runs a `node:tls` `TLSSocket` over an in-memory duplex stream, and gives the wrapped
 * protocol a transport carrying cleartext. So `connectedServerAndClient` can run TLS pairs in
 * memory, and STARTTLS works on transports that cannot swap their socket.
 *
 * Node's TLS engine is asynchronous even over memory: ciphertext appears on later ticks, so an
 * in-memory pair needs `await`ing between pumps (see the tests).
 *
 * @example
 * ```ts
 * import { TLSMemoryBIOFactory } from 'twisted-ts/protocols/tls';
 * reactor.listenTCP(8443, new TLSMemoryBIOFactory({ key, cert }, false, Factory.forProtocol(Echo)));
 * ```
 * @module
 */
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { ConnectionDone, ConnectionLost } from '../../internet/error.js';
import { reportError } from '../../internet/error-reporter.js';
import type {
  IAddress,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  IStreamTransport,
  ITransport,
} from '../../internet/interfaces.js';
import { prepareServerOptions } from '../../internet/tls.js';
import type { TLSClientOptions, TLSServerOptions } from '../../internet/tls-options.js';

/** The in-memory stream the TLS engine reads ciphertext from and writes ciphertext to. */
class MemoryBIO extends Duplex {
  readonly #out: (data: Buffer) => void;
  constructor(out: (data: Buffer) => void) {
    super();
    this.#out = out;
  }
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.#out(chunk);
    cb();
  }
  override _final(cb: (err?: Error | null) => void): void {
    cb();
  }
}

/** A protocol with the optional TLS hook. */
interface HandshakeAware {
  handshakeCompleted?(): void;
}

/**
 * Runs TLS over its transport and passes cleartext to `wrappedProtocol`.
 *
 * @example
 * ```ts
 * const p = new TLSMemoryBIOProtocol(new Echo(), { key, cert }, false);
 * p.makeConnection(transport);
 * ```
 */
export class TLSMemoryBIOProtocol implements IProtocol, IStreamTransport {
  /** The protocol seeing cleartext. */
  readonly wrappedProtocol: IProtocol & HandshakeAware;
  readonly #options: TLSServerOptions | TLSClientOptions;
  readonly #isClient: boolean;
  /** The transport carrying ciphertext. */
  transport: ITransport | null = null;
  #bio: MemoryBIO | null = null;
  #socket: tls.TLSSocket | null = null;
  #error: Error | null = null;
  #lost = false;
  #disconnecting = false;
  #handshakeDone = false;

  constructor(wrapped: IProtocol, contextOptions: TLSServerOptions | TLSClientOptions, isClient: boolean) {
    this.wrappedProtocol = wrapped;
    this.#options = contextOptions;
    this.#isClient = isClient;
  }

  /** True once the handshake has completed. */
  get handshakeDone(): boolean {
    return this.#handshakeDone;
  }

  /** The ALPN protocol agreed on, or null. */
  get negotiatedProtocol(): string | null {
    const p = this.#socket?.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  /** The peer's certificate, or null. */
  getPeerCertificate(): tls.PeerCertificate | null {
    const cert = this.#socket?.getPeerCertificate();
    return cert === undefined || Object.keys(cert).length === 0 ? null : cert;
  }

  makeConnection(transport: ITransport): void {
    this.transport = transport;
    const bio = new MemoryBIO((data) => {
      if (!this.#lost) transport.write(data);
    });
    this.#bio = bio;
    const socket = this.#isClient
      ? tls.connect({ ...(this.#options as TLSClientOptions), socket: bio })
      : new tls.TLSSocket(bio, prepareServerOptions(this.#options as TLSServerOptions));
    this.#socket = socket;
    socket.on(this.#isClient ? 'secureConnect' : 'secure', () => {
      this.#handshakeDone = true;
      try {
        this.wrappedProtocol.handshakeCompleted?.();
      } catch (err) {
        this.#protocolFailed(err, 'handshakeCompleted');
      }
    });
    socket.on('data', (data: Buffer) => {
      if (this.#disconnecting || this.#lost) return;
      try {
        this.wrappedProtocol.dataReceived(data);
      } catch (err) {
        this.#protocolFailed(err, 'dataReceived');
      }
    });
    socket.on('error', (err: Error) => {
      this.#error ??= err;
      transport.abortConnection();
    });
    socket.on('end', () => {
      // The peer's close_notify: close our side too, after what we wrote.
      this.loseConnection();
    });
    this.wrappedProtocol.makeConnection(this);
  }

  connectionMade(): void {}

  /**
   * The wrapped protocol threw from a callback node's TLS stream made: report it and drop the
   * connection, as a transport does, instead of letting it unwind through node's TLS internals.
   */
  #protocolFailed(err: unknown, where: string): void {
    reportError(err, `${this.wrappedProtocol.constructor.name}.${where}`);
    this.abortConnection();
  }

  dataReceived(data: Buffer): void {
    this.#bio?.push(data);
  }

  connectionLost(reason: Error = new ConnectionDone()): void {
    if (this.#lost) return;
    this.#lost = true;
    this.#socket?.destroy();
    const error = this.#error;
    this.wrappedProtocol.connectionLost(
      error !== null ? new ConnectionLost(`TLS failed: ${error.message}`, { cause: error }) : reason,
    );
  }

  // ---- the cleartext transport the wrapped protocol sees

  get disconnecting(): boolean {
    return this.#disconnecting;
  }

  write(data: Uint8Array | string): void {
    if (!this.#disconnecting && !this.#lost) this.#socket?.write(data);
  }

  writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const d of data) this.write(d);
  }

  /** Sends close_notify after what was written, then closes the underlying transport. */
  loseConnection(): void {
    if (this.#disconnecting || this.#lost) return;
    this.#disconnecting = true;
    const socket = this.#socket;
    const transport = this.transport;
    if (socket === null || transport === null) return;
    const close = (): void => transport.loseConnection();
    if (!this.#handshakeDone && this.#error === null) {
      socket.once(this.#isClient ? 'secureConnect' : 'secure', () => socket.end(close));
    } else {
      socket.end(close);
    }
  }

  loseWriteConnection(): void {
    this.loseConnection();
  }

  abortConnection(): void {
    this.transport?.abortConnection();
  }

  getPeer(): IAddress {
    return this.transport!.getPeer();
  }

  getHost(): IAddress {
    return this.transport!.getHost();
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.transport!.registerProducer(producer, streaming);
  }

  unregisterProducer(): void {
    this.transport!.unregisterProducer();
  }

  pauseProducing(): void {
    (this.transport as Partial<IStreamTransport> | null)?.pauseProducing?.();
  }

  resumeProducing(): void {
    (this.transport as Partial<IStreamTransport> | null)?.resumeProducing?.();
  }

  stopProducing(): void {
    this.loseConnection();
  }
}

/**
 * Wraps every protocol of `wrappedFactory` in TLS (Twisted's `TLSMemoryBIOFactory`). `isClient`
 * picks the side; client options verify the server as `connectSSL`'s do.
 *
 * @example
 * ```ts
 * const server = new TLSMemoryBIOFactory({ key, cert }, false, Factory.forProtocol(Echo));
 * const client = new TLSMemoryBIOFactory(optionsForClientTLS('localhost', { trustRoot: ca }), true, clientFactory);
 * ```
 */
export class TLSMemoryBIOFactory implements IProtocolFactory {
  readonly wrappedFactory: IProtocolFactory;
  readonly #options: TLSServerOptions | TLSClientOptions;
  readonly #isClient: boolean;

  constructor(
    contextOptions: TLSServerOptions | TLSClientOptions,
    isClient: boolean,
    wrappedFactory: IProtocolFactory,
  ) {
    this.wrappedFactory = wrappedFactory;
    this.#isClient = isClient;
    // The secure context of a server is built once, not per connection.
    this.#options = isClient
      ? contextOptions
      : {
          ...contextOptions,
          secureContext: prepareServerOptions(contextOptions as TLSServerOptions).secureContext!,
        };
  }

  doStart(): void {
    this.wrappedFactory.doStart();
  }

  doStop(): void {
    this.wrappedFactory.doStop();
  }

  buildProtocol(addr: IAddress): TLSMemoryBIOProtocol | null {
    const p = this.wrappedFactory.buildProtocol(addr);
    return p === null ? null : new TLSMemoryBIOProtocol(p, this.#options, this.#isClient);
  }
}
