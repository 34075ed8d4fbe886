import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPv4Address, IPv6Address } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { DatagramProtocol, listenUDP } from '../../../src/internet/udp.js';

class PingPong extends DatagramProtocol {
  readonly log: string[] = [];
  override startProtocol(): void {
    this.log.push('start');
  }
  override stopProtocol(): void {
    this.log.push('stop');
  }
  override datagramReceived(data: Buffer, addr: IPv4Address | IPv6Address): void {
    this.log.push(data.toString());
    if (data.toString() === 'ping') this.transport!.write('pong', [addr.host, addr.port]);
  }
}

describe('UDP ports and the reactor', () => {
  it('exchange datagrams while the reactor runs and are closed by its shutdown', async () => {
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const server = new PingPong();
    const client = new PingPong();
    const serverPort = listenUDP(0, server, { interface: '127.0.0.1', reactor });
    const clientPort = listenUDP(0, client, { interface: '127.0.0.1', reactor });
    reactor.callWhenRunning(async () => {
      await serverPort.whenListening();
      await clientPort.whenListening();
      const original = client.datagramReceived.bind(client);
      client.datagramReceived = (data, addr) => {
        original(data, addr);
        reactor.stop();
      };
      clientPort.write('ping', ['127.0.0.1', serverPort.getHost().port]);
    });
    await reactor.run();
    assert.deepEqual(server.log, ['start', 'ping', 'stop']);
    assert.deepEqual(client.log, ['start', 'pong', 'stop']);
    assert.equal(serverPort.listening, false);
  });
});
