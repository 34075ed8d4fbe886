import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { IAddress } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { Clock } from '../../testing/clock.js';
import { StringTransport } from '../../testing/string-transport.js';
import { IdleTimeout, TimeoutFactory, type TimeoutProtocol } from './timeout.js';

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1 } as IAddress;

describe('IdleTimeout', () => {
  it('fires exactly when the period has passed without activity', () => {
    const clock = new Clock();
    let fired = 0;
    const idle = new IdleTimeout(clock, 10, () => fired++);
    idle.start();
    clock.advance(9.999);
    assert.equal(fired, 0);
    clock.advance(0.001);
    assert.equal(fired, 1);
    assert.equal(idle.active, false);
  });

  it('restarts the countdown on resetTimeout', () => {
    const clock = new Clock();
    let fired = 0;
    const idle = new IdleTimeout(clock, 10, () => fired++);
    idle.start();
    clock.advance(8);
    idle.resetTimeout();
    clock.advance(8);
    assert.equal(fired, 0);
    clock.advance(2);
    assert.equal(fired, 1);
  });

  it('setTimeout changes the period, returns the previous one, and null disables it', () => {
    const clock = new Clock();
    let fired = 0;
    const idle = new IdleTimeout(clock, 10, () => fired++);
    idle.start();
    assert.equal(idle.setTimeout(null), 10);
    clock.advance(100);
    assert.equal(fired, 0);
    assert.equal(idle.setTimeout(3), null);
    clock.advance(3);
    assert.equal(fired, 1);
  });

  it('does nothing after cancel, leaving no delayed call behind', () => {
    const clock = new Clock();
    const idle = new IdleTimeout(clock, 1, () => assert.fail('fired after cancel'));
    idle.start();
    idle.cancel();
    assert.equal(clock.getDelayedCalls().length, 0);
    clock.advance(2);
  });

  it('forProtocol calls the protocol timeoutConnection hook when it has one', () => {
    const clock = new Clock();
    class Hooked extends Protocol {
      timedOut = false;
      timeoutConnection(): void {
        this.timedOut = true;
      }
    }
    const p = new Hooked();
    p.makeConnection(new StringTransport());
    IdleTimeout.forProtocol(p, 5, clock).start();
    clock.advance(5);
    assert.equal(p.timedOut, true);
  });

  it('forProtocol aborts the transport of a protocol without the hook', () => {
    const clock = new Clock();
    const p = new Protocol();
    const tr = new StringTransport();
    p.makeConnection(tr);
    IdleTimeout.forProtocol(p, 5, clock).start();
    clock.advance(5);
    assert.equal(tr.aborted, true);
  });
});

describe('TimeoutFactory', () => {
  function connect(period: number) {
    const clock = new Clock();
    const f = new TimeoutFactory(Factory.forProtocol(Protocol), { timeoutPeriod: period, clock });
    const p = f.buildProtocol(addr) as TimeoutProtocol;
    const tr = new StringTransport();
    p.makeConnection(tr);
    return { clock, p, tr };
  }

  it('closes a connection idle for exactly timeoutPeriod seconds, not before', () => {
    const { clock, p, tr } = connect(30);
    clock.advance(29.5);
    assert.equal(tr.disconnecting, false);
    clock.advance(0.5);
    assert.equal(tr.disconnecting, true);
    assert.equal(p.timedOut, true);
  });

  it('counts received and sent bytes as activity', () => {
    const { clock, p, tr } = connect(30);
    clock.advance(20);
    p.dataReceived(Buffer.from('x'));
    clock.advance(20);
    (p.wrappedProtocol as Protocol).transport?.write('y');
    clock.advance(20);
    assert.equal(tr.disconnecting, false);
    clock.advance(10);
    assert.equal(tr.disconnecting, true);
  });

  it('cancels its timer when the connection is lost', () => {
    const { clock, p } = connect(30);
    p.connectionLost();
    assert.equal(clock.getDelayedCalls().length, 0);
  });
});
