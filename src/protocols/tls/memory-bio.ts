/**
 * TLS as a wrapping protocol over any transport (Twisted's `TLSMemoryBIOProtocol`): the wrapper
 * sits on a transport that carries ciphertext (a socket, an in-memory `FakeTransport`, a SOCKS
 * tunnel…), runs a `node:tls` `TLSSocket` over an in-memory duplex stream, and gives the wrapped
 * protocol a transport carrying cleartext. So `connectedServerAndClient` can run TLS pairs in
 * memory.
 *
 * Made without TLS options, the wrapper passes bytes through in clear until the wrapped protocol
 * calls `startTLS` on it (or `startTLS(this.transport, …)` from `twisted-ts/internet`): STARTTLS
 * then works on any transport, not only on sockets. Bytes written before the call went out in
 * clear; bytes after it are encrypted; bytes the protocol already read past the upgrade point are
 * given back with the `received` option, and everything the peer sends afterwards goes to TLS.
 *
 * Node's TLS engine is asynchronous even over memory: ciphertext appears on later turns of the
 * event loop, so an in-memory pair is pumped again whenever the engine has written or called the
 * protocol (see the tests' `pumpUntil`).
 *
 * @example
 * ```ts
 * import { TLSMemoryBIOFactory, TLSMemoryBIOProtocol } from 'twisted-ts/protocols/tls';
 * reactor.listenTCP(8443, new TLSMemoryBIOFactory({ key, cert }, false, Factory.forProtocol(Echo)));
 * // clear text until the SMTP server calls startTLS(this.transport, { key, cert }, { server: true }):
 * connectedServerAndClient(new TLSMemoryBIOProtocol(new SMTPServer()), new TLSMemoryBIOProtocol(client));
 * ```
 * @module
 */
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { ConnectionDone, ConnectionLost } from '../../internet/error.js';
import { reportError } from '../../internet/error-reporter.js';
import type {
  IAddress,
  IHalfCloseableTransport,
  IProtocol,
  IProtocolFactory,
  IPullProducer,
  IPushProducer,
  IStreamTransport,
  ITransport,
} from '../../internet/interfaces.js';
import {
  checkClientCertificate,
  clientConnectOptions,
  type IStartTLSTransport,
  type ITLSTransport,
  type StartTLSOptions,
  serverSocketOptions,
  TLSError,
} from '../../internet/tls.js';
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
 * Runs TLS over its transport and passes cleartext to `wrappedProtocol`; without `contextOptions`
 * it passes bytes through in clear until `startTLS` is called.
 *
 * @example
 * ```ts
 * const p = new TLSMemoryBIOProtocol(new Echo(), { key, cert }, false);
 * p.makeConnection(transport);
 * ```
 */
export class TLSMemoryBIOProtocol implements IProtocol, ITLSTransport, IStartTLSTransport {
  /** The protocol seeing cleartext. */
  readonly wrappedProtocol: IProtocol & HandshakeAware;
  #options: TLSServerOptions | TLSClientOptions | null;
  #isClient: boolean;
  #host: string | undefined;
  /** The transport carrying ciphertext. */
  transport: ITransport | null = null;
  #bio: MemoryBIO | null = null;
  #socket: tls.TLSSocket | null = null;
  #error: Error | null = null;
  #lost = false;
  #disconnecting = false;
  #handshakeDone = false;

  constructor(
    wrapped: IProtocol,
    contextOptions: TLSServerOptions | TLSClientOptions | null = null,
    isClient = false,
  ) {
    this.wrappedProtocol = wrapped;
    this.#options = contextOptions;
    this.#isClient = isClient;
  }

  /** True once the handshake has completed. */
  get handshakeDone(): boolean {
    return this.#handshakeDone;
  }

  /** True once TLS is on (from the start, or since `startTLS`). */
  get tlsStarted(): boolean {
    return this.#socket !== null;
  }

