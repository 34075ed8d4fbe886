import assert from 'node:assert/strict';
import type { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { Protocol } from '../../internet/protocol.js';
import { AccumulatingProtocol } from '../../testing/accumulating-protocol.js';
import { Clock } from '../../testing/clock.js';
import { assertNoResult, successResultOf } from '../../testing/results.js';
import { Chargen } from '../wire/chargen.js';
import { Echo } from '../wire/echo.js';
import { loopbackAsync } from './loopback.js';

/** Sends a greeting, then closes once it got `expect` bytes back. */
class Greeter extends AccumulatingProtocol {
  readonly greeting: string;
  constructor(greeting: string) {
    super();
    this.greeting = greeting;
  }
  override connectionMade(): void {
    super.connectionMade();
    this.transport?.write(this.greeting);
  }
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    if (this.data.length >= this.greeting.length) this.transport?.loseConnection();
  }
}

describe('loopbackAsync', () => {
  it('moves bytes between the two protocols on clock turns and fires when both are disconnected', () => {
    const clock = new Clock();
    const client = new Greeter('ping');
    const server = new Echo();
    const d = loopbackAsync(server, client, { clock });
    assert.equal(client.data.length, 0);
    assertNoResult(d);
    clock.advance(0);
    assert.equal(client.data.toString(), 'ping');
    assert.equal(successResultOf(d), undefined);
    assert.equal(server.connected, false);
    assert.equal(client.connected, false);
  });

  it('delivers writes made later (from a timer) and waits until then', () => {
    const clock = new Clock();
    class Late extends Protocol {
      override connectionMade(): void {
        clock.callLater(5, () => {
          this.transport?.write('late');
          this.transport?.loseConnection();
        });
      }
    }
    const client = new AccumulatingProtocol();
    const d = loopbackAsync(new Late(), client, { clock });
    clock.advance(1);
    assertNoResult(d);
    clock.advance(4);
    successResultOf(d);
    assert.equal(client.data.toString(), 'late');
  });

  it('moves an endless stream a bounded number of steps per turn, so other calls run in between', () => {
    const clock = new Clock();
    const enough = 2_000_000;
    class Taker extends Protocol {
      received = 0;
      override dataReceived(data: Buffer): void {
        this.received += data.length;
        if (this.received >= enough) this.transport?.loseConnection();
      }
    }
    const client = new Taker();
    const d = loopbackAsync(new Chargen(), client, { clock });
    let receivedWhenOtherCallRan = -1;
    clock.callLater(0, () => {
      receivedWhenOtherCallRan = client.received;
    });
    clock.advance(0);
    successResultOf(d);
    assert.ok(client.received >= enough);
    assert.ok(
      receivedWhenOtherCallRan > 0 && receivedWhenOtherCallRan < enough,
      `the other call ran after ${receivedWhenOtherCallRan} bytes`,
    );
  });

  it('works on the real reactor when awaited', async () => {
    const client = new Greeter('hello');
    await loopbackAsync(new Echo(), client);
    assert.equal(client.data.toString(), 'hello');
  });
});
