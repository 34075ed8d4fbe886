import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError } from '../internet/defer.js';
import { ConnectionRefusedError } from '../internet/error.js';
import { Factory, Protocol } from '../internet/protocol.js';
import { capturedLogs } from '../logger/capture.js';
import { Clock } from '../testing/clock.js';
import { assertNoResult, failureResultOf, successResultOf } from '../testing/results.js';
import { backoffPolicy } from './backoff.js';
import { ClientService } from './client-service.js';
import { FakeClientEndpoint } from './fakes.test-helpers.js';

class Client extends Protocol {}

function setup(): { endpoint: FakeClientEndpoint; clock: Clock; svc: ClientService; restore: () => void } {
  const endpoint = new FakeClientEndpoint();
  const clock = new Clock();
  const svc = new ClientService(endpoint, Factory.forProtocol(Client), {
    clock,
    retryPolicy: backoffPolicy({ jitter: () => 0 }),
  });
  const logs = capturedLogs();
  return { endpoint, clock, svc, restore: logs.restore };
}

describe('ClientService', () => {
  it('connects on start and gives the protocol to whenConnected', (t) => {
    const { endpoint, svc, restore } = setup();
    t.after(restore);
    const d = svc.whenConnected();
    svc.startService();
    assertNoResult(d);
    endpoint.succeed();
    assert.ok(successResultOf(d) instanceof Client);
    assert.ok(successResultOf(svc.whenConnected()) instanceof Client);
  });

  it('retries failed attempts after the backoff delays', (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    endpoint.fail(new ConnectionRefusedError());
    assert.equal(endpoint.attempts.length, 1);
    clock.advance(1.49);
    assert.equal(endpoint.attempts.length, 1);
    clock.advance(0.01);
    assert.equal(endpoint.attempts.length, 2);
    endpoint.fail(new ConnectionRefusedError());
    clock.advance(2.25);
    assert.equal(endpoint.attempts.length, 3);
    endpoint.succeed();
    assert.ok(successResultOf(svc.whenConnected()) instanceof Client);
  });

  it('fails whenConnected after failAfterFailures failed attempts', (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    const one = svc.whenConnected({ failAfterFailures: 1 });
    const two = svc.whenConnected({ failAfterFailures: 2 });
    endpoint.fail(new ConnectionRefusedError());
    failureResultOf(one, ConnectionRefusedError);
    assertNoResult(two);
    clock.advance(1.5);
    endpoint.fail(new ConnectionRefusedError());
    failureResultOf(two, ConnectionRefusedError);
  });

  it('reconnects after the connection is lost', (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    const transport = endpoint.succeed();
    const first = successResultOf(svc.whenConnected());
    transport.loseConnection();
    const next = svc.whenConnected();
    assertNoResult(next);
    clock.advance(1.5);
    assert.equal(endpoint.attempts.length, 2);
    endpoint.succeed();
    assert.notEqual(successResultOf(next), first);
  });

  it('disconnects on stop and fires once the connection is closed', async (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    const transport = endpoint.succeed();
    await svc.stopService();
    assert.equal(transport.connected, false);
    clock.advance(100);
    assert.equal(endpoint.attempts.length, 1);
    failureResultOf(svc.whenConnected(), CancelledError);
  });

  it('cancels an attempt in progress and pending waiters on stop', async (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    const waiting = svc.whenConnected();
    await svc.stopService();
    assert.equal(endpoint.last.cancelled, true);
    failureResultOf(waiting, CancelledError);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('stops a pending retry on stop', async (t) => {
    const { endpoint, clock, svc, restore } = setup();
    t.after(restore);
    svc.startService();
    endpoint.fail();
    await svc.stopService();
    clock.advance(100);
    assert.equal(endpoint.attempts.length, 1);
  });

  it('waits for prepareConnection before handing out the protocol', async (t) => {
    const endpoint = new FakeClientEndpoint();
    const logs = capturedLogs();
    t.after(logs.restore);
    let release: () => void = () => {};
    const svc = new ClientService(endpoint, Factory.forProtocol(Client), {
      clock: new Clock(),
      prepareConnection: () => new Promise<void>((r) => (release = r)),
    });
    svc.startService();
    endpoint.succeed();
    const d = svc.whenConnected();
    assertNoResult(d);
    release();
    assert.ok((await d) instanceof Client);
  });
});
