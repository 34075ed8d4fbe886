import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConnectionLost } from '../../../src/internet/error.js';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import type { TLSTransport } from '../../../src/internet/tls.js';
import {
  optionsForClientTLS,
  type TLSClientOptions,
  type TLSServerOptions,
} from '../../../src/internet/tls-options.js';
import { connectSSL, listenSSL } from '../../../src/internet/tls-port.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import { EchoProbe, KeepingFactory, Probe } from './helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});

const serverOptions: TLSServerOptions = { key: certs.serverKey, cert: certs.serverCert };

function serve<P extends Probe>(make: () => P, options: TLSServerOptions = serverOptions) {
  const factory = new KeepingFactory(make);
  const port = listenSSL(reactor, 0, factory, options, { interface: '127.0.0.1' });
  ports.push(port);
  return { factory, port: (port.getHost() as { port: number }).port };
}

function dial<P extends Probe>(port: number, make: () => P, options: TLSClientOptions) {
  const factory = new KeepingFactory(make);
  connectSSL(reactor, '127.0.0.1', port, factory, options);
  return factory;
}

describe('listenSSL and connectSSL', { timeout: 20_000 }, () => {
  it('echo bytes over TLS after verifying the server against the CA', async () => {
    const server = serve(() => new EchoProbe());
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const c = await client.first;
    await c.made;
    c.transport!.write('hello over tls');
    const got = await c.until(14);
    assert.equal(got.toString(), 'hello over tls');
    c.transport!.loseConnection();
    await c.lost;
    const s = await server.factory.first;
    await s.lost;
  });

  it('calls handshakeCompleted on both sides and exposes the peer certificate', async () => {
    const server = serve(() => new EchoProbe());
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const c = await client.first;
    await c.secure;
    const s = await server.factory.first;
    await s.secure;
    assert.equal(c.handshakes, 1);
    const cert = (c.transport as TLSTransport).getPeerCertificate();
    assert.equal(cert?.subject.CN, 'localhost');
    assert.equal((s.transport as TLSTransport).getPeerCertificate(), null);
    assert.equal((c.transport as TLSTransport).handshakeDone, true);
    c.transport!.abortConnection();
    await c.lost;
  });

  it('refuses a server whose certificate no trusted CA signed', async () => {
    const server = serve(() => new EchoProbe(), { key: certs.otherKey, cert: certs.otherCert });
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const c = await client.first;
    const reason = await c.lost;
    assert.ok(reason instanceof ConnectionLost, String(reason));
    assert.equal(c.handshakes, 0);
  });

  it('refuses a server certificate for another host name', async () => {
    const server = serve(() => new EchoProbe());
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('example.com', { trustRoot: certs.caCert }),
    );
    const c = await client.first;
    const reason = await c.lost;
    assert.ok(reason instanceof ConnectionLost);
    assert.match(String((reason.cause as Error).message), /example\.com/);
    assert.equal(c.handshakes, 0);
  });

  it('accepts an unverified server only when rejectUnauthorized is false', async () => {
    const server = serve(() => new EchoProbe(), { key: certs.otherKey, cert: certs.otherCert });
    const client = dial(server.port, () => new Probe(), { rejectUnauthorized: false });
    const c = await client.first;
    await c.secure;
    c.transport!.write('x');
    assert.equal((await c.until(1)).toString(), 'x');
    c.transport!.loseConnection();
    await c.lost;
  });

  it('authenticates a client certificate the server asked for', async () => {
    const server = serve(() => new EchoProbe(), { ...serverOptions, requestCert: true, ca: certs.caCert });
    const client = dial(server.port, () => new Probe(), {
      ...optionsForClientTLS('localhost', {
        trustRoot: certs.caCert,
        clientCertificate: { cert: certs.clientCert, key: certs.clientKey },
      }),
    });
    const c = await client.first;
    await c.secure;
    const s = await server.factory.first;
    await s.secure;
    assert.equal((s.transport as TLSTransport).getPeerCertificate()?.subject.CN, 'test client');
    c.transport!.loseConnection();
    await c.lost;
  });

  it('drops a client without a certificate when the server requires one', async () => {
    const server = serve(() => new EchoProbe(), { ...serverOptions, requestCert: true, ca: certs.caCert });
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const s = await server.factory.first;
    const reason = await s.lost;
    assert.ok(reason instanceof ConnectionLost);
    assert.equal(s.handshakes, 0);
    const c = await client.first;
    await c.lost;
  });

  it('negotiates an ALPN protocol both sides offer', async () => {
    const server = serve(() => new EchoProbe(), { ...serverOptions, ALPNProtocols: ['h2', 'http/1.1'] });
    const client = dial(
      server.port,
      () => new Probe(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert, acceptableProtocols: ['http/1.1'] }),
    );
    const c = await client.first;
    await c.secure;
    assert.equal((c.transport as TLSTransport).negotiatedProtocol, 'http/1.1');
    const s = await server.factory.first;
    await s.secure;
    assert.equal((s.transport as TLSTransport).negotiatedProtocol, 'http/1.1');
    c.transport!.loseConnection();
    await c.lost;
  });

  it('sends data written before the handshake once it completes', async () => {
    class Eager extends Probe {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write('early');
      }
    }
    const server = serve(() => new EchoProbe());
    const client = dial(
      server.port,
      () => new Eager(),
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const c = await client.first;
    assert.equal((await c.until(5)).toString(), 'early');
    c.transport!.loseConnection();
    await c.lost;
  });
});
