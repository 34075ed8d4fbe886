/**
 * TLS over the stream transport: `startTLS` upgrades a live connection (the STARTTLS of SMTP,
 * IMAP, POP3, FTP, XMPP) by layering a `node:tls` `TLSSocket` over its socket; `TLSTransport` is the
 * view of such a connection a protocol gets (`getPeerCertificate()`, `negotiatedProtocol`); and the
 * optional `handshakeCompleted()` hook of the protocol runs once the handshake is done.
 *
 * Bytes written before `startTLS` go out in clear, bytes written after it are encrypted (and held
 * until the handshake is done). Bytes of the peer's handshake that the protocol already read (the
 * peer pipelined its ClientHello right after its STARTTLS command) are given back with the
 * `received` option and not lost.
 *
 * A transport without a socket to layer over (an in-memory pair, a tunnel) can still be upgraded
 * when it offers its own `startTLS` (`IStartTLSTransport`): `TLSMemoryBIOProtocol` from
 * `twisted-ts/protocols/tls` does, running TLS over whatever transport carries it.
 *
 * @example
 * ```ts
 * import { startTLS } from 'twisted-ts/internet';
 * // in an SMTP server, after answering "220 Ready to start TLS":
 * const secure = startTLS(this.transport!, { key, cert }, { server: true, received: rest });
 * ```
 * @module
 */
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { TwistedError } from './error.js';
import type {
  IAddress,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IStreamTransport,
  ITransport,
} from './interfaces.js';
import type { TLSClientOptions, TLSServerOptions } from './tls-options.js';

/**
 * A transport `startTLS` can upgrade: its socket can be replaced by one layered over it.
 *
 * @example
 * ```ts
 * const upgradable = transport as ISocketTransport;
 * upgradable.replaceSocket((raw) => new tls.TLSSocket(raw, { isServer: true, secureContext }));
 * ```
 */
export interface ISocketTransport extends ITransport {
  /**
   * Swaps the connection's socket for `wrap(current)`: later reads and writes go through the new
   * socket, and the protocol keeps its transport.
   */
  replaceSocket(wrap: (current: Socket) => Socket): void;
}

/**
 * Options of `startTLS`.
 *
 * @example
 * ```ts
 * startTLS(this.transport!, optionsForClientTLS('mail.example.com'), { protocol: this, received: rest });
 * ```
 */
export interface StartTLSOptions {
  /** Play the TLS server (default false: the client). */
  server?: boolean;
  /** Bytes of the peer's TLS stream the protocol already read past the upgrade point. */
  received?: Uint8Array;
  /** The protocol to call `handshakeCompleted()` on (default: none). */
  protocol?: IProtocol;
  /** For a client: the host name to verify and send as SNI (default `servername`, else `host`). */
  host?: string;
}

/**
 * The TLS handshake failed, or the peer's certificate was rejected.
 *
 * @example
 * ```ts
 * if (reason.cause instanceof TLSError) console.error('TLS:', reason.cause.message);
 * ```
 */
export class TLSError extends TwistedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_TLS', options);
  }
}

/**
 * A protocol with the optional TLS hook.
 *
 * @example
 * ```ts
 * class Client extends Protocol implements IHandshakeListener {
 *   handshakeCompleted() { this.transport!.write('EHLO me\r\n'); }
 * }
 * ```
 */
export interface IHandshakeListener {
  /** Called once the TLS handshake has completed (the peer's certificate is available). */
  handshakeCompleted?(): void;
}

/**
 * A transport speaking TLS; Twisted's `ISSLTransport`.
 *
 * @example
 * ```ts
 * const cert = (this.transport as ITLSTransport).getPeerCertificate();
 * if (cert === null) this.transport!.loseConnection(); // a client certificate is required
 * ```
 */
export interface ITLSTransport extends IStreamTransport {
  /** The peer's certificate (`null` before the handshake or when the peer sent none). */
  getPeerCertificate(detailed?: boolean): tls.PeerCertificate | tls.DetailedPeerCertificate | null;
  /** The ALPN protocol agreed on (`null` when none, `undefined` before the handshake). */
  readonly negotiatedProtocol: string | null | undefined;
  /** True once the handshake has completed. */
  readonly handshakeDone: boolean;
  /** The underlying `TLSSocket` (cipher, session, keying material). */
  readonly tlsSocket: tls.TLSSocket;
}

