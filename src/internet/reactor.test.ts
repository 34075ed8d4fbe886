import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred } from './defer.js';
import {
  AlreadyCalled,
  AlreadyCancelled,
  ReactorAlreadyRunning,
  ReactorNotRestartable,
  ReactorNotRunning,
} from './error.js';
import { setErrorReporter } from './error-reporter.js';
import { Factory, Protocol } from './protocol.js';
import { NodeReactor } from './reactor.js';
import { Recorder, RecordingClientFactory } from './tcp.test-helpers.js';

function newReactor(): NodeReactor {
  return new NodeReactor({ installSignalHandlers: false });
}

describe('NodeReactor time', () => {
  it('reports monotonic seconds from performance.now', () => {
    const r = newReactor();
    const low = performance.now() / 1000;
    const a = r.seconds();
    const b = r.seconds();
    const high = performance.now() / 1000;
    assert.ok(low <= a && a <= b && b <= high);
  });

  it('runs a delayed call with its arguments no earlier than its time', async () => {
    const r = newReactor();
    const done = new Deferred<number>();
    const call = r.callLater(0.02, (x: number, y: number) => done.callback(x + y), 1, 2);
    assert.ok(call.active());
    assert.equal(r.getDelayedCalls().length, 1);
    assert.equal(await done, 3);
    assert.ok(r.seconds() >= call.getTime() - 0.001);
    assert.equal(call.active(), false);
    assert.equal(r.getDelayedCalls().length, 0);
    assert.throws(() => call.cancel(), AlreadyCalled);
  });

  it('never runs a cancelled call, and refuses to cancel it twice', async () => {
    const r = newReactor();
    let ran = false;
    const call = r.callLater(0.001, () => {
      ran = true;
    });
    call.cancel();
    assert.throws(() => call.cancel(), AlreadyCancelled);
    assert.deepEqual(r.getDelayedCalls(), []);
    const later = new Deferred<void>();
    r.callLater(0.01, () => later.callback(undefined));
    await later;
    assert.equal(ran, false);
  });

  it('moves a call with reset and delay, running it once', async () => {
    const r = newReactor();
    const order: string[] = [];
    const done = new Deferred<void>();
    const a = r.callLater(0.001, () => {
      order.push('a');
      done.callback(undefined);
    });
    r.callLater(0.02, () => order.push('b'));
    const before = r.seconds();
    a.reset(0.04);
    const after = r.seconds();
    a.delay(0.005);
    assert.ok(a.getTime() >= before + 0.045 && a.getTime() <= after + 0.045);
    await done;
    assert.deepEqual(order, ['b', 'a']);
  });

  it('reports an exception from a delayed call and keeps running the others', async () => {
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      const r = newReactor();
      const done = new Deferred<void>();
      r.callLater(0, () => {
        throw new Error('tick failed');
      });
      r.callLater(0.005, () => done.callback(undefined));
      await done;
      assert.equal((reported[0] as Error).message, 'tick failed');
    } finally {
      setErrorReporter(previous);
    }
  });
});

