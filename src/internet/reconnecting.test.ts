import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../testing/clock.js';
import { ipAddress } from './address.js';
import { ConnectionLost, ConnectionRefusedError, NotConnectingError } from './error.js';
import type { IConnector } from './interfaces.js';
import { ReconnectingClientFactory } from './reconnecting.js';

class FakeConnector implements IConnector {
  connects = 0;
  stops = 0;
  connecting = false;
  connect(): void {
    this.connects++;
    this.connecting = true;
  }
  stopConnecting(): void {
    if (!this.connecting) throw new NotConnectingError();
    this.connecting = false;
    this.stops++;
  }
  disconnect(): void {}
  getDestination() {
    return ipAddress('TCP', '127.0.0.1', 1);
  }
}

function makeFactory(): { factory: ReconnectingClientFactory; clock: Clock; connector: FakeConnector } {
  const factory = new ReconnectingClientFactory();
  const clock = new Clock();
  factory.clock = clock;
  factory.jitter = 0;
  return { factory, clock, connector: new FakeConnector() };
}

describe('ReconnectingClientFactory', () => {
  it("uses Twisted's backoff constants", () => {
    const f = new ReconnectingClientFactory();
    assert.equal(f.initialDelay, 1.0);
    assert.equal(f.maxDelay, 3600);
    assert.equal(f.factor, Math.E); // Twisted: 2.7182818284590451
    assert.equal(f.jitter, 0.11962656472);
    assert.equal(f.maxRetries, null);
    assert.equal(f.continueTrying, true);
  });

  it('retries after a failure with a delay growing by the factor, capped at maxDelay', () => {
    const { factory, clock, connector } = makeFactory();
    factory.maxDelay = 10;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      factory.clientConnectionFailed(connector, new ConnectionRefusedError());
      delays.push(factory.delay);
      const before = connector.connects;
      clock.advance(factory.delay - 0.001);
      assert.equal(connector.connects, before, 'not before the delay');
      clock.advance(0.002);
      assert.equal(connector.connects, before + 1);
    }
    assert.deepEqual(
      delays.map((d) => Number(d.toFixed(6))),
      [Math.E, Math.E ** 2, 10, 10].map((d) => Number(d.toFixed(6))),
    );
  });

  it('retries after a lost connection too', () => {
    const { factory, clock, connector } = makeFactory();
    factory.clientConnectionLost(connector, new ConnectionLost());
    clock.advance(3);
    assert.equal(connector.connects, 1);
    assert.equal(factory.connector, connector);
  });

  it('spreads the delay with normally distributed jitter from the injected randomness', () => {
    const { factory, connector } = makeFactory();
    factory.jitter = 0.1;
    // u = 1 - (1 - e^-0.5) = e^-0.5 -> sqrt(-2 ln u) = 1; v = 0 -> cos = 1: one standard deviation up.
    const draws = [1 - Math.exp(-0.5), 0];
    factory.random = () => draws.shift() ?? 0;
    factory.retry(connector);
    assert.ok(Math.abs(factory.delay - Math.E * 1.1) < 1e-9, String(factory.delay));
  });

  it('gives up after maxRetries', () => {
    const { factory, clock, connector } = makeFactory();
    factory.maxRetries = 2;
    for (let i = 0; i < 3; i++) {
      factory.clientConnectionFailed(connector, new ConnectionRefusedError());
      clock.advance(100);
    }
    assert.equal(connector.connects, 2);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('stopTrying cancels the pending retry and stops an attempt in progress', () => {
    const { factory, clock, connector } = makeFactory();
    factory.clientConnectionFailed(connector, new ConnectionRefusedError());
    factory.stopTrying();
    assert.equal(clock.getDelayedCalls().length, 0);
    clock.advance(100);
    assert.equal(connector.connects, 0);
    factory.clientConnectionFailed(connector, new ConnectionRefusedError());
    assert.equal(clock.getDelayedCalls().length, 0, 'no retry once stopped');
    connector.connect();
    factory.stopTrying();
    assert.equal(connector.stops, 1);
  });

  it('resetDelay starts the backoff over and tries again', () => {
    const { factory, clock, connector } = makeFactory();
    factory.clientConnectionFailed(connector, new ConnectionRefusedError());
    factory.stopTrying();
    factory.resetDelay();
    assert.equal(factory.delay, 1);
    assert.equal(factory.retries, 0);
    factory.clientConnectionFailed(connector, new ConnectionRefusedError());
    clock.advance(Math.E);
    assert.equal(connector.connects, 1);
  });

  it('refuses to retry without a connector', () => {
    const { factory } = makeFactory();
    assert.throws(() => factory.retry(), /no connector/);
  });
});