/**
 * A transport that upgrades itself to TLS (when it has no socket for `startTLS` to layer over).
 *
 * @example
 * ```ts
 * const secure = (transport as IStartTLSTransport).startTLS({ key, cert }, { server: true });
 * ```
 */
export interface IStartTLSTransport extends ITransport {
  /**
   * Starts TLS on this connection: writes from now on are encrypted (held until the handshake is
   * done); returns the TLS view of the connection.
   */
  startTLS(contextOptions: TLSServerOptions | TLSClientOptions, options?: StartTLSOptions): ITLSTransport;
}

/**
 * Encodes ALPN protocol names in the wire format `TLSSocket` wants (length-prefixed).
 *
 * @example
 * ```ts
 * alpnWireFormat(['h2', 'http/1.1']); // <Buffer 02 68 32 08 68 74 74 70 2f 31 2e 31>
 * ```
 */
export function alpnWireFormat(protocols: readonly string[] | Uint8Array): Buffer {
  if (!Array.isArray(protocols)) return Buffer.from(protocols as Uint8Array);
  return Buffer.concat(
    (protocols as readonly string[]).map((p) => {
      const name = Buffer.from(p, 'latin1');
      return Buffer.concat([Buffer.from([name.length]), name]);
    }),
  );
}

/**
 * Server options compiled once (the secure context), for ports that upgrade many connections.
 *
 * @example
 * ```ts
 * const prepared = prepareServerOptions({ key, cert });
 * ```
 */
export function prepareServerOptions(options: TLSServerOptions): tls.TLSSocketOptions {
  const {
    ALPNProtocols,
    requestCert,
    rejectUnauthorized,
    SNICallback,
    ALPNCallback,
    secureContext,
    ...rest
  } = options;
  const out: tls.TLSSocketOptions = {
    isServer: true,
    secureContext: secureContext ?? tls.createSecureContext(rest),
    requestCert: requestCert ?? false,
    rejectUnauthorized: rejectUnauthorized ?? true,
  };
  if (ALPNProtocols !== undefined) out.ALPNProtocols = alpnWireFormat(ALPNProtocols as readonly string[]);
  if (SNICallback !== undefined) out.SNICallback = SNICallback;
  if (ALPNCallback !== undefined) out.ALPNCallback = ALPNCallback;
  return out;
}

const preparedServer = new WeakMap<object, tls.TLSSocketOptions>();

/**
 * Upgrades `transport` to TLS and returns its TLS view (write to either: both encrypt from now on).
 * Client side: the server's certificate and name are verified unless `rejectUnauthorized: false`;
 * a failed verification closes the connection with a `ConnectionLost` whose cause says why.
 *
 * @example
 * ```ts
 * const secure = startTLS(transport, optionsForClientTLS('mail.example.com'));
 * secure.write('EHLO me\r\n'); // sent after the handshake, encrypted
 * ```
 */
export function startTLS(
  transport: ISocketTransport,
  contextOptions: TLSServerOptions | TLSClientOptions,
  options?: StartTLSOptions,
): TLSTransport;
export function startTLS(
  transport: ITransport,
  contextOptions: TLSServerOptions | TLSClientOptions,
  options?: StartTLSOptions,
): ITLSTransport;
export function startTLS(
  transport: ITransport,
  contextOptions: TLSServerOptions | TLSClientOptions,
  options: StartTLSOptions = {},
): ITLSTransport {
  const t = transport as Partial<ISocketTransport & IStartTLSTransport>;
  if (transport instanceof TLSTransport) throw new TLSError('startTLS: the connection already uses TLS.');
  if (typeof t.replaceSocket !== 'function') {
    if (typeof t.startTLS === 'function') return t.startTLS(contextOptions, options);
    throw new TLSError(
      'startTLS: this transport cannot be upgraded; run the connection over a TLSMemoryBIOProtocol ' +
        '(twisted-ts/protocols/tls), which can.',
    );
  }
  let secure: tls.TLSSocket | null = null;
  t.replaceSocket((raw) => {
    raw.on('error', ignore); // errors now surface on the TLS socket
    if (options.received !== undefined && options.received.length > 0)
      raw.unshift(Buffer.from(options.received));
    secure = options.server
      ? new tls.TLSSocket(raw, serverSocketOptions(contextOptions as TLSServerOptions))
      : tls.connect(clientConnectOptions(raw, contextOptions as TLSClientOptions, options.host));
    holdEndUntilSecure(secure, options.server ?? false);
    return secure;
  });
  return new TLSTransport(
    transport as ISocketTransport & IStreamTransport,
    secure!,
    options.server ?? false,
    options.protocol,
  );
}

