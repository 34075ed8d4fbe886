import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConnectionLost } from '../../internet/error.js';
import { setErrorReporter } from '../../internet/error-reporter.js';
import type { IProtocol, ITransport } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { optionsForClientTLS } from '../../internet/tls-options.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { connectedServerAndClient, type IOPump } from '../../testing/iosim.js';
import { TLSMemoryBIOProtocol } from './memory-bio.js';

const certs = makeTestCertificates();
after(() => certs.cleanup());
const serverOptions = { key: certs.serverKey, cert: certs.serverCert };
const clientOptions = optionsForClientTLS('localhost', { trustRoot: certs.caCert });

class Side extends Protocol {
  data = '';
  handshakes = 0;
  lostReason: Error | null = null;
  handshakeCompleted(): void {
    this.handshakes++;
  }
  override dataReceived(data: Buffer): void {
    this.data += data.toString();
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.lostReason = reason;
  }
}

class EchoSide extends Side {
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    this.transport!.write(data);
  }
}

/** Pumps until `done()` (node's TLS engine works on later ticks, so each round awaits one). */
async function pumpUntil(pump: IOPump, done: () => boolean, rounds = 500): Promise<void> {
  for (let i = 0; i < rounds && !done(); i++) {
    pump.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.ok(done(), 'the pair did not get there');
}

describe('TLSMemoryBIOProtocol', { timeout: 10_000 }, () => {
  it('runs a TLS pair in memory: handshake, echo, then a clean close on both sides', async () => {
    const server = new EchoSide();
    const client = new Side();
    const { pump } = connectedServerAndClient(
      new TLSMemoryBIOProtocol(server, serverOptions, false),
      new TLSMemoryBIOProtocol(client, clientOptions, true),
    );
    await pumpUntil(pump, () => client.handshakes === 1 && server.handshakes === 1);
    client.transport!.write('in memory');
    await pumpUntil(pump, () => client.data === 'in memory');
    assert.equal((client.transport as TLSMemoryBIOProtocol).getPeerCertificate()?.subject.CN, 'localhost');
    client.transport!.loseConnection();
    await pumpUntil(pump, () => client.lostReason !== null && server.lostReason !== null);
    assert.equal(client.lostReason?.name, 'ConnectionDone');
    assert.equal(server.lostReason?.name, 'ConnectionDone');
  });

  it('reports an exception from the wrapped dataReceived and aborts the connection instead of throwing', async () => {
    class Boom extends Side {
      override dataReceived(_data: Buffer): void {
        throw new Error('boom');
      }
    }
    const reported: [unknown, string][] = [];
    const previous = setErrorReporter((err, context) => reported.push([err, context]));
    try {
      const server = new Boom();
      const client = new Side();
      const { pump } = connectedServerAndClient(
        new TLSMemoryBIOProtocol(server, serverOptions, false),
        new TLSMemoryBIOProtocol(client, clientOptions, true),
      );
      await pumpUntil(pump, () => client.handshakes === 1 && server.handshakes === 1);
      client.transport!.write('hello');
      await pumpUntil(pump, () => server.lostReason !== null && client.lostReason !== null);
      assert.equal(reported.length, 1);
      assert.equal((reported[0]![0] as Error).message, 'boom');
      assert.match(reported[0]![1], /dataReceived/);
    } finally {
      setErrorReporter(previous);
    }
  });

  it('fails the client with ConnectionLost when the server certificate is not trusted', async () => {
    const client = new Side();
    const { pump } = connectedServerAndClient(
      new TLSMemoryBIOProtocol(new EchoSide(), { key: certs.otherKey, cert: certs.otherCert }, false),
      new TLSMemoryBIOProtocol(client, clientOptions, true),
    );
    await pumpUntil(pump, () => client.lostReason !== null);
    assert.ok(client.lostReason instanceof ConnectionLost);
    assert.equal(client.handshakes, 0);
  });

  it('upgrades an in-memory connection with STARTTLS, the clear text before it untouched', async () => {
    /** Speaks clear text until STARTTLS, then routes everything through a TLS layer. */
    class StartTLSPeer extends Protocol {
      clear = '';
      tls: TLSMemoryBIOProtocol | null = null;
      readonly inner: Side;
      constructor(readonly isClient: boolean) {
        super();
        this.inner = isClient ? new Side() : new EchoSide();
      }
      upgrade(): void {
        this.tls = new TLSMemoryBIOProtocol(
          this.inner,
          this.isClient ? clientOptions : serverOptions,
          this.isClient,
        );
        this.tls.makeConnection(this.transport as ITransport);
      }
      override dataReceived(data: Buffer): void {
        if (this.tls !== null) {
          this.tls.dataReceived(data);
          return;
        }
        this.clear += data.toString();
        if (!this.isClient && this.clear.endsWith('STARTTLS\r\n')) {
          this.transport!.write('GO\r\n');
          this.upgrade();
        }
        if (this.isClient && this.clear.endsWith('GO\r\n')) this.upgrade();
      }
      override connectionLost(reason: Error): void {
        this.tls?.connectionLost(reason);
      }
    }
    const server = new StartTLSPeer(false);
    const client = new StartTLSPeer(true);
    const { pump } = connectedServerAndClient<IProtocol, IProtocol>(server, client);
    client.transport!.write('EHLO\r\nSTARTTLS\r\n');
    await pumpUntil(pump, () => client.inner.handshakes === 1);
    assert.equal(server.clear, 'EHLO\r\nSTARTTLS\r\n');
    client.tls!.write('secret');
    await pumpUntil(pump, () => server.inner.data === 'secret' && client.inner.data === 'secret');
  });
});
