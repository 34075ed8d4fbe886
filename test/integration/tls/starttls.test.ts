import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import type { StreamTransport } from '../../../src/internet/stream-transport.js';
import { startTLS, type TLSTransport } from '../../../src/internet/tls.js';
import { optionsForClientTLS } from '../../../src/internet/tls-options.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import { KeepingFactory, Probe } from './helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});

const COMMAND = Buffer.from('STARTTLS\r\n');

/**
 * Echoes in clear until `STARTTLS\r\n`; then upgrades, handing TLS any bytes read past the command.
 * With `waitForPipelined` it keeps reading until some of the client's handshake has arrived, so the
 * upgrade always has bytes to give back.
 */
class StartTLSServer extends Probe {
  #buffer = Buffer.alloc(0);
  upgraded = false;
  leftover = 0;
  constructor(
    readonly reply: boolean,
    readonly waitForPipelined: boolean,
  ) {
    super();
  }
  override dataReceived(data: Buffer): void {
    if (this.upgraded) {
      super.dataReceived(data);
      this.transport!.write(data);
      return;
    }
    this.#buffer = Buffer.concat([this.#buffer, data]);
    const at = this.#buffer.indexOf(COMMAND);
    if (at === -1) return;
    const rest = this.#buffer.subarray(at + COMMAND.length);
    if (this.waitForPipelined && rest.length < 5) return;
    this.chunks.push(this.#buffer.subarray(0, at));
    if (this.reply) this.transport!.write('GO\r\n');
    this.upgraded = true;
    this.leftover = rest.length;
    this.transport = startTLS(
      this.transport!,
      { key: certs.serverKey, cert: certs.serverCert },
      { server: true, received: rest, protocol: this },
    );
  }
}

function serve(make: () => StartTLSServer) {
  const factory = new KeepingFactory(make);
  const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
  ports.push(port);
  return { factory, port: (port.getHost() as { port: number }).port };
}

describe('startTLS on a TCP connection', { timeout: 20_000 }, () => {
  it('upgrades both sides after a clear-text exchange and keeps bytes written before in clear', async () => {
    const server = serve(() => new StartTLSServer(true, false));
    class Client extends Probe {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write('hello in clear\r\n');
        this.transport!.write(COMMAND);
      }
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        if (this.data.toString() === 'GO\r\n') {
          this.chunks.length = 0;
          const tcp = this.transport as StreamTransport;
          this.transport = tcp.startTLS(optionsForClientTLS('localhost', { trustRoot: certs.caCert }));
          tcp.write('secret'); // the TCP transport now encrypts too
        }
      }
    }
    const cf = new KeepingFactory(() => new Client());
    reactor.connectTCP('127.0.0.1', server.port, cf);
    const c = await cf.first;
    await c.secure;
    assert.equal((await c.until(6)).toString(), 'secret');
    const s = await server.factory.first;
    assert.equal(s.chunks[0]?.toString(), 'hello in clear\r\n');
    assert.equal(s.handshakes, 1);
    assert.equal((c.transport as TLSTransport).getPeerCertificate()?.subject.CN, 'localhost');
    c.transport!.loseConnection();
    await s.lost;
  });

  it('does not lose a ClientHello the peer pipelined right after its STARTTLS command', async () => {
    const server = serve(() => new StartTLSServer(false, true));
    class Client extends Probe {
      override connectionMade(): void {
        super.connectionMade();
        this.transport!.write(COMMAND);
        const secure = startTLS(
          this.transport!,
          optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
          {
            protocol: this,
          },
        );
        this.transport = secure;
        secure.write('pipelined');
      }
    }
    const cf = new KeepingFactory(() => new Client());
    reactor.connectTCP('127.0.0.1', server.port, cf);
    const c = await cf.first;
    assert.equal((await c.until(9)).toString(), 'pipelined');
    const s = await server.factory.first;
    assert.ok(s.leftover >= 5, `the server upgraded with ${s.leftover} handshake bytes already read`);
    c.transport!.loseConnection();
    await s.lost;
  });

  it('interoperates with a node:tls client that upgrades a raw socket', async () => {
    const server = serve(() => new StartTLSServer(true, false));
    const { connect } = await import('node:tls');
    const raw = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    raw.write(COMMAND);
    await new Promise<void>((resolve) => raw.once('data', () => resolve()));
    const secure = connect({ socket: raw, ca: certs.caCert, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    secure.write('node');
    const echoed = await new Promise<Buffer>((resolve) => secure.once('data', resolve));
    assert.equal(echoed.toString(), 'node');
    secure.end();
    const s = await server.factory.first;
    await s.lost;
  });
});
