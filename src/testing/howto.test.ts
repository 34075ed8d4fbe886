// The examples of docs/howto/testing.md, run as tests; the last test checks the page still
// shows exactly this code (imports aside), so the documentation cannot drift from what works.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { ConnectionDone } from '../internet/error.js';
import type { IDelayedCall, IReactorTCP, IReactorTime } from '../internet/interfaces.js';
import { ClientFactory, Protocol } from '../internet/protocol.js';
import {
  AccumulatingProtocol,
  assertNoResult,
  Clock,
  connectedServerAndClient,
  failureResultOf,
  MemoryReactor,
  StringTransport,
  successResultOf,
} from './index.js';

describe('docs/howto/testing.md examples', () => {
  class Upper extends Protocol {
    override dataReceived(data: Buffer): void {
      this.transport!.write(data.toString().toUpperCase());
    }
  }

  it('answers in upper case', () => {
    const proto = new Upper();
    const transport = new StringTransport();
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from('hello'));
    assert.equal(transport.value().toString(), 'HELLO');
  });

  class IdleTimeout extends Protocol {
    #timer: IDelayedCall | null = null;
    constructor(
      readonly clock: IReactorTime,
      readonly seconds: number,
    ) {
      super();
    }
    override connectionMade(): void {
      this.#timer = this.clock.callLater(this.seconds, () => this.transport!.loseConnection());
    }
    override dataReceived(_data: Buffer): void {
      this.#timer?.reset(this.seconds);
    }
    override connectionLost(reason: Error): void {
      if (this.#timer?.active()) this.#timer.cancel();
      super.connectionLost(reason);
    }
  }

  it('hangs up after 10 idle seconds, counted from the last data', () => {
    const clock = new Clock();
    const transport = new StringTransport();
    const proto = new IdleTimeout(clock, 10);
    proto.makeConnection(transport);
    clock.advance(9);
    proto.dataReceived(Buffer.from('still here'));
    clock.advance(9);
    assert.equal(transport.disconnecting, false);
    clock.advance(1);
    assert.equal(transport.disconnecting, true);
    assert.deepEqual(clock.getDelayedCalls(), []);
  });

  class Pinger extends Protocol {
    #waiting: Deferred<string>[] = [];
    ping(): Deferred<string> {
      const d = new Deferred<string>();
      this.#waiting.push(d);
      this.transport!.write('PING\n');
      return d;
    }
    override dataReceived(data: Buffer): void {
      this.#waiting.shift()?.callback(data.toString().trim());
    }
    override connectionLost(reason: Error): void {
      for (const d of this.#waiting.splice(0)) d.errback(reason);
      super.connectionLost(reason);
    }
  }

  it('fires the ping Deferred with the answer, and fails it when the connection closes', () => {
    const proto = new Pinger();
    proto.makeConnection(new StringTransport());
    const first = proto.ping();
    assertNoResult(first);
    proto.dataReceived(Buffer.from('PONG\n'));
    assert.equal(successResultOf(first), 'PONG');

    const second = proto.ping();
    proto.connectionLost(new ConnectionDone());
    const err = failureResultOf(second, ConnectionDone);
    assert.equal(err.code, 'ERR_CONNECTION_DONE');
  });

  function startClient(reactor: IReactorTCP, factory: ClientFactory): void {
    reactor.connectTCP('irc.example.org', 6667, factory, { timeout: 15 });
  }

  it('connects to the IRC server, and the protocol it builds greets it', () => {
    const reactor = new MemoryReactor();
    startClient(reactor, ClientFactory.forProtocol(Upper));
    const [host, port, factory, timeout] = reactor.tcpClients[0]!;
    assert.deepEqual([host, port, timeout], ['irc.example.org', 6667, 15]);

    const proto = factory.buildProtocol(reactor.connectors[0]!.getDestination())!;
    const transport = new StringTransport();
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from('hi'));
    assert.equal(transport.value().toString(), 'HI');
  });

  class Echo extends Protocol {
    override dataReceived(data: Buffer): void {
      this.transport!.write(data);
    }
  }

  it('echoes what the client sends, then both sides see a clean close', () => {
    const { client, server, pump } = connectedServerAndClient(new Echo(), new AccumulatingProtocol());
    client.transport!.write('ping');
    pump.flush();
    assert.equal(client.data.toString(), 'ping');

    client.transport!.loseConnection();
    pump.flush();
    assert.ok(client.closedReason instanceof ConnectionDone);
    assert.equal(server.connected, false);
  });

  it('match the code shown on the page', () => {
    const page = readFileSync(new URL('../../docs/howto/testing.md', import.meta.url), 'utf8');
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    const normalize = (text: string): string[] =>
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const mine = normalize(self).join('\n');
    const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    const examples = blocks.filter((b) => /^it\(/m.test(b));
    assert.ok(examples.length >= 5, `expected the page's examples, found ${examples.length}`);
    for (const block of examples) {
      const lines = normalize(block).join('\n');
      assert.ok(mine.includes(lines), `this example on the page is not in howto.test.ts:\n${block}`);
    }
  });
});
