import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from '../internet/defer.js';
import { ConnectionDone } from '../internet/error.js';
import { AccumulatingFactory, AccumulatingProtocol } from './accumulating-protocol.js';
import { assertNoResult, successResultOf } from './results.js';
import { StringTransport } from './string-transport.js';

const addr = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 1 } as const;

describe('AccumulatingProtocol', () => {
  it('records the connection, then accumulates every byte received', () => {
    const proto = new AccumulatingProtocol();
    assert.equal(proto.made, false);
    assert.deepEqual(proto.data, Buffer.alloc(0));
    proto.makeConnection(new StringTransport());
    proto.dataReceived(Buffer.from('ab'));
    proto.dataReceived(Buffer.from('c'));
    assert.equal(proto.made, true);
    assert.equal(proto.data.toString(), 'abc');
    assert.equal(proto.receivedLength, 3);
  });

  it('records the close reason and fires closedDeferred with it once', () => {
    const proto = new AccumulatingProtocol();
    const closed = new Deferred<Error>();
    proto.closedDeferred = closed;
    proto.makeConnection(new StringTransport());
    const reason = new ConnectionDone();
    proto.connectionLost(reason);
    assert.equal(proto.closed, true);
    assert.equal(proto.closedReason, reason);
    assert.equal(successResultOf(closed), reason);
    assert.equal(proto.closedDeferred, null);
  });

  it('fires madeDeferred with itself when connected', () => {
    const proto = new AccumulatingProtocol();
    proto.madeDeferred = new Deferred();
    const d = proto.madeDeferred;
    proto.makeConnection(new StringTransport());
    assert.equal(successResultOf(d), proto);
  });
});

describe('AccumulatingFactory', () => {
  it('builds protocols that know their factory and keeps them in order', () => {
    const factory = new AccumulatingFactory();
    const a = factory.buildProtocol(addr);
    const b = factory.buildProtocol(addr);
    assert.deepEqual(factory.protocols, [a, b]);
    assert.equal(a.factory, factory);
  });

  it('fires protocolConnectionMade with the protocol that connects, then clears it', () => {
    const factory = new AccumulatingFactory();
    const d = new Deferred<AccumulatingProtocol>();
    factory.protocolConnectionMade = d;
    const proto = factory.buildProtocol(addr);
    assertNoResult(d);
    proto.makeConnection(new StringTransport());
    assert.equal(successResultOf(d), proto);
    assert.equal(factory.protocolConnectionMade, null);
  });

  it('hands each connection to one nextConnection call, in order, before or after it happens', () => {
    const factory = new AccumulatingFactory();
    const first = factory.buildProtocol(addr);
    first.makeConnection(new StringTransport());
    const d1 = factory.nextConnection();
    const d2 = factory.nextConnection();
    assert.equal(successResultOf(d1), first);
    assertNoResult(d2);
    const unconnected = factory.buildProtocol(addr);
    const second = factory.buildProtocol(addr);
    second.makeConnection(new StringTransport());
    assert.equal(successResultOf(d2), second);
    assert.equal(unconnected.made, false);
  });
});
