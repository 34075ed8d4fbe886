/**
 * The stream transport compliance suite: what every TCP-like transport (TCP, TLS, UNIX sockets,
 * the in-memory pair) must do — deliver bytes in order, flush before a clean close, report
 * aborts, half-close, and flow control in both directions. It is written against an abstract
 * `listen`/`connect` pair, so each transport's runner is a few lines. The tests wait on
 * Deferreds fired by the protocols, never on time; each has a generous real-time guard.
 *
 * @example
 * ```ts
 * import { defineStreamTransportTests } from 'twisted-ts/testing';
 * defineStreamTransportTests({
 *   name: 'TCP',
 *   listen: async (factory) => reactor.listenTCP(0, factory, { interface: '127.0.0.1' }),
 *   connect: (port, factory) => { reactor.connectTCP('127.0.0.1', portNumber(port), factory); },
 *   stopListening: (port) => port.stopListening(),
 * });
 * ```
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../../internet/defer.js';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from '../../internet/error.js';
import type { IClientFactory, IProtocolFactory, IPushProducer } from '../../internet/interfaces.js';
import { HalfCloseablePeer, Peer, PeerFactory, type PeerHooks } from './peer.js';

/**
 * How the stream suite makes connections. `L` is whatever `listen` returns (a port, a path…).
 *
 * @example
 * ```ts
 * const reactor = new NodeReactor({ installSignalHandlers: false });
 * defineStreamTransportTests<IListeningPort>({
 *   name: 'UNIX sockets',
 *   listen: async (factory) => reactor.listenUNIX('/tmp/suite.sock', factory),
 *   connect: (_port, factory) => { reactor.connectUNIX('/tmp/suite.sock', factory); },
 *   stopListening: async (port) => { await port.stopListening(); },
 * });
 * ```
 */
export interface StreamTransportSetup<L> {
  /** Names the `describe` block. */
  readonly name: string;
  /** Starts accepting connections for `factory`. */
  listen(factory: IProtocolFactory): Promise<L>;
  /** Connects `factory` to what `listen` returned. */
  connect(listening: L, factory: IClientFactory): void | Promise<void>;
  /** Stops accepting (after each test). */
  stopListening?(listening: L): void | Promise<void>;
  /** Most bytes the flow-control test writes while waiting to be paused (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Real-time guard per test, in ms (default 20 000). */
  timeoutMs?: number;
}

const chunkSize = 64 * 1024;

/** Bytes `0, 1, …, 250, 0, …`: a pattern where a lost or reordered chunk shows. */
function pattern(length: number, offset = 0): Buffer {
  const b = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) b[i] = (offset + i) % 251;
  return b;
}

/** Lets the event loop turn a few times. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function assertNotClean(reason: Error | undefined, who: string): void {
  assert.ok(reason !== undefined, `${who}: connectionLost was not called`);
  assert.ok(
    reason instanceof ConnectionLost || reason instanceof ConnectionAborted,
    `${who}: expected ConnectionLost or ConnectionAborted, got ${reason.name}: ${reason.message}`,
  );
}

/** Compares bytes, saying where they first differ (a reordered or lost chunk shows at once). */
function assertSameBytes(actual: Buffer, expected: Buffer, who: string): void {
  if (actual.equals(expected)) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  assert.fail(
    `${who}: received ${actual.length} bytes, expected ${expected.length}; first difference at offset ${i}: ` +
      `got ${actual.subarray(i, i + 8).toString('hex') || '(end)'}, expected ${expected.subarray(i, i + 8).toString('hex') || '(end)'}`,
  );
}

function assertClean(reason: Error, who: string): void {
  assert.ok(
    reason instanceof ConnectionDone,
    `${who}: expected ConnectionDone, got ${reason.name}: ${reason.message}`,
  );
}

/**
 * Defines the stream transport compliance tests for `setup`.
 *
 * @example
 * ```ts
 * defineStreamTransportTests(memoryStreamSetup());
 * ```
 */
