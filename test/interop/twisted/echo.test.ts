import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import type { IConnector } from '../../../src/internet/interfaces.js';
import { ClientFactory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { killChildren, startChild } from '../../integration/fixtures/child.js';
import { requireTwisted, runPython } from './python.js';

const SIZE = 10 * 1024 * 1024;
const reactor = new NodeReactor({ installSignalHandlers: false });
const sha256 = (data: Buffer | Buffer[]) => {
  const h = createHash('sha256');
  for (const b of Array.isArray(data) ? data : [data]) h.update(b);
  return h.digest('hex');
};

before(requireTwisted);
after(async () => {
  killChildren();
  await reactor.fireSystemEvent('shutdown');
});

describe('TCP against Twisted 22 (python3-twisted)', () => {
  it('the echo server example returns 10 MB from a Twisted client intact and in order', {
    timeout: 60_000,
  }, async () => {
    const server = startChild('examples/echo-server.ts', ['--port', '0', '--raw']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const py = runPython('echo_client.py', [port, String(SIZE)]);
    const { code, stdout, stderr } = await py.done;
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as { received: number; sentSha256: string; receivedSha256: string };
    assert.equal(result.received, SIZE);
    assert.equal(result.receivedSha256, result.sentSha256);
    server.process.kill('SIGINT');
    assert.equal((await server.done).code, 0);
  });

  it('our client gets 10 MB back from a Twisted echo server intact and in order', {
    timeout: 60_000,
  }, async () => {
    const py = runPython('echo_server.py', []);
    const twistedPort = Number((await py.line(/port (\d+)/))[1]);
    const payload = randomBytes(SIZE);
    const received: Buffer[] = [];
    const done = new Deferred<number>();
    class Sender extends Protocol {
      #count = 0;
      override connectionMade(): void {
        this.transport!.write(payload);
      }
      override dataReceived(data: Buffer): void {
        received.push(data);
        this.#count += data.length;
        if (this.#count >= SIZE) this.transport!.loseConnection();
      }
      override connectionLost(): void {
        done.callback(this.#count);
      }
    }
    class Client extends ClientFactory {
      override clientConnectionFailed(_c: IConnector, reason: Error): void {
        done.errback(reason);
      }
    }
    reactor.connectTCP('127.0.0.1', twistedPort, Client.forProtocol(Sender));
    assert.equal(await done, SIZE);
    assert.equal(sha256(received), sha256(payload));
    assert.equal((await py.done).code, 0);
  });
});