  /** The ALPN protocol agreed on (`null` when none, `undefined` before the handshake). */
  get negotiatedProtocol(): string | null | undefined {
    if (!this.#handshakeDone) return undefined;
    const p = this.#socket?.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  /** The peer's certificate, or null. */
  getPeerCertificate(detailed = false): tls.PeerCertificate | tls.DetailedPeerCertificate | null {
    const cert = detailed ? this.#socket?.getPeerCertificate(true) : this.#socket?.getPeerCertificate();
    return cert === undefined || cert === null || Object.keys(cert).length === 0 ? null : cert;
  }

  /** The TLS engine (cipher, session, keying material); throws before TLS is on. */
  get tlsSocket(): tls.TLSSocket {
    if (this.#socket === null) throw new TLSError('TLS has not been started on this connection.');
    return this.#socket;
  }

  /** Starts the TLS engine (unless in clear) and connects the wrapped protocol to this transport. */
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    if (this.#options !== null) this.#startEngine(this.#options, undefined);
    this.wrappedProtocol.makeConnection(this);
  }

  /** Does nothing: `makeConnection` already told the wrapped protocol. */
  connectionMade(): void {}

  /**
   * Switches a connection made in clear to TLS (STARTTLS) and returns this transport: bytes written
   * from now on are encrypted. `options.server` picks the side (default: the client); `received`
   * gives back bytes of the peer's TLS stream the protocol already read; `host` is the name a
   * client verifies when `servername` is not set. The wrapped protocol's `handshakeCompleted()`
   * runs after the handshake.
   *
   * @example
   * ```ts
   * this.transport.write('220 Go ahead\r\n');
   * startTLS(this.transport, { key, cert }, { server: true }); // calls this when the transport is a TLSMemoryBIOProtocol
   * ```
   */
  startTLS(contextOptions: TLSServerOptions | TLSClientOptions, options: StartTLSOptions = {}): this {
    if (this.#socket !== null) throw new TLSError('startTLS: the connection already uses TLS.');
    if (this.transport === null || this.#lost || this.#disconnecting) {
      throw new TLSError('startTLS: the connection is not open.');
    }
    this.#options = contextOptions;
    this.#isClient = !options.server;
    this.#host = options.host;
    this.#startEngine(contextOptions, options.received);
    return this;
  }

  #startEngine(options: TLSServerOptions | TLSClientOptions, received: Uint8Array | undefined): void {
    const transport = this.transport!;
    const bio = new MemoryBIO((data) => {
      if (!this.#lost) transport.write(data);
    });
    this.#bio = bio;
    if (received !== undefined && received.length > 0) bio.push(Buffer.from(received));
    const client = this.#isClient;
    const socket = client
      ? tls.connect(clientConnectOptions(bio, options as TLSClientOptions, this.#host))
      : new tls.TLSSocket(bio, serverSocketOptions(options as TLSServerOptions));
    this.#socket = socket;
    socket.on(client ? 'secureConnect' : 'secure', () => {
      if (!client) {
        const rejected = checkClientCertificate(socket);
        if (rejected !== null) {
          socket.destroy(rejected);
          return;
        }
      }
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
  }

  /**
   * The wrapped protocol threw from a callback node's TLS stream made: report it and drop the
   * connection, as a transport does, instead of letting it unwind through node's TLS internals.
   */
  #protocolFailed(err: unknown, where: string): void {
    reportError(err, `${this.wrappedProtocol.constructor.name}.${where}`);
    this.abortConnection();
  }

  /** Ciphertext from the transport, decrypted for the wrapped protocol (passed as is in clear). */
  dataReceived(data: Buffer): void {
    if (this.#bio !== null) this.#bio.push(data);
    else if (!this.#disconnecting) this.wrappedProtocol.dataReceived(data);
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

  /** Encrypts `data` and sends it (in clear before `startTLS`); dropped once closing. */
  write(data: Uint8Array | string): void {
    if (this.#disconnecting || this.#lost) return;
    if (this.#socket !== null) this.#socket.write(data);
    else this.transport?.write(data);
  }

  writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const d of data) this.write(d);
  }

  /** Sends close_notify after what was written (TLS), then closes the underlying transport. */
  loseConnection(): void {
    if (this.#disconnecting || this.#lost) return;
    this.#disconnecting = true;
    const socket = this.#socket;
    const transport = this.transport;
    if (transport === null) return;
    if (socket === null) {
      transport.loseConnection();
      return;
    }
    const close = (): void => transport.loseConnection();
    if (!this.#handshakeDone && this.#error === null) {
      socket.once(this.#isClient ? 'secureConnect' : 'secure', () => socket.end(close));
    } else {
      socket.end(close);
    }
  }

  /** In clear, closes the write side of the underlying transport; over TLS, the whole connection. */
  loseWriteConnection(): void {
    const transport = this.transport as Partial<IHalfCloseableTransport> | null;
    if (this.#socket === null && typeof transport?.loseWriteConnection === 'function') {
      if (!this.#lost) transport.loseWriteConnection();
      return;
    }
    this.loseConnection();
  }

  abortConnection(): void {
    this.transport?.abortConnection();
  }

  /** The underlying transport's peer address: TLS does not change addresses. */
  getPeer(): IAddress {
    return this.transport!.getPeer();
  }

  /** The underlying transport's local address. */
  getHost(): IAddress {
    return this.transport!.getHost();
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.transport!.registerProducer(producer, streaming);
  }

  /** Detaches the producer registered on the underlying transport. */
  unregisterProducer(): void {
    this.transport!.unregisterProducer();
  }

  /** Stops reading from the underlying transport (flow control for a slow wrapped protocol). */
  pauseProducing(): void {
    (this.transport as Partial<IStreamTransport> | null)?.pauseProducing?.();
  }

  /** Resumes reading after `pauseProducing`. */
  resumeProducing(): void {
    (this.transport as Partial<IStreamTransport> | null)?.resumeProducing?.();
  }

  /** Closes the connection cleanly (close_notify first), as `loseConnection`. */
  stopProducing(): void {
    this.loseConnection();
  }
}

/**
 * Wraps every protocol of `wrappedFactory` in TLS (Twisted's `TLSMemoryBIOFactory`). `isClient`
 * picks the side; client options verify the server as `connectSSL`'s do. With `null` options the
 * connections start in clear and their protocols may call `startTLS` (STARTTLS over any transport).
 *
 * @example
 * ```ts
 * const server = new TLSMemoryBIOFactory({ key, cert }, false, Factory.forProtocol(Echo));
 * const client = new TLSMemoryBIOFactory(optionsForClientTLS('localhost', { trustRoot: ca }), true, clientFactory);
 * const upgradable = new TLSMemoryBIOFactory(null, false, Factory.forProtocol(SMTPServer));
 * ```
 */
export class TLSMemoryBIOFactory implements IProtocolFactory {
  /** The factory building the cleartext protocols that TLS wraps. */
  readonly wrappedFactory: IProtocolFactory;
  readonly #options: TLSServerOptions | TLSClientOptions | null;
  readonly #isClient: boolean;

  constructor(
    contextOptions: TLSServerOptions | TLSClientOptions | null,
    isClient: boolean,
    wrappedFactory: IProtocolFactory,
  ) {
    this.wrappedFactory = wrappedFactory;
    this.#isClient = isClient;
    // The secure context of a server is built once (and bad key material fails here, not later).
    if (!isClient && contextOptions !== null) serverSocketOptions(contextOptions as TLSServerOptions);
    this.#options = contextOptions;
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
