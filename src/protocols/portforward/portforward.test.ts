import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ConnectionDone, ConnectionRefusedError } from '../../internet/error.js';
import type { IAddress, IClientFactory, IConnector } from '../../internet/interfaces.js';
import { AccumulatingProtocol } from '../../testing/accumulating-protocol.js';
import { connectedServerAndClient } from '../../testing/iosim.js';
import { MemoryReactor } from '../../testing/memory-reactor.js';
import { StringTransport } from '../../testing/string-transport.js';
import { Chargen, ChargenFactory, chargenLine } from '../wire/chargen.js';
import { type ProxyClient, ProxyFactory, type ProxyServer } from './portforward.js';

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1 } as IAddress;

function accept() {
  const reactor = new MemoryReactor();
  const factory = new ProxyFactory('backend.example', 7000, { reactor });
  const server = factory.buildProtocol(addr) as ProxyServer;
  const serverTr = new StringTransport();
  server.makeConnection(serverTr);
  const record = reactor.tcpClients[0];
  assert.ok(record);
  const clientFactory = record[2] as IClientFactory;
  return { reactor, server, serverTr, record, clientFactory };
}

function connectBackend(clientFactory: IClientFactory) {
  const client = clientFactory.buildProtocol(addr) as ProxyClient;
  const clientTr = new StringTransport();
  client.makeConnection(clientTr);
  return { client, clientTr };
}

describe('ProxyFactory', () => {
  it('pauses the accepted side and connects to the destination', () => {
    const { serverTr, record } = accept();
    assert.equal(serverTr.producerState, 'paused');
    assert.equal(record[0], 'backend.example');
    assert.equal(record[1], 7000);
  });

  it('once connected, relays both ways and registers each transport as the producer of the other', () => {
    const { server, serverTr, clientFactory } = accept();
    const { client, clientTr } = connectBackend(clientFactory);
    assert.equal(serverTr.producerState, 'producing');
    assert.equal(serverTr.producer, clientTr);
    assert.equal(clientTr.producer, serverTr);
    assert.equal(serverTr.streaming, true);
    server.dataReceived(Buffer.from('to backend'));
    client.dataReceived(Buffer.from('to client'));
    assert.equal(clientTr.value().toString(), 'to backend');
    assert.equal(serverTr.value().toString(), 'to client');
  });

  it('passes an EOF from either side on as a half-close of the other', () => {
    const { server, serverTr, clientFactory } = accept();
    const { client, clientTr } = connectBackend(clientFactory);
    server.readConnectionLost();
    assert.equal(clientTr.writeDisconnecting, true);
    assert.equal(clientTr.disconnecting, false);
    client.readConnectionLost();
    assert.equal(serverTr.writeDisconnecting, true);
  });

  it('closes the other side, unregistering itself as its producer, when one side is lost', () => {
    const { serverTr, clientFactory } = accept();
    const { client } = connectBackend(clientFactory);
    client.connectionLost(new ConnectionDone());
    assert.equal(serverTr.producer, null);
    assert.equal(serverTr.disconnecting, true);
  });

  it('closes the accepted side when the destination cannot be reached', () => {
    const { serverTr, clientFactory } = accept();
    clientFactory.clientConnectionFailed({} as IConnector, new ConnectionRefusedError());
    assert.equal(serverTr.disconnecting, true);
  });

  it('closes the destination side if the accepted side left before it connected', () => {
    const { server, clientFactory } = accept();
    server.connectionLost(new ConnectionDone());
    const { clientTr } = connectBackend(clientFactory);
    assert.equal(clientTr.disconnecting, true);
  });
});

describe('ProxyFactory flow control, in memory', () => {
  it('stops reading from an endless destination while the client does not read, and goes on when it does', () => {
    const reactor = new MemoryReactor();
    const front = connectedServerAndClient(
      new ProxyFactory('chargen.example', 19, { reactor }),
      new AccumulatingProtocol(),
    );
    const record = reactor.tcpClients[0];
    assert.ok(record);
    const back = connectedServerAndClient(new ChargenFactory(), record[2] as IClientFactory, {
      greet: false,
    });
    front.clientTransport.pauseProducing(); // the client stops reading
    // Without flow control an endless source never lets the pumps go quiet: flush would throw.
    for (let round = 0; round < 5; round++) {
      back.pump.flush();
      front.pump.flush();
    }
    assert.equal(front.client.data.length, 0);
    assert.equal(back.clientTransport.producerState, 'paused', 'the proxy stopped reading the destination');
    front.clientTransport.resumeProducing();
    for (let i = 0; i < 20; i++) {
      front.pump.pump();
      back.pump.pump();
    }
    assert.ok(front.client.data.length > 64 * 1024, `client got ${front.client.data.length} bytes`);
    assert.equal(front.client.data.subarray(0, 74).toString('latin1'), chargenLine(0).toString('latin1'));
  });

  it('stops reading from an endless client while the destination does not read, and goes on when it does', () => {
    const reactor = new MemoryReactor();
    const front = connectedServerAndClient(new ProxyFactory('sink.example', 9, { reactor }), new Chargen());
    const record = reactor.tcpClients[0];
    assert.ok(record);
    const destination = new AccumulatingProtocol();
    const back = connectedServerAndClient(destination, record[2] as IClientFactory, { greet: false });
    back.serverTransport.pauseProducing(); // the destination stops reading
    for (let round = 0; round < 5; round++) {
      front.pump.flush();
      back.pump.flush();
    }
    assert.equal(destination.data.length, 0);
    assert.equal(front.serverTransport.producerState, 'paused', 'the proxy stopped reading the client');
    const held = back.clientTransport.hasOutgoing();
    assert.ok(held, 'what the proxy read waits in its destination-side buffer');
    back.serverTransport.resumeProducing();
    for (let i = 0; i < 20; i++) {
      back.pump.pump();
      front.pump.pump();
    }
    assert.ok(destination.data.length > 64 * 1024, `destination got ${destination.data.length} bytes`);
    assert.equal(destination.data.subarray(0, 74).toString('latin1'), chargenLine(0).toString('latin1'));
  });
});
