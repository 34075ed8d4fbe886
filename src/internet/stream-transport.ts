/**
 * `StreamTransport`: the `ITCPTransport` over a connected `node:net` socket, shared by the server
 * side (`TCPPort`) and the client side (`TCPConnector`).
 *
 * The hot path is `socket 'data'` → `protocol.dataReceived(buffer)` and `write(buffer)` →
 * `socket.write(buffer)`: the Buffer passes through untouched, there is no closure per chunk and no
 * closure per connection either — the socket listeners are static methods that find their transport
 * through the socket's `twistedTransport` property (set once, when the connection is made).
 *
 * Closing follows Twisted: `loseConnection()` stops delivering data, waits for a registered
 * producer to unregister, flushes what was written, then closes the socket; `abortConnection()`
 * closes at once. A peer's EOF closes the connection (after flushing) unless the protocol is
 * half-closeable, in which case it gets `readConnectionLost()` and may go on writing.
 *
 * @example
 * ```ts
 * class Echo extends Protocol {
 *   override dataReceived(data: Buffer) { this.transport!.write(data); }
 * }
 * reactor.listenTCP(8000, Factory.forProtocol(Echo)); // each connection gets a StreamTransport
 * ```
 * @module
 */
import type { Socket } from 'node:net';
import { fromNodeAddress } from './address.js';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from './error.js';
import { reportError } from './error-reporter.js';
import type {
  IHalfCloseableProtocol,
  IProtocol,
  IPullProducer,
  IPushProducer,
  IPv4Address,
  IPv6Address,
  IRefable,
  ITCPTransport,
} from './interfaces.js';
import { isHalfCloseable } from './interfaces.js';
import { HIGH_WATER_MARK, ProducerSlot } from './producer-slot.js';
import { type StartTLSOptions, startTLS, TLS_LINGER_MS, type TLSTransport } from './tls.js';
import type { TLSClientOptions, TLSServerOptions } from './tls-options.js';

export { HIGH_WATER_MARK };

/**
 * Who is told when a transport has closed (the port or connector that made it).
 *
 * @example
 * ```ts
 * const open = new Set<StreamTransport>();
 * const owner: TransportOwner = { transportClosed: (transport) => open.delete(transport) };
 * const transport = new StreamTransport(socket, protocol, owner, peer);
 * open.add(transport);
 * transport.start();
 * ```
 */
export interface TransportOwner {
  /** Called once, after `protocol.connectionLost(reason)`. */
  transportClosed(transport: StreamTransport, reason: Error): void;
}

/** A socket that knows its transport (the property is set once, when the transport is made). */
interface TransportSocket extends Socket {
  twistedTransport: StreamTransport;
}

/**
 * A connected TCP stream: Twisted's `tcp.Connection`. Built by the reactor; protocols see it as
 * `this.transport`.
 *
 * @example
 * ```ts
 * class Hello extends Protocol {
 *   override connectionMade() {
 *     const t = this.transport as ITCPTransport;
 *     t.setTcpNoDelay(true);
 *     t.writeSequence(['hello, ', t.getPeer().host, '\r\n']);
 *     t.loseConnection();
 *   }
 * }
 * ```
 */
export class StreamTransport implements ITCPTransport, IRefable {
  #socket: TransportSocket;
  readonly #protocol: IProtocol;
  readonly #owner: TransportOwner;
  readonly #peer: IPv4Address | IPv6Address;
  #host: IPv4Address | IPv6Address | null = null;
  #connected = true;
  /** `loseConnection()` was called. */
  #disconnecting = false;
  /** We are ending the socket and will destroy it once flushed. */
  #closing = false;
  /** `socket.end()` was called (by `loseConnection` or `loseWriteConnection`). */
  #ended = false;
  #finished = false;
  #aborted = false;
  #error: unknown = null;
  #slot: ProducerSlot | null = null;
  #drainListening = false;
  /** While a closing TLS socket waits for the peer's EOF (see `#release`). */
  #linger: NodeJS.Timeout | null = null;