describe('NodeReactor lifecycle', () => {
  it('runs callWhenRunning calls once running, and settles run() after stop()', async () => {
    const r = newReactor();
    const seen: boolean[] = [];
    r.callWhenRunning(() => {
      seen.push(r.running);
      r.stop();
    });
    assert.equal(r.running, false);
    await r.run();
    assert.deepEqual(seen, [true]);
    assert.equal(r.running, false);
  });

  it('runs callWhenRunning at once when already running', async () => {
    const r = newReactor();
    let inner = false;
    r.callWhenRunning(() => {
      assert.equal(
        r.callWhenRunning(() => (inner = true)),
        undefined,
      );
      r.stop();
    });
    await r.run();
    assert.equal(inner, true);
  });

  it('refuses stop() when not running, a second run(), and a restart', async () => {
    const r = newReactor();
    assert.throws(() => r.stop(), ReactorNotRunning);
    r.callWhenRunning(() => {
      assert.throws(() => r.run(), ReactorAlreadyRunning);
      r.stop();
      assert.throws(() => r.stop(), ReactorNotRunning);
    });
    await r.run();
    assert.throws(() => r.stop(), ReactorNotRunning);
    assert.throws(() => r.run(), ReactorNotRestartable);
  });

  it('fires system event phases in order, waiting for Deferreds and Promises between phases', async () => {
    const r = newReactor();
    const log: string[] = [];
    const gate = new Deferred<void>();
    r.addSystemEventTrigger('after', 'shutdown', () => log.push('after'));
    r.addSystemEventTrigger('during', 'shutdown', () => log.push('during'));
    r.addSystemEventTrigger(
      'before',
      'shutdown',
      (tag: string) => {
        log.push(tag);
        setImmediate(() => {
          log.push('gate');
          gate.callback(undefined);
        });
        return gate;
      },
      'before',
    );
    r.addSystemEventTrigger('before', 'shutdown', async () => {
      log.push('before-async');
    });
    const removed = r.addSystemEventTrigger('before', 'shutdown', () => log.push('removed'));
    r.removeSystemEventTrigger(removed);
    assert.throws(() => r.removeSystemEventTrigger(removed), RangeError);
    r.callWhenRunning(() => r.stop());
    await r.run();
    assert.deepEqual(log, ['before', 'before-async', 'gate', 'during', 'after']);
  });

  it('reports a failing trigger and still completes the event', async () => {
    const reported: unknown[] = [];
    const previous = setErrorReporter((err) => reported.push(err));
    try {
      const r = newReactor();
      r.addSystemEventTrigger('before', 'startup', () => {
        throw new Error('bad trigger');
      });
      r.addSystemEventTrigger('before', 'shutdown', () => Promise.reject(new Error('bad promise')));
      r.callWhenRunning(() => r.stop());
      await r.run();
      assert.deepEqual(
        reported.map((e) => (e as Error).message),
        ['bad trigger', 'bad promise'],
      );
    } finally {
      setErrorReporter(previous);
    }
  });

  it('closes listening ports and flushes open connections on shutdown', async () => {
    const r = newReactor();
    const payload = Buffer.alloc(1024 * 1024, 3);
    class Greeter extends Protocol {
      override connectionMade(): void {
        this.transport!.write(payload);
        r.stop();
      }
    }
    const client = new RecordingClientFactory(() => new Recorder());
    // The client lives in another reactor, which this shutdown leaves alone.
    const other = newReactor();
    let portNumber = 0;
    r.callWhenRunning(() => {
      const port = r.listenTCP(0, Factory.forProtocol(Greeter), { interface: '127.0.0.1' });
      portNumber = (port.getHost() as { port: number }).port;
      other.connectTCP('127.0.0.1', portNumber, client);
    });
    await r.run();
    const c = await client.nth();
    await c.lostW.promise;
    assert.equal(c.received, payload.length);
    // The port is closed: a new connection is refused.
    const refused = new RecordingClientFactory(() => new Recorder());
    other.connectTCP('127.0.0.1', portNumber, refused);
    assert.equal((await refused.failedW.promise).name, 'ConnectionRefusedError');
  });

  it('never runs a call scheduled in the shutdown after phase or once run() settled', async () => {
    const r = newReactor();
    const ran: string[] = [];
    let pending: { active(): boolean } | undefined;
    r.callWhenRunning(() => {
      pending = r.callLater(3600, () => ran.push('pending'));
      r.stop();
    });
    r.addSystemEventTrigger('after', 'shutdown', () => {
      r.callLater(0, () => ran.push('after phase'));
    });
    await r.run();
    const late = r.callLater(0, () => ran.push('late'));
    // Armed in this same turn, a live 0 s call's timer would fire before this 20 ms probe's.
    const probe = newReactor();
    const waited = new Deferred<void>();
    probe.callLater(0.02, () => waited.callback(undefined));
    await waited;
    assert.deepEqual(ran, []);
    assert.equal(late.active(), true);
    assert.equal(pending?.active(), true);
    assert.equal(r.getDelayedCalls().length, 3);
  });
});
