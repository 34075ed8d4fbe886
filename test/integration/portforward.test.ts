import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { IListeningPort, IPv4Address } from '../../src/internet/interfaces.js';
import { NodeReactor } from '../../src/internet/reactor.js';
import { ProxyFactory } from '../../src/protocols/portforward/portforward.js';
import { EchoFactory } from '../../src/protocols/wire/echo.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
});

function listen(factory: Parameters<NodeReactor['listenTCP']>[1]): number {
  const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
  ports.push(port);
  return (port.getHost() as IPv4Address).port;
}

/** Sends `payload`, half-closes, and collects everything until the proxy closes. */
function roundTrip(port: number, payload: Buffer, slowReader = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      sock.end(payload);
    });
    if (slowReader) {
      // Read nothing until the proxy has had to hold back: the echo path fills up first.
      sock.pause();
      setImmediate(() => sock.resume());
    }
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => {
      sock.end();
      resolve(Buffer.concat(chunks));
    });
    sock.on('error', reject);
  });
}

describe('ProxyFactory over loopback sockets', { timeout: 30_000 }, () => {
  it('relays a request to an echo server and passes the half-close through both ways', async () => {
    const backend = listen(new EchoFactory());
    const proxy = listen(new ProxyFactory('127.0.0.1', backend, { reactor }));
    const got = await roundTrip(proxy, Buffer.from('hello through the proxy'));
    assert.equal(got.toString(), 'hello through the proxy');
  });

  it('moves 32 MiB through the proxy and back intact with a reader that starts late', async () => {
    const backend = listen(new EchoFactory());
    const proxy = listen(new ProxyFactory('127.0.0.1', backend, { reactor }));
    const payload = Buffer.alloc(32 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE(i, i);
    const got = await roundTrip(proxy, payload, true);
    assert.equal(got.length, payload.length);
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(got), digest(payload));
  });

  it('closes the accepted connection when the destination refuses', async () => {
    const closed = listen(new EchoFactory());
    await ports.pop()?.stopListening();
    const proxy = listen(new ProxyFactory('127.0.0.1', closed, { reactor }));
    const got = await roundTrip(proxy, Buffer.from('anyone?'));
    assert.equal(got.length, 0);
  });
});