  /**
   * Wraps a connected socket. Call `start()` to attach the protocol (`makeConnection`).
   *
   * @example
   * ```ts
   * const transport = new StreamTransport(socket, protocol, owner, peerAddress);
   * transport.start();
   * ```
   */
  constructor(socket: Socket, protocol: IProtocol, owner: TransportOwner, peer: IPv4Address | IPv6Address) {
    const s = socket as TransportSocket;
    s.twistedTransport = this;
    this.#socket = s;
    this.#protocol = protocol;
    this.#owner = owner;
    this.#peer = peer;
    s.on('data', StreamTransport.#onData);
    s.on('end', StreamTransport.#onEnd);
    s.on('error', StreamTransport.#onError);
    s.on('close', StreamTransport.#onClose);
  }

  /**
   * Calls `protocol.makeConnection(this)`; an exception there is reported and aborts the connection.
   *
   * @example
   * ```ts
   * new StreamTransport(socket, protocol, owner, peer).start();
   * ```
   */
  start(): void {
    try {
      this.#protocol.makeConnection(this);
    } catch (err) {
      this.#protocolFailed(err, 'connectionMade');
    }
  }

  /** The protocol this transport drives. */
  get protocol(): IProtocol {
    return this.#protocol;
  }

  /** True until the connection has closed and `connectionLost` was called. */
  get connected(): boolean {
    return this.#connected;
  }

  /** True once `loseConnection()` was called. */
  get disconnecting(): boolean {
    return this.#disconnecting;
  }

  /**
   * The underlying `node:net` socket, for engine code (a TLS upgrade, socket options). Writing to it
   * directly bypasses this transport's flow control and closing rules.
   *
   * @example
   * ```ts
   * const socket = (transport as StreamTransport).socket;
   * ```
   */
  get socket(): Socket {
    return this.#socket;
  }

  /** Lets the process exit while this connection is open (Node's `unref()`; see `IRefable`). */
  unref(): void {
    this.#socket.unref();
  }

  /** Undoes `unref()`: the open connection holds the process open again. */
  ref(): void {
    this.#socket.ref();
  }

  /** Bytes written and not yet handed to the kernel. */
  get bufferSize(): number {
    return this.#socket.writableLength;
  }

  /**
   * Sends bytes (strings are UTF-8). Ignored once the write side is closed. Pauses a registered
   * streaming producer when more than 64 KiB is buffered.
   *
   * @example
   * ```ts
   * this.transport.write(Buffer.from('ping\r\n'));
   * ```
   */
  write(data: Uint8Array | string): void {
    if (this.#ended || !this.#connected) return;
    if (!this.#socket.write(data)) this.#slot?.bufferFull();
    else if (this.#slot !== null) this.#slot.wrote();
  }

  /**
   * Writes several chunks corked together: one `writev` syscall.
   *
   * @example
   * ```ts
   * this.transport.writeSequence([header, body, Buffer.from('\r\n')]);
   * ```
   */
  writeSequence(data: readonly (Uint8Array | string)[]): void {
    if (this.#ended || !this.#connected) return;
    const socket = this.#socket;
    socket.cork();
    for (const chunk of data) socket.write(chunk);
    socket.uncork();
    if (socket.writableNeedDrain) this.#slot?.bufferFull();
    else if (this.#slot !== null) this.#slot.wrote();
  }

  /**
   * Closes the connection once everything written has been sent (and a registered producer has
   * unregistered). Data received afterwards is not delivered. Idempotent.
   *
   * @example
   * ```ts
   * this.transport.write('bye\r\n');
   * this.transport.loseConnection();
   * ```
   */
  loseConnection(): void {
    if (!this.#connected || this.#disconnecting) return;
    this.#disconnecting = true;
    if (this.#slot === null) this.#closeWhenFlushed();
  }

  /**
   * Sends EOF after everything written; the connection stays open for reading.
   *
   * @example
   * ```ts
   * this.transport.write(request);
   * (this.transport as ITCPTransport).loseWriteConnection(); // the server sees EOF
   * ```
   */
  loseWriteConnection(): void {
    if (!this.#connected || this.#ended) return;
    this.#end();
  }

  /**
   * Drops the connection now, discarding unsent data; `connectionLost` gets `ConnectionAborted`.
   *
   * @example
   * ```ts
   * if (tooManyErrors) this.transport.abortConnection();
   * ```
   */
  abortConnection(): void {
    if (!this.#connected) return;
    this.#aborted = true;
    this.#socket.destroy();
  }

  /**
   * The remote address.
   *
   * @example
   * ```ts
   * console.log(`connection from ${this.transport.getPeer().host}`);
   * ```
   */
  getPeer(): IPv4Address | IPv6Address {
    return this.#peer;
  }

  /**
   * The local address of this connection.
   *
   * @example
   * ```ts
   * const { port } = this.transport.getHost();
   * ```
   */
  getHost(): IPv4Address | IPv6Address {
    if (this.#host === null) {
      const info = this.#socket.address();
      this.#host = fromNodeAddress('TCP', 'address' in info ? info : null);
    }
    return this.#host;
  }

  /**
   * Enables or disables Nagle's algorithm (`true` sends small writes at once).
   *
   * @example
   * ```ts
   * transport.setTcpNoDelay(true);
   * ```
   */
  setTcpNoDelay(enabled: boolean): void {
    this.#socket.setNoDelay(enabled);
  }

  /**
   * Enables or disables TCP keep-alive probes.
   *
   * @example
   * ```ts
   * transport.setTcpKeepAlive(true);
   * ```
   */
  setTcpKeepAlive(enabled: boolean): void {
    this.#socket.setKeepAlive(enabled);
  }

  /**
   * Registers a producer: a streaming (push) producer is paused above 64 KiB buffered and resumed
   * on drain; a pull producer's `resumeProducing()` is called whenever the buffer has room. Both
   * get `stopProducing()` when the connection is lost.
   *
   * @example
   * ```ts
   * transport.registerProducer(fileProducer, false);
   * ```
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.#slot !== null) {
      throw new Error('Cannot register a producer: another producer is registered; unregister it first.');
    }
    if (!this.#connected || this.#disconnecting) {
      producer.stopProducing();
      return;
    }
    const slot = new ProducerSlot(
      producer,
      streaming,
      () => this.#connected && !this.#socket.writableNeedDrain,
    );
    this.#slot = slot;
    if (!this.#drainListening) {
      this.#drainListening = true;
      this.#socket.on('drain', StreamTransport.#onDrain);
    }
    slot.start(this.#socket.writableNeedDrain);
  }

  /**
   * Forgets the producer; completes a `loseConnection()` that was waiting for it.
   *
   * @example
   * ```ts
   * transport.unregisterProducer();
   * transport.loseConnection();
   * ```
   */
  unregisterProducer(): void {
    const slot = this.#slot;
    if (slot === null) return;
    slot.detach();
    this.#slot = null;
    if (this.#disconnecting && this.#connected) this.#closeWhenFlushed();
  }

  /**
   * Stops reading from the socket (flow control towards the peer).
   *
   * @example
   * ```ts
   * transport.pauseProducing(); // the application is busy: let TCP push back
   * ```
   */
  pauseProducing(): void {
    if (this.#connected) this.#socket.pause();
  }

  /**
   * Reads from the socket again.
   *
   * @example
   * ```ts
   * transport.resumeProducing();
   * ```
   */
  resumeProducing(): void {
    if (this.#connected && !this.#closing) this.#socket.resume();
  }

  /**
   * Closes the connection (`loseConnection()`), as a consumer does to a producer it no longer wants.
   *
   * @example
   * ```ts
   * transport.stopProducing();
   * ```
   */
  stopProducing(): void {
    this.loseConnection();
  }

  /**
   * Upgrades this connection to TLS (STARTTLS): what was written before goes out in clear, what is
   * written after is encrypted. Returns the TLS view (`getPeerCertificate()`, `negotiatedProtocol`);
   * the protocol's optional `handshakeCompleted()` runs after the handshake. See `startTLS` in tls.ts.
   *
   * @example
   * ```ts
   * this.transport.write('220 Ready to start TLS\r\n');
   * this.transport.startTLS({ key, cert }, { server: true });
   * ```
   */
  startTLS(contextOptions: TLSServerOptions | TLSClientOptions, options: StartTLSOptions = {}): TLSTransport {
    return startTLS(this, contextOptions, { protocol: this.#protocol, ...options });
  }

  /**
   * Moves this transport onto a socket layered over its current one (STARTTLS: a `tls.TLSSocket`
   * wrapping it). `wrap` receives the current socket, already detached from this transport (its
   * listeners removed, reading paused), and returns the socket used from then on; bytes written
   * before the call go out first, unchanged. Added for `startTLS` (src/internet/tls*.ts).
   *
   * @example
   * ```ts
   * transport.replaceSocket((raw) => new tls.TLSSocket(raw, { isServer: true, secureContext }));
   * ```
   */
  replaceSocket(wrap: (current: Socket) => Socket): void {
    const old = this.#socket;
    old.off('data', StreamTransport.#onData);
    old.off('end', StreamTransport.#onEnd);
    old.off('error', StreamTransport.#onError);
    old.off('close', StreamTransport.#onClose);
    old.off('drain', StreamTransport.#onDrain);
    old.pause();
    const next = wrap(old) as TransportSocket;
    next.twistedTransport = this;
    this.#socket = next;
    next.on('data', StreamTransport.#onData);
    next.on('end', StreamTransport.#onEnd);
    next.on('error', StreamTransport.#onError);
    next.on('close', StreamTransport.#onClose);
    if (this.#drainListening) next.on('drain', StreamTransport.#onDrain);
  }

  #end(): void {
    this.#ended = true;
    this.#socket.once('finish', StreamTransport.#onFinish);
    this.#socket.end();
  }

  #closeWhenFlushed(): void {
    this.#closing = true;
    if (!this.#ended) this.#end();
    else if (this.#finished) this.#release();
  }

  #protocolFailed(err: unknown, where: string): void {
    reportError(err, `${this.#protocol.constructor.name}.${where}`);
    if (!this.#connected) return;
    this.#error ??= err;
    this.#socket.destroy();
  }

  #dataReceived(data: Buffer): void {
    if (this.#disconnecting) return;
    try {
      this.#protocol.dataReceived(data);
    } catch (err) {
      this.#protocolFailed(err, 'dataReceived');
    }
  }

  #readEnded(): void {
    if (this.#closing) {
      if (this.#linger !== null) this.#socket.destroy(); // the peer's EOF a closing TLS socket waited for
      return;
    }
    if (isHalfCloseable(this.#protocol)) {
      try {
        (this.#protocol as IHalfCloseableProtocol).readConnectionLost();
      } catch (err) {
        this.#protocolFailed(err, 'readConnectionLost');
      }
      return;
    }
    // Not half-closeable: the peer's EOF ends the connection, after flushing what we wrote.
    this.#stopProducer();
    this.#disconnecting = true;
    this.#closeWhenFlushed();
  }

  #writeFinished(): void {
    this.#finished = true;
    if (this.#closing) {
      this.#release();
      return;
    }
    if (isHalfCloseable(this.#protocol)) {
      try {
        (this.#protocol as IHalfCloseableProtocol).writeConnectionLost();
      } catch (err) {
        this.#protocolFailed(err, 'writeConnectionLost');
      }
    }
  }

  #stopProducer(): void {
    const slot = this.#slot;
    if (slot === null) return;
    this.#slot = null;
    slot.stop();
  }

  /**
   * Drops the socket once a clean close has finished our write side. A TLS socket with input still
   * unread first waits for the peer's EOF (at most `TLS_LINGER_MS`): closing a socket with unread
   * input (TLS 1.3 session tickets arrive after the handshake) makes the kernel send a reset, and
   * the peer would lose what we sent last. Aborts and errors never wait.
   */
  #release(): void {
    const socket = this.#socket;
    if (this.#linger !== null) return;
    if ((socket as { encrypted?: boolean }).encrypted !== true || socket.readableEnded || socket.destroyed) {
      socket.destroy();
      return;
    }
    this.#linger = setTimeout(StreamTransport.#lingerOver, TLS_LINGER_MS, socket);
    this.#linger.unref();
    socket.resume(); // read (and drop) until the peer's EOF
  }

  #closed(): void {
    this.#connected = false;
    if (this.#linger !== null) clearTimeout(this.#linger);
    this.#linger = null;
    const reason = lossReason(this.#error, this.#aborted);
    this.#stopProducer();
    try {
      this.#protocol.connectionLost(reason);
    } catch (err) {
      reportError(err, `${this.#protocol.constructor.name}.connectionLost`);
    }
    this.#owner.transportClosed(this, reason);
  }

  // Socket listeners: `this` is the socket; one function for all connections.

  static #lingerOver(socket: Socket): void {
    socket.destroy();
  }

  static #onData(this: TransportSocket, data: Buffer): void {
    this.twistedTransport.#dataReceived(data);
  }

  static #onEnd(this: TransportSocket): void {
    this.twistedTransport.#readEnded();
  }

  static #onFinish(this: TransportSocket): void {
    this.twistedTransport.#writeFinished();
  }

  static #onDrain(this: TransportSocket): void {
    this.twistedTransport.#slot?.drained();
  }

  static #onError(this: TransportSocket, err: Error): void {
    const t = this.twistedTransport;
    t.#error ??= err;
  }

  static #onClose(this: TransportSocket): void {
    this.twistedTransport.#closed();
  }
}

/**
 * The `connectionLost` reason. Built without a stack trace: it would only show the socket's close
 * event, and capturing one costs more than the rest of closing a connection. The node error, when
 * there is one, is the `cause` (with its own stack).
 */
function lossReason(error: unknown, aborted: boolean): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    if (error !== null) {
      const message = error instanceof Error ? error.message : String(error);
      return new ConnectionLost(`Connection to the other side was lost: ${message}`, { cause: error });
    }
    return aborted ? new ConnectionAborted() : new ConnectionDone();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
