import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Factory, Protocol } from '../internet/protocol.js';
import { connect } from './fakes.test-helpers.js';
import { TrackingFactory } from './tracking-factory.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

class HalfClose extends Protocol {
  readClosed = false;
  readConnectionLost(): void {
    this.readClosed = true;
  }
  writeConnectionLost(): void {}
}

describe('TrackingFactory', () => {
  it('passes data to the wrapped protocol and tracks the connection until it is lost', async () => {
    const lost: Error[] = [];
    const made: string[] = [];
    const tracking = new TrackingFactory(Factory.forProtocol(Echo), {
      connectionMade: (p) => made.push(p.constructor.name),
      connectionLost: (_p, reason) => lost.push(reason),
    });
    const { protocol, transport } = connect(tracking);
    assert.deepEqual(made, ['Echo']);
    protocol.dataReceived(Buffer.from('hi'));
    assert.equal(transport.value().toString(), 'hi');
    assert.equal(tracking.connections.size, 1);
    let empty = false;
    const waiting = tracking.whenEmpty().then(() => {
      empty = true;
    });
    await Promise.resolve();
    assert.equal(empty, false);
    transport.loseConnection();
    await waiting;
    assert.equal(tracking.connections.size, 0);
    assert.equal(lost.length, 1);
  });

  it('aborts every open connection with abortAll', () => {
    const tracking = new TrackingFactory(Factory.forProtocol(Echo));
    const a = connect(tracking);
    const b = connect(tracking);
    tracking.abortAll();
    assert.equal(a.transport.connected, false);
    assert.equal(b.transport.connected, false);
    assert.equal(tracking.connections.size, 0);
  });

  it('keeps the half-close hooks of the wrapped protocol visible', () => {
    const tracking = new TrackingFactory(Factory.forProtocol(HalfClose));
    const { protocol } = connect(tracking);
    (protocol as unknown as HalfClose).readConnectionLost();
    const wrapped = [...tracking.connections][0]?.wrapped as HalfClose;
    assert.equal(wrapped.readClosed, true);
  });
});