function ignore(): void {}

/**
 * Longest wait, after our close_notify, for the peer's own close before the socket is dropped (ms):
 * a cleanly closed TLS transport reads until the peer's EOF, so that unread input (TLS 1.3 session
 * tickets) does not make the kernel reset the connection (see `StreamTransport`).
 *
 * @example
 * ```ts
 * console.log(`a closing TLS socket waits up to ${TLS_LINGER_MS} ms for the peer`);
 * ```
 */
export const TLS_LINGER_MS = 10_000;

/**
 * Node shuts a TLSSocket's write side down at once on `end()`, even when the handshake is still
 * under way and cleartext written before is waiting for it: that data would be lost. Until the
 * handshake completes, `end()` is deferred to it (a failed handshake closes the socket anyway).
 */
function holdEndUntilSecure(socket: tls.TLSSocket, server: boolean): void {
  const end = socket.end;
  let secured = false;
  socket.once(server ? 'secure' : 'secureConnect', () => {
    secured = true;
  });
  socket.end = function (this: tls.TLSSocket, ...args: unknown[]) {
    if (secured || this.destroyed) return (end as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
    this.once(server ? 'secure' : 'secureConnect', () =>
      (end as (...a: unknown[]) => tls.TLSSocket).apply(this, args),
    );
    return this;
  } as typeof socket.end;
}

/**
 * The `TLSSocket` options of a server, compiled once per options object (the secure context is
 * cached), for code that makes server-side TLS sockets itself.
 *
 * @example
 * ```ts
 * const socket = new tls.TLSSocket(duplex, serverSocketOptions({ key, cert }));
 * ```
 */
export function serverSocketOptions(contextOptions: TLSServerOptions): tls.TLSSocketOptions {
  let prepared = preparedServer.get(contextOptions);
  if (prepared === undefined) {
    prepared = prepareServerOptions(contextOptions);
    preparedServer.set(contextOptions, prepared);
  }
  return prepared;
}

/**
 * The `tls.connect` options of a client over `raw`: the name to verify and send as SNI is
 * `servername`, else `host` (an IP address is verified but not sent as SNI).
 *
 * @example
 * ```ts
 * const socket = tls.connect(clientConnectOptions(duplex, optionsForClientTLS('example.com')));
 * ```
 */
export function clientConnectOptions(
  raw: Duplex,
  contextOptions: TLSClientOptions,
  host?: string,
): tls.ConnectionOptions {
  const out: tls.ConnectionOptions = { ...contextOptions, socket: raw };
  const name = contextOptions.servername ?? host;
  if (name !== undefined) {
    out.host = name;
    if (isIP(name) === 0) out.servername = name;
  }
  return out;
}

/**
 * Checks the client's certificate on a server-side `TLSSocket` made by hand, which node does not
 * do (`tls.Server` does, after the handshake): sets `authorized`/`authorizationError` as
 * `tls.Server` would and returns the error to close the connection with, or null to go on (no
 * certificate requested, a valid one, or `rejectUnauthorized: false`).
 *
 * @example
 * ```ts
 * socket.once('secure', () => { const err = checkClientCertificate(socket); if (err) socket.destroy(err); });
 * ```
 */
export function checkClientCertificate(socket: tls.TLSSocket): TLSError | null {
  const internals = socket as unknown as {
    _requestCert?: boolean;
    _rejectUnauthorized?: boolean;
    ssl?: { verifyError?(): (Error & { code?: string }) | null };
  };
  if (!internals._requestCert) return null;
  const error = internals.ssl?.verifyError?.() ?? null;
  if (error === null) {
    (socket as { authorized: boolean }).authorized = true;
    return null;
  }
  (socket as { authorizationError: Error }).authorizationError = error;
  if (internals._rejectUnauthorized === false) return null;
  return new TLSError(`The client certificate was rejected: ${error.code ?? error.message}`, {
    cause: error,
  });
}

/**
 * The TLS view of an upgraded connection: the `IStreamTransport` calls go to the connection, and
 * the TLS details come from its `TLSSocket`.
 *
 * @example
 * ```ts
 * override handshakeCompleted() {
 *   const t = this.transport as TLSTransport;
 *   console.log(t.negotiatedProtocol, t.getPeerCertificate()?.subject.CN);
 * }
 * ```
 */
export class TLSTransport implements ITLSTransport {
  readonly #inner: IStreamTransport;
  readonly #socket: tls.TLSSocket;
  readonly #server: boolean;
  #protocol: (IProtocol & IHandshakeListener) | undefined;
  #done = false;

  constructor(inner: IStreamTransport, socket: tls.TLSSocket, server: boolean, protocol?: IProtocol) {
    this.#inner = inner;
    this.#socket = socket;
    this.#server = server;
    this.#protocol = protocol;
    socket.once(server ? 'secure' : 'secureConnect', () => this.#secured());
  }

  /** Sets the protocol whose `handshakeCompleted()` runs after the handshake. */
  setProtocol(protocol: IProtocol): void {
    this.#protocol = protocol;
  }

  #secured(): void {
    const s = this.#socket;
    if (this.#server) {
      const rejected = checkClientCertificate(s);
      if (rejected !== null) {
        s.destroy(rejected);
        return;
      }
    }
    this.#done = true;
    this.#protocol?.handshakeCompleted?.();
  }

  get tlsSocket(): tls.TLSSocket {
    return this.#socket;
  }

  get handshakeDone(): boolean {
    return this.#done;
  }

  get negotiatedProtocol(): string | null | undefined {
    if (!this.#done) return undefined;
    const p = this.#socket.alpnProtocol;
    return typeof p === 'string' ? p : null;
  }

  getPeerCertificate(detailed = false): tls.PeerCertificate | tls.DetailedPeerCertificate | null {
    const cert = detailed ? this.#socket.getPeerCertificate(true) : this.#socket.getPeerCertificate();
    return cert === null || cert === undefined || Object.keys(cert).length === 0 ? null : cert;
  }

  get disconnecting(): boolean {
    return this.#inner.disconnecting;
  }

  /** Sends `data` encrypted: the connection's socket is now the TLS one. */
  write(data: Uint8Array | string): void {
    this.#inner.write(data);
  }

  writeSequence(data: readonly (Uint8Array | string)[]): void {
    this.#inner.writeSequence(data);
  }

  loseConnection(): void {
    this.#inner.loseConnection();
  }

  loseWriteConnection(): void {
    this.#inner.loseWriteConnection();
  }

  abortConnection(): void {
    this.#inner.abortConnection();
  }

  /** The connection's peer address: TLS does not change addresses. */
  getPeer(): IAddress {
    return this.#inner.getPeer();
  }

  /** The connection's local address. */
  getHost(): IAddress {
    return this.#inner.getHost();
  }

  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    this.#inner.registerProducer(producer, streaming);
  }

  /** Detaches the producer registered on the connection. */
  unregisterProducer(): void {
    this.#inner.unregisterProducer();
  }

  /** Stops reading from the connection (flow control). */
  pauseProducing(): void {
    this.#inner.pauseProducing();
  }

  /** Resumes reading after `pauseProducing`. */
  resumeProducing(): void {
    this.#inner.resumeProducing();
  }

  /** Stops reading for good; the connection closes. */
  stopProducing(): void {
    this.#inner.stopProducing();
  }

  /** Passed to the connection when it is TCP. */
  setTcpNoDelay(enabled: boolean): void {
    (this.#inner as Partial<{ setTcpNoDelay(e: boolean): void }>).setTcpNoDelay?.(enabled);
  }

  /** Passed to the connection when it is TCP. */
  setTcpKeepAlive(enabled: boolean): void {
    (this.#inner as Partial<{ setTcpKeepAlive(e: boolean): void }>).setTcpKeepAlive?.(enabled);
  }

  /** Always throws: the connection already speaks TLS. */
  startTLS(): never {
    throw new TLSError('startTLS: the connection already uses TLS.');
  }
}
