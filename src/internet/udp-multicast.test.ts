import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { IPv4Address, IPv6Address } from './interfaces.js';
import { DatagramProtocol } from './udp.js';
import {
  type ListenMulticastOptions,
  listenMulticast,
  MulticastJoinError,
  type MulticastPort,
} from './udp-multicast.js';

const GROUP = '239.255.42.99';

class Collector extends DatagramProtocol {
  #waiter: ((d: Buffer) => void) | null = null;
  override datagramReceived(data: Buffer, _addr: IPv4Address | IPv6Address): void {
    this.#waiter?.(data);
  }
  next(): Promise<Buffer> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}

function listen(
  t: TestContext,
  proto: DatagramProtocol,
  options: ListenMulticastOptions = {},
): MulticastPort {
  const port = listenMulticast(0, proto, { interface: '0.0.0.0', ...options });
  t.after(() => port.stopListening());
  return port;
}

describe('listenMulticast', () => {
  it('delivers a datagram sent to a group joined on the loopback interface', async (t) => {
    const receiver = new Collector();
    const port = listen(t, receiver);
    await port.joinGroup(GROUP, '127.0.0.1');
    const sender = listen(t, new DatagramProtocol(), { interface: '127.0.0.1' });
    await sender.setOutgoingInterface('127.0.0.1');
    assert.equal(sender.getOutgoingInterface(), '127.0.0.1');
    const got = receiver.next();
    sender.write('to the group', [GROUP, port.getHost().port]);
    assert.equal((await got).toString(), 'to the group');
  });

  it('applies the TTL and loopback mode set before the socket is bound', async (t) => {
    const port = listen(t, new DatagramProtocol());
    assert.equal(port.getTTL(), 1);
    assert.equal(port.getLoopbackMode(), true);
    port.setTTL(5);
    port.setLoopbackMode(false);
    await port.whenListening();
    assert.equal(port.getTTL(), 5);
    assert.equal(port.getLoopbackMode(), false);
    port.setTTL(7);
    assert.equal(port.getTTL(), 7);
    assert.throws(() => port.setTTL(256), RangeError);
  });

  it('leaves a joined group, and fails to leave it twice', async (t) => {
    const port = listen(t, new DatagramProtocol());
    await port.joinGroup(GROUP, '127.0.0.1');
    await port.leaveGroup(GROUP, '127.0.0.1');
    await assert.rejects(port.leaveGroup(GROUP, '127.0.0.1').asPromise(), MulticastJoinError);
  });

  it('errbacks joinGroup with MulticastJoinError for a name or a unicast address', async (t) => {
    const port = listen(t, new DatagramProtocol());
    await assert.rejects(port.joinGroup('not-an-ip').asPromise(), MulticastJoinError);
    await assert.rejects(port.joinGroup('127.0.0.1').asPromise(), MulticastJoinError);
  });

  it('errbacks joinGroup once the port is closed', async (t) => {
    const port = listen(t, new DatagramProtocol());
    await port.whenListening();
    await port.stopListening();
    await assert.rejects(port.joinGroup(GROUP).asPromise(), /closed/);
  });

  it('lets two ports bind the same port number with listenMultiple', async (t) => {
    const first = listen(t, new DatagramProtocol(), { listenMultiple: true });
    await first.whenListening();
    const second = listenMulticast(first.getHost().port, new DatagramProtocol(), {
      interface: '0.0.0.0',
      listenMultiple: true,
    });
    t.after(() => second.stopListening());
    await second.whenListening();
    assert.equal(second.getHost().port, first.getHost().port);
  });
});
