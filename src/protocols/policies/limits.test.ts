import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IAddress } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { StringTransport } from '../../testing/string-transport.js';
import { LimitConnectionsByPeer, LimitTotalConnectionsFactory } from './limits.js';
import type { ProtocolWrapper } from './wrapping.js';

const from = (host: string) => ({ type: 'TCP', family: 'IPv4', host, port: 1 }) as IAddress;

class Busy extends Protocol {
  override connectionMade(): void {
    this.transport?.write('busy');
    this.transport?.loseConnection();
  }
}

describe('LimitTotalConnectionsFactory', () => {
  it('accepts exactly connectionLimit connections and refuses the next', () => {
    const f = new LimitTotalConnectionsFactory(Factory.forProtocol(Protocol), { connectionLimit: 2 });
    const a = f.buildProtocol(from('a'));
    a?.makeConnection(new StringTransport());
    f.buildProtocol(from('b'))?.makeConnection(new StringTransport());
    assert.equal(f.buildProtocol(from('c')), null);
    a?.connectionLost();
    assert.equal(f.connectionCount, 1);
    assert.notEqual(f.buildProtocol(from('c')), null);
  });

  it('hands connections over the limit to the overflow protocol', () => {
    const f = new LimitTotalConnectionsFactory(Factory.forProtocol(Protocol), {
      connectionLimit: 1,
      overflowProtocol: Busy,
    });
    f.buildProtocol(from('a'))?.makeConnection(new StringTransport());
    const over = f.buildProtocol(from('b')) as ProtocolWrapper;
    const tr = new StringTransport();
    over.makeConnection(tr);
    assert.ok(over.wrappedProtocol instanceof Busy);
    assert.equal(tr.value().toString(), 'busy');
    assert.equal(tr.disconnecting, true);
  });

  it('is unlimited with a null limit', () => {
    const f = new LimitTotalConnectionsFactory(Factory.forProtocol(Protocol), { connectionLimit: null });
    for (let i = 0; i < 50; i++) assert.notEqual(f.buildProtocol(from('a')), null);
  });
});

describe('LimitConnectionsByPeer', () => {
  it('accepts exactly maxConnectionsPerPeer from one host, others still welcome', () => {
    const f = new LimitConnectionsByPeer(Factory.forProtocol(Protocol), { maxConnectionsPerPeer: 2 });
    const first = f.buildProtocol(from('10.0.0.2'));
    first?.makeConnection(new StringTransport());
    f.buildProtocol(from('10.0.0.2'))?.makeConnection(new StringTransport());
    assert.equal(f.buildProtocol(from('10.0.0.2')), null);
    assert.notEqual(f.buildProtocol(from('10.0.0.3')), null);
    assert.equal(f.peerConnections.get('10.0.0.2'), 2);
    first?.connectionLost();
    assert.equal(f.peerConnections.get('10.0.0.2'), 1);
    assert.notEqual(f.buildProtocol(from('10.0.0.2')), null);
  });

  it('defaults to five connections per peer', () => {
    const f = new LimitConnectionsByPeer(Factory.forProtocol(Protocol));
    for (let i = 0; i < 5; i++) f.buildProtocol(from('h'))?.makeConnection(new StringTransport());
    assert.equal(f.buildProtocol(from('h')), null);
  });
});
