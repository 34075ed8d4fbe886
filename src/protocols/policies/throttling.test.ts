import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { IAddress, IPushProducer } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { Clock } from '../../testing/clock.js';
import { StringTransport } from '../../testing/string-transport.js';
import { ThrottlingFactory, type ThrottlingOptions } from './throttling.js';
import type { ProtocolWrapper } from './wrapping.js';

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1 } as IAddress;

function setup(options: ThrottlingOptions) {
  const clock = new Clock();
  const factory = new ThrottlingFactory(Factory.forProtocol(Protocol), { ...options, clock });
  const connect = () => {
    const p = factory.buildProtocol(addr);
    const tr = new StringTransport();
    p?.makeConnection(tr);
    return { p, tr };
  };
  return { clock, factory, connect };
}

/** Registers a streaming producer on the throttled transport `p` writes to; `states` records its calls. */
function withProducer(p: ProtocolWrapper | null) {
  const states: string[] = [];
  const producer: IPushProducer = {
    pauseProducing: () => states.push('pause'),
    resumeProducing: () => states.push('resume'),
    stopProducing: () => {},
  };
  const t = (p!.wrappedProtocol as Protocol).transport as ProtocolWrapper;
  t.registerProducer(producer, true);
  return { t, states };
}

describe('ThrottlingFactory', () => {
  it('accepts exactly maxConnectionCount connections and one more after one closes', () => {
    const { connect, factory } = setup({ maxConnectionCount: 2 });
    const a = connect();
    connect();
    assert.equal(connect().p, null);
    assert.equal(factory.connectionCount, 2);
    a.p?.connectionLost();
    assert.notEqual(connect().p, null);
  });

  it('does not throttle reads at exactly readLimit bytes in a second', () => {
    const { clock, connect } = setup({ readLimit: 100 });
    const { p, tr } = connect();
    p?.dataReceived(Buffer.alloc(100));
    clock.advance(1);
    assert.equal(tr.producerState, 'producing');
  });

  it('pauses reads one byte over readLimit, for exactly the excess fraction of a second', () => {
    const { clock, connect } = setup({ readLimit: 4 });
    const { p, tr } = connect();
    p?.dataReceived(Buffer.alloc(5));
    clock.advance(1);
    assert.equal(tr.producerState, 'paused');
    clock.advance(0.2499);
    assert.equal(tr.producerState, 'paused');
    clock.advance(0.0001);
    assert.equal(tr.producerState, 'producing');
  });

  it('counts the bytes of every connection against one readLimit', () => {
    const { clock, connect } = setup({ readLimit: 100 });
    const a = connect();
    const b = connect();
    a.p?.dataReceived(Buffer.alloc(60));
    b.p?.dataReceived(Buffer.alloc(90));
    clock.advance(1);
    assert.equal(a.tr.producerState, 'paused');
    assert.equal(b.tr.producerState, 'paused');
    clock.advance(0.49);
    assert.equal(a.tr.producerState, 'paused');
    clock.advance(0.01);
    assert.equal(a.tr.producerState, 'producing');
    assert.equal(b.tr.producerState, 'producing');
  });

  it('accounts per second: the counter restarts after each check', () => {
    const { clock, connect, factory } = setup({ readLimit: 100 });
    const { p, tr } = connect();
    p?.dataReceived(Buffer.alloc(100));
    clock.advance(1);
    assert.equal(factory.readThisSecond, 0);
    p?.dataReceived(Buffer.alloc(100));
    clock.advance(1);
    assert.equal(tr.producerState, 'producing');
  });

  it('pauses the registered producer one byte over writeLimit, not at it, for the excess fraction', () => {
    const { clock, connect } = setup({ writeLimit: 4 });
    const { t, states } = withProducer(connect().p);
    t.write('abcd');
    clock.advance(1);
    assert.deepEqual(states, []);
    t.write('abcde');
    clock.advance(1);
    assert.deepEqual(states, ['pause']);
    clock.advance(0.2499);
    assert.deepEqual(states, ['pause']);
    clock.advance(0.0001);
    assert.deepEqual(states, ['pause', 'resume']);
  });

  it('pauses the registered producer when writes exceed writeLimit, and resumes it', () => {
    const { clock, connect } = setup({ writeLimit: 10 });
    const { t, states } = withProducer(connect().p);
    t.write(Buffer.alloc(10));
    clock.advance(1);
    assert.deepEqual(states, []);
    t.writeSequence([Buffer.alloc(10), 'x']);
    clock.advance(1);
    assert.deepEqual(states, ['pause']);
    clock.advance(0.1);
    assert.deepEqual(states, ['pause', 'resume']);
  });

  it('stops its per-second checks when the last connection closes', () => {
    const { clock, connect } = setup({ readLimit: 100, writeLimit: 100 });
    const { p } = connect();
    assert.equal(clock.getDelayedCalls().length, 2);
    p?.connectionLost();
    assert.equal(clock.getDelayedCalls().length, 0);
  });
});
