import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ConnectionDone, ConnectionRefusedError } from '../../internet/error.js';
import type { IAddress, IClientFactory, IConnector } from '../../internet/interfaces.js';
import { MemoryReactor } from '../../testing/memory-reactor.js';
import { StringTransport } from '../../testing/string-transport.js';
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
