import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { CannotListenError } from './error.js';
import { setErrorReporter } from './error-reporter.js';
import type { IPv4Address, IPv6Address, SystemEvent, SystemEventPhase } from './interfaces.js';
import {
  DatagramProtocol,
  InvalidAddressError,
  type ListenUDPOptions,
  listenUDP,
  MessageLengthError,
  type ShutdownTriggers,
  type UDPPort,
} from './udp.js';

type Addr = IPv4Address | IPv6Address;

/** Records datagrams; `next()` waits for the next one. */
class Collector extends DatagramProtocol {
  readonly events: string[] = [];
  readonly received: [Buffer, Addr][] = [];
  #waiters: ((d: [Buffer, Addr]) => void)[] = [];
  refused = 0;
  #onRefused: (() => void) | null = null;
  override startProtocol(): void {
    this.events.push('start');
  }
  override stopProtocol(): void {
    this.events.push('stop');
  }
  override datagramReceived(data: Buffer, addr: Addr): void {
    const w = this.#waiters.shift();
    if (w !== undefined) w([data, addr]);
    else this.received.push([data, addr]);
  }
  override connectionRefused(): void {
    this.refused++;
    this.#onRefused?.();
  }
  next(): Promise<[Buffer, Addr]> {
    const ready = this.received.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
  whenRefused(): Promise<void> {
    return new Promise((resolve) => {
      this.#onRefused = resolve;
    });
  }
}

class Echo extends DatagramProtocol {
  override datagramReceived(data: Buffer, addr: Addr): void {
    this.transport!.write(data, [addr.host, addr.port]);
  }
}

async function listen(
  t: TestContext,
  proto: DatagramProtocol,
  options: ListenUDPOptions = { interface: '127.0.0.1' },
): Promise<UDPPort> {
  const port = listenUDP(0, proto, options);
  t.after(() => port.stopListening());
  await port.whenListening();
  return port;
}

describe('listenUDP', () => {
  it('echoes a datagram between two loopback ports and reports the sender address', async (t) => {
    const server = await listen(t, new Echo());
    const client = new Collector();
    const clientPort = await listen(t, client);
    client.transport!.write('ping', ['127.0.0.1', server.getHost().port]);
    const [data, addr] = await client.next();
    assert.equal(data.toString(), 'ping');
    assert.deepEqual(addr, { type: 'UDP', family: 'IPv4', host: '127.0.0.1', port: server.getHost().port });
    assert.equal(clientPort.getHost().host, '127.0.0.1');
  });

  it('works over IPv6 when the interface contains a colon', async (t) => {
    const server = await listen(t, new Echo(), { interface: '::1' });
    const client = new Collector();
    const clientPort = await listen(t, client, { interface: '::1' });
    assert.equal(clientPort.getHost().family, 'IPv6');
    client.transport!.write(Buffer.from('six'), ['::1', server.getHost().port]);
    const [data, addr] = await client.next();
    assert.equal(data.toString(), 'six');
    assert.equal(addr.family, 'IPv6');
    assert.equal(addr.host, '::1');
  });

  it('calls startProtocol once bound and stopProtocol after stopListening, then clears the transport', async () => {
    const proto = new Collector();
    const port = listenUDP(0, proto, { interface: '127.0.0.1' });
    assert.deepEqual(proto.events, []);
    assert.equal(port.getHost().port, 0);
    await port.whenListening();
    assert.deepEqual(proto.events, ['start']);
    assert.equal(proto.transport, port);
    assert.notEqual(port.getHost().port, 0);
    await port.stopListening();
    assert.deepEqual(proto.events, ['start', 'stop']);
    assert.equal(proto.transport, null);
    assert.equal(port.stopListening(), port.stopListening());
  });

  it('truncates datagrams longer than maxPacketSize', async (t) => {
    const proto = new Collector();
    const port = await listen(t, proto, { interface: '127.0.0.1', maxPacketSize: 4 });
    const sender = await listen(t, new DatagramProtocol());
    sender.write('abcdefgh', ['127.0.0.1', port.getHost().port]);
    const [data] = await proto.next();
    assert.equal(data.toString(), 'abcd');
  });

  it('rejects a host name, a wrong-family address, a missing address and an oversized datagram', async (t) => {
    const port = await listen(t, new DatagramProtocol());
    assert.throws(() => port.write('x', ['localhost', 1]), InvalidAddressError);
    assert.throws(() => port.write('x', ['::1', 1]), InvalidAddressError);
    assert.throws(() => port.write('x'), InvalidAddressError);
    assert.throws(() => port.write(Buffer.alloc(70_000), ['127.0.0.1', 1]), MessageLengthError);
  });

  it('errbacks whenListening with CannotListenError when the port is taken', async (t) => {
    const first = await listen(t, new DatagramProtocol());
    const proto = new Collector();
    const second = listenUDP(first.getHost().port, proto, { interface: '127.0.0.1' });
    await assert.rejects(second.whenListening().asPromise(), CannotListenError);
    assert.deepEqual(proto.events, []);
    await second.stopListening();
  });

  it('remembers whether broadcast is allowed', async (t) => {
    const port = await listen(t, new DatagramProtocol());
    assert.equal(port.getBroadcastAllowed(), false);
    port.setBroadcastAllowed(true);
    assert.equal(port.getBroadcastAllowed(), true);
  });

  it('reports an exception from datagramReceived and keeps receiving', async (t) => {
    const seen: unknown[] = [];
    const previous = setErrorReporter((err) => seen.push(err));
    t.after(() => setErrorReporter(previous));
    const proto = new Collector();
    let first = true;
    const original = proto.datagramReceived.bind(proto);
    proto.datagramReceived = (data, addr) => {
      if (first) {
        first = false;
        throw new Error('boom');
      }
      original(data, addr);
    };
    const port = await listen(t, proto);
    const sender = await listen(t, new DatagramProtocol());
    sender.write('one', ['127.0.0.1', port.getHost().port]);
    sender.write('two', ['127.0.0.1', port.getHost().port]);
    const [data] = await proto.next();
    assert.equal(data.toString(), 'two');
    assert.equal((seen[0] as Error).message, 'boom');
  });

  it("closes the port from the reactor's during-shutdown trigger, and removes the trigger when stopped first", async () => {
    let nextId = 1;
    const triggers = new Map<number, () => unknown>();
    const reactor: ShutdownTriggers = {
      addSystemEventTrigger<A extends unknown[]>(
        phase: SystemEventPhase,
        event: SystemEvent,
        f: (...a: A) => unknown,
        ...args: A
      ) {
        assert.equal(`${phase} ${event}`, 'during shutdown');
        const id = nextId++;
        triggers.set(id, () => {
          triggers.delete(id);
          return f(...args);
        });
        return id;
      },
      removeSystemEventTrigger(id: number) {
        assert.ok(triggers.delete(id), `trigger ${id} is pending`);
      },
    };
    const proto = new Collector();
    const port = listenUDP(0, proto, { interface: '127.0.0.1', reactor });
    await port.whenListening();
    const early = listenUDP(0, new DatagramProtocol(), { interface: '127.0.0.1', reactor });
    await early.whenListening();
    assert.equal(triggers.size, 2);
    await early.stopListening();
    assert.equal(triggers.size, 1);
    const stopped = [...triggers.values()][0]!();
    await (stopped as PromiseLike<void>);
    assert.deepEqual(proto.events, ['start', 'stop']);
    assert.equal(port.listening, false);
    await port.stopListening();
  });
});

describe('connected UDP transport', () => {
  it('writes without an address and receives only from its peer', async (t) => {
    const server = await listen(t, new Echo());
    const stranger = await listen(t, new DatagramProtocol());
    const client = new Collector();
    const port = await listen(t, client);
    port.connect('127.0.0.1', server.getHost().port);
    stranger.write('noise', ['127.0.0.1', port.getHost().port]);
    port.write('hello');
    const [data, addr] = await client.next();
    assert.equal(data.toString(), 'hello');
    assert.equal(addr.port, server.getHost().port);
  });

  it('refuses an address on write, a second connect and a host name', async (t) => {
    const port = await listen(t, new DatagramProtocol());
    assert.throws(() => port.connect('localhost', 9), InvalidAddressError);
    port.connect('127.0.0.1', 9);
    assert.throws(() => port.write('x', ['127.0.0.1', 9]), InvalidAddressError);
    assert.throws(() => port.connect('127.0.0.1', 10), /Already connected/);
  });

  it('calls connectionRefused when the peer port is closed', async (t) => {
    const gone = await listen(t, new DatagramProtocol());
    const deadPort = gone.getHost().port;
    await gone.stopListening();
    const client = new Collector();
    const port = await listen(t, client);
    port.connect('127.0.0.1', deadPort);
    const refused = client.whenRefused();
    // The ICMP answer to one datagram surfaces on a later send: keep sending until it does.
    let sending = true;
    const pump = (): void => {
      if (!sending) return;
      port.write('anyone?');
      setImmediate(pump);
    };
    pump();
    await refused;
    sending = false;
    assert.ok(client.refused >= 1);
  });
});
