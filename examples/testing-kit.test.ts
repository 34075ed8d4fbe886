/**
 * Testing a protocol with the testing kit, no sockets and no sleeps: a small line protocol that
 * answers `PING` with `PONG` and hangs up on clients idle for 10 seconds, tested on a
 * `StringTransport`, with a `Clock`, and against a client in memory (`connectedServerAndClient`).
 * docs/tutorial/09-testing.md walks through it.
 *
 *     node scripts/run-tests.mjs examples/testing-kit
 *
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred, type IDelayedCall, type IReactorTime } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';
import { Clock, connectedServerAndClient, StringTransport, successResultOf } from '../src/testing/index.js';

/** Answers PING with PONG; closes the connection after `idleSeconds` without a line. */
class Pinger extends LineReceiver {
  #idle: IDelayedCall | null = null;

  constructor(
    readonly clock: IReactorTime,
    readonly idleSeconds = 10,
  ) {
    super();
  }

  override connectionMade(): void {
    this.#idle = this.clock.callLater(this.idleSeconds, () => this.transport!.loseConnection());
  }

  override lineReceived(line: Buffer): void {
    this.#idle?.reset(this.idleSeconds);
    this.sendLine(line.toString() === 'PING' ? 'PONG' : 'ERROR unknown command');
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    if (this.#idle?.active()) this.#idle.cancel();
  }
}

/** The client side: sends PING, fires `pong` with the first answer. */
class PingClient extends LineReceiver {
  readonly pong = new Deferred<string>();

  override connectionMade(): void {
    this.sendLine('PING');
  }

  override lineReceived(line: Buffer): void {
    this.pong.callback(line.toString());
  }
}

describe('testing a protocol with the testing kit', () => {
  it('answers PING with PONG, even when the line arrives one byte at a time', () => {
    const proto = new Pinger(new Clock());
    const transport = new StringTransport();
    proto.makeConnection(transport);
    for (const byte of Buffer.from('PING\r\n')) proto.dataReceived(Buffer.of(byte));
    assert.equal(transport.value().toString(), 'PONG\r\n');
  });

  it('answers an unknown command with an error line', () => {
    const proto = new Pinger(new Clock());
    const transport = new StringTransport();
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from('HELLO\r\n'));
    assert.equal(transport.value().toString(), 'ERROR unknown command\r\n');
  });

  it('hangs up after 10 idle seconds, and each line restarts the count', () => {
    const clock = new Clock();
    const proto = new Pinger(clock);
    const transport = new StringTransport();
    proto.makeConnection(transport);
    clock.advance(9);
    proto.dataReceived(Buffer.from('PING\r\n'));
    clock.advance(9);
    assert.equal(transport.disconnecting, false);
    clock.advance(1);
    assert.equal(transport.disconnecting, true);
  });

  it('talks to its client in memory', () => {
    const clock = new Clock();
    const { client } = connectedServerAndClient(new Pinger(clock), new PingClient());
    assert.equal(successResultOf(client.pong), 'PONG');
  });
});