export function defineStreamTransportTests<L>(setup: StreamTransportSetup<L>): void {
  const timeout = setup.timeoutMs ?? 20_000;
  const maxBuffered = setup.maxBufferedBytes ?? 64 * 1024 * 1024;

  /** Listens, connects one client, runs `body`, and cleans up even when it fails. */
  async function withPair<S extends Peer, C extends Peer>(
    makeServer: () => S,
    makeClient: () => C,
    body: (server: S, client: C, more: () => Promise<[S, C]>) => Promise<void>,
  ): Promise<void> {
    const serverFactory = new PeerFactory(makeServer);
    const clientFactory = new PeerFactory(makeClient);
    const listening = await setup.listen(serverFactory);
    const connectOne = async (): Promise<[S, C]> => {
      const s = serverFactory.next();
      const c = clientFactory.next();
      await setup.connect(listening, clientFactory);
      return [await s, await c];
    };
    try {
      const [server, client] = await connectOne();
      await body(server, client, connectOne);
    } finally {
      for (const p of [...serverFactory.built, ...clientFactory.built]) {
        if (p.connected && p.transport !== null) p.transport.abortConnection();
      }
      await setup.stopListening?.(listening);
    }
  }

  describe(`stream transport compliance: ${setup.name}`, () => {
    it('connects and echoes bytes, then closes cleanly on both sides', { timeout }, () =>
      withPair(
        () => new Peer({ onData: (p, data) => p.stream.write(data) }),
        () => new Peer({ onMade: (p) => p.stream.write('hello') }),
        async (server, client) => {
          assert.equal((await client.receivedAtLeast(5)).toString(), 'hello');
          client.stream.loseConnection();
          assertClean(await client.lost, 'client');
          assertClean(await server.lost, 'server');
          assert.equal(server.data.toString(), 'hello');
          assert.equal(client.lostCount, 1);
          assert.equal(server.lostCount, 1);
        },
      ),
    );

    it('delivers everything written, in order, whatever mix of write and writeSequence', { timeout }, () => {
      const parts: Buffer[] = [];
      return withPair(
        () => new Peer(),
        () =>
          new Peer({
            onMade: (p) => {
              for (let i = 0; i < 200; i++) {
                const piece = pattern(1 + ((i * 7919) % 3000), i);
                parts.push(piece);
                if (i % 3 === 0) p.stream.write(piece);
                else if (i % 3 === 1) p.stream.write(new Uint8Array(piece));
                else p.stream.writeSequence([piece.subarray(0, 1), piece.subarray(1)]);
              }
              p.stream.write('end');
              p.stream.loseConnection();
            },
          }),
        async (server) => {
          await server.lost;
          assertSameBytes(server.data, Buffer.concat([...parts, Buffer.from('end')]), 'server');
        },
      );
    });

    it('flushes pending writes before closing on loseConnection, with ConnectionDone on both sides', {
      timeout,
    }, () => {
      const size = 4 * 1024 * 1024;
      return withPair(
        () =>
          new Peer({
            onMade: (p) => {
              for (let off = 0; off < size; off += chunkSize) p.stream.write(pattern(chunkSize, off));
              p.stream.loseConnection();
            },
          }),
        () => new Peer(),
        async (server, client) => {
          assertClean(await client.lost, 'client');
          assertClean(await server.lost, 'server');
          assert.equal(client.receivedLength, size);
          assertSameBytes(client.data, pattern(size), 'client');
        },
      );
    });

    it(
      'reports ConnectionDone exactly once per side when both close, even if loseConnection is called twice',
      { timeout },
      () =>
        withPair(
          () => new Peer({ onData: (p) => p.stream.loseConnection() }),
          () =>
            new Peer({
              onMade: (p) => {
                p.stream.write('x');
                p.stream.loseConnection();
                p.stream.loseConnection();
              },
            }),
          async (server, client) => {
            assertClean(await client.lost, 'client');
            assertClean(await server.lost, 'server');
            await turns();
            assert.equal(client.lostCount, 1);
            assert.equal(server.lostCount, 1);
            assert.equal(client.stream.disconnecting, true);
          },
        ),
    );

    it('drops the connection on abortConnection and reports a non-clean close', { timeout }, () =>
      withPair(
        () => new Peer({ onMade: (p) => p.stream.abortConnection() }),
        () => new Peer(),
        async (server, client) => {
          assertNotClean(await server.lost, 'server');
          await client.lost;
          assert.equal(server.lostCount, 1);
          assert.equal(client.lostCount, 1);
        },
      ),
    );

    it('half-closes: readConnectionLost on the reader, which can still write back', { timeout }, () =>
      withPair(
        () =>
          new HalfCloseablePeer({
            onReadConnectionLost: (p) => {
              p.stream.write(`got:${p.data.toString()}`);
              p.stream.loseConnection();
            },
          }),
        () =>
          new HalfCloseablePeer({
            onMade: (p) => {
              p.stream.write('request');
              p.stream.loseWriteConnection();
            },
          }),
        async (server, client) => {
          assertClean(await client.lost, 'client');
          assertClean(await server.lost, 'server');
          assert.equal(client.data.toString(), 'got:request');
          assert.deepEqual(server.events, ['made', 'data', 'readConnectionLost', 'lost']);
          assert.deepEqual(client.events, [
            'made',
            'writeConnectionLost',
            'data',
            'readConnectionLost',
            'lost',
          ]);
        },
      ),
    );

    it('closes cleanly when the peer half-closes and the protocol is not half-closeable', { timeout }, () =>
      withPair(
        () => new Peer(),
        () =>
          new HalfCloseablePeer({
            onMade: (p) => {
              p.stream.write('bye');
              p.stream.loseWriteConnection();
            },
          }),
        async (server, client) => {
          assertClean(await server.lost, 'server');
          assertClean(await client.lost, 'client');
          assert.equal(server.data.toString(), 'bye');
          assert.deepEqual(client.events, ['made', 'writeConnectionLost', 'readConnectionLost', 'lost']);
        },
      ),
    );

    it('pauses a streaming producer above the high-water mark and resumes it once drained', {
      timeout,
    }, () => {
      let written = 0;
      let paused = false;
      const pausedD = new Deferred<void>();
      const resumedD = new Deferred<void>();
      const producer: IPushProducer = {
        pauseProducing: () => {
          paused = true;
          if (!pausedD.called) pausedD.callback(undefined);
        },
        resumeProducing: () => {
          paused = false;
          if (pausedD.called && !resumedD.called) resumedD.callback(undefined);
        },
        stopProducing: () => {},
      };
      const hooks: PeerHooks = {
        onMade: (p) => {
          p.stream.registerProducer(producer, true);
          while (!paused && written < maxBuffered) {
            p.stream.write(pattern(chunkSize, written));
            written += chunkSize;
          }
        },
      };
      return withPair(
        () => new Peer(hooks),
        () => new Peer({ onMade: (p) => p.stream.pauseProducing() }),
        async (server, client) => {
          assert.ok(paused, `the producer was never paused after ${written} bytes`);
          await pausedD;
          client.stream.resumeProducing();
          await resumedD;
          server.stream.unregisterProducer();
          server.stream.loseConnection();
          assertClean(await client.lost, 'client');
          assert.equal(client.receivedLength, written);
          assertSameBytes(client.data, pattern(written), 'client');
        },
      );
    });

    it('asks a pull producer for each chunk until it unregisters', { timeout }, () => {
      const chunks = 20;
      return withPair(
        () =>
          new Peer({
            onMade: (p) => {
              let n = 0;
              p.stream.registerProducer(
                {
                  resumeProducing: () => {
                    if (n === chunks) {
                      n++;
                      p.stream.unregisterProducer();
                      p.stream.loseConnection();
                    } else if (n < chunks) {
                      p.stream.write(pattern(1000, 1000 * n++));
                    }
                  },
                  stopProducing: () => {},
                },
                false,
              );
            },
          }),
        () => new Peer(),
        async (_server, client) => {
          assertClean(await client.lost, 'client');
          assertSameBytes(client.data, pattern(chunks * 1000), 'client');
        },
      );
    });

    it('stops calling dataReceived while the transport is paused, until resumeProducing', { timeout }, () => {
      let first = true;
      return withPair(
        () =>
          new Peer({
            onMade: (p) => {
              if (first) {
                first = false;
                p.stream.pauseProducing();
                p.stream.write('paused');
              }
            },
            onData: (p, data) => {
              if (data.includes('ping')) p.stream.write('pong');
            },
          }),
        () => new Peer({ onData: (p, data) => data.toString().includes('paused') && p.stream.write('data') }),
        async (pausedServer, pausedClient, more) => {
          await pausedClient.receivedAtLeast(6);
          // A second connection round-trips twice: by then the paused one would have seen 'data'.
          const [witness, witnessClient] = await more();
          witnessClient.stream.write('ping');
          await witnessClient.receivedAtLeast(4);
          witnessClient.stream.write('ping');
          await witnessClient.receivedAtLeast(8);
          await turns();
          assert.equal(pausedServer.receivedLength, 0, 'dataReceived was called while paused');
          assert.ok(witness.receivedLength >= 8);
          pausedServer.stream.resumeProducing();
          assert.equal((await pausedServer.receivedAtLeast(4)).toString(), 'data');
        },
      );
    });
  });
}
