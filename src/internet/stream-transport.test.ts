import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { IListeningPort, IPullProducer, IPushProducer, ITransport } from './interfaces.js';
import { Protocol } from './protocol.js';
import { NodeReactor } from './reactor.js';
import { HIGH_WATER_MARK, type StreamTransport } from './stream-transport.js';
import { CollectingFactory, Recorder, RecordingClientFactory, waiter } from './tcp.test-helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  await reactor.fireSystemEvent('shutdown');
});

async function pair<S extends Protocol>(make: () => S): Promise<{ server: S; client: Recorder }> {
  const factory = new CollectingFactory(make);
  const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
  ports.push(port);
  const cf = new RecordingClientFactory(() => new Recorder());
  reactor.connectTCP('127.0.0.1', (port.getHost() as { port: number }).port, cf);
  const client = await cf.nth();
  await client.madeW.promise;
  return { server: await factory.nth(0), client };
}

/** A push producer writing 64 KiB chunks while not paused, `total` bytes in all. */
class FastProducer implements IPushProducer {
  readonly #transport: ITransport;
  readonly #chunk = Buffer.alloc(64 * 1024, 0x61);
  sent = 0;
  paused = false;
  pauses = 0;
  resumes = 0;
  stopped = false;
  maxBufferedAtPause = 0;
  readonly pausedW = waiter<void>();

  constructor(
    transport: ITransport,
    readonly total: number,
  ) {
    this.#transport = transport;
  }

  pauseProducing(): void {
    this.paused = true;
    this.pauses++;
    this.maxBufferedAtPause = Math.max(
      this.maxBufferedAtPause,
      (this.#transport as StreamTransport).bufferSize,
    );
    this.pausedW.resolve();
  }

  resumeProducing(): void {
    this.paused = false;
    this.resumes++;
    this.produce();
  }

  stopProducing(): void {
    this.stopped = true;
  }

  produce(): void {
    while (!this.paused && !this.stopped && this.sent < this.total) {
      this.sent += this.#chunk.length;
      this.#transport.write(this.#chunk);
    }
    if (this.sent >= this.total && !this.stopped) {
      this.stopped = true;
      this.#transport.unregisterProducer();
      this.#transport.loseConnection();
    }
  }
}

describe('StreamTransport as a consumer', () => {
  it('pauses a streaming producer above 64 KiB buffered and resumes it on drain', async () => {
    let producer: FastProducer | null = null;
    class Server extends Protocol {
      override connectionMade(): void {
        producer = new FastProducer(this.transport!, 8 * 1024 * 1024);
        this.transport!.registerProducer(producer, true);
      }
    }
    const { client } = await pair(() => new Server());
    client.tcp.pauseProducing();
    producer!.produce();
    await producer!.pausedW.promise;
    assert.ok(producer!.sent < producer!.total, 'paused before the end');
    assert.ok(producer!.maxBufferedAtPause >= HIGH_WATER_MARK);
    client.tcp.resumeProducing();
    await client.lostW.promise;
    assert.equal(client.received, 8 * 1024 * 1024);
    assert.ok(producer!.resumes >= 1);
  });

  it('pulls a non-streaming producer chunk by chunk until it unregisters', async () => {
    class Pull implements IPullProducer {
      count = 0;
      constructor(readonly transport: ITransport) {}
      resumeProducing(): void {
        this.count++;
        this.transport.write(Buffer.alloc(10_000, this.count));
        if (this.count === 200) {
          this.transport.unregisterProducer();
          this.transport.loseConnection();
        }
      }
      stopProducing(): void {}
    }
    class Server extends Protocol {
      override connectionMade(): void {
        this.transport!.registerProducer(new Pull(this.transport!), false);
      }
    }
    const { client } = await pair(() => new Server());
    await client.lostW.promise;
    assert.equal(client.received, 2_000_000);
    const data = client.data;
    assert.equal(data[0], 1);
    assert.equal(data[data.length - 1], 200);
  });

  it('refuses a second producer while one is registered', async () => {
    const stub: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    const { server } = await pair(() => new Recorder());
    server.transport!.registerProducer(stub, true);
    assert.throws(() => server.transport!.registerProducer(stub, true), /another producer/);
    server.transport!.unregisterProducer();
  });

  it('stops the producer when the connection is lost', async () => {
    const stopped = waiter<void>();
    const producer: IPushProducer = {
      pauseProducing() {},
      resumeProducing() {},
      stopProducing: () => stopped.resolve(),
    };
    const { server, client } = await pair(() => new Recorder());
    server.transport!.registerProducer(producer, true);
    client.transport!.abortConnection();
    await stopped.promise;
    await server.lostW.promise;
  });

  it('waits for the producer to unregister before closing on loseConnection', async () => {
    const producer: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    const { server, client } = await pair(() => new Recorder());
    const t = server.transport!;
    t.registerProducer(producer, true);
    t.write('one ');
    t.loseConnection();
    client.expect = 4;
    await client.enoughW.promise;
    assert.equal(server.connected, true);
    t.write('two');
    t.unregisterProducer();
    await client.lostW.promise;
    assert.equal(client.data.toString(), 'one two');
  });
});

describe('StreamTransport as a producer', () => {
  it('closes the connection on stopProducing', async () => {
    const { server, client } = await pair(() => new Recorder());
    server.tcp.stopProducing();
    await client.lostW.promise;
    await server.lostW.promise;
    assert.equal(server.tcp.disconnecting, true);
  });
});
