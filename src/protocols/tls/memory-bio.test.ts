import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConnectionLost } from '../../internet/error.js';
import { setErrorReporter } from '../../internet/error-reporter.js';
import type { IProtocol } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { startTLS, TLSError } from '../../internet/tls.js';
import { optionsForClientTLS, type TLSServerOptions } from '../../internet/tls-options.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { connectedServerAndClient, type FakeTransport } from '../../testing/iosim.js';
import { StringTransport } from '../../testing/string-transport.js';
import { TLSMemoryBIOFactory, TLSMemoryBIOProtocol } from './memory-bio.js';

const certs = makeTestCertificates();
after(() => certs.cleanup());
const serverOptions: TLSServerOptions = { key: certs.serverKey, cert: certs.serverCert };
const clientOptions = optionsForClientTLS('localhost', { trustRoot: certs.caCert });

/**
 * Node's TLS engine answers on later turns of the event loop. Everything it does that matters to
 * a pair shows as a call on a transport (ciphertext written, a close) or on a protocol (cleartext,
 * handshake, loss): each such call "pokes", and `pumpUntil` waits for the next poke, never for time.
 */
let pokes = 0;
let wake: (() => void) | null = null;
function poke(): void {
  pokes++;
  const w = wake;
  wake = null;
  w?.();
}

/** What each side received off the wire, and a pump that waits on the TLS engine's activity. */
interface Wire {
  readonly fromClient: Buffer[];
  readonly fromServer: Buffer[];
  pumpUntil(done: () => boolean): Promise<void>;
}

/** Records what `p` receives from its transport. */
function tap(p: IProtocol, log: Buffer[]): void {
  const dataReceived = p.dataReceived.bind(p);
  p.dataReceived = (data) => {
    log.push(Buffer.from(data));
    dataReceived(data);
  };
}

/** Pokes whenever `t` is written to or closed. */
function spy(t: FakeTransport): void {
  const write = t.write.bind(t);
  t.write = (data) => {
    write(data);
    poke();
  };
  for (const name of ['loseConnection', 'abortConnection', 'loseWriteConnection'] as const) {
    const f = t[name].bind(t);
    t[name] = () => {
      f();
      poke();
    };
  }
}

/** Connects `server` and `client` in memory; `greet: false` delivers nothing yet. */
function pair<S extends IProtocol, C extends IProtocol>(server: S, client: C, greet = true) {
  const fromClient: Buffer[] = [];
  const fromServer: Buffer[] = [];
  tap(server, fromClient);
  tap(client, fromServer);
  const p = connectedServerAndClient<S, C>(server, client, { greet: false });
  spy(p.clientTransport);
  spy(p.serverTransport);
  const wire: Wire = {
    fromClient,
    fromServer,
    async pumpUntil(done) {
      for (;;) {
        const before = pokes;
        p.pump.flush();
        if (done()) return;
        if (pokes !== before) continue;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
  if (greet) p.pump.flush();
  return { ...p, wire };
}

class Side extends Protocol {
  data = '';
  handshakes = 0;
  lostReason: Error | null = null;
  override connectionMade(): void {
    poke();
  }
  handshakeCompleted(): void {
    this.handshakes++;
    poke();
  }
  override dataReceived(data: Buffer): void {
    this.data += data.toString();
    poke();
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.lostReason = reason;
    poke();
  }
}

class EchoSide extends Side {
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    this.transport!.write(data);
  }
}

const wrapServer = (p: IProtocol, options: TLSServerOptions = serverOptions) =>
  new TLSMemoryBIOProtocol(p, options, false);
const wrapClient = (p: IProtocol, options = clientOptions) => new TLSMemoryBIOProtocol(p, options, true);

describe('TLSMemoryBIOProtocol', { timeout: 10_000 }, () => {
  it('runs a TLS pair in memory: handshake, echo, then a clean close on both sides', async () => {
    const server = new EchoSide();
    const client = new Side();
    const { wire } = pair(wrapServer(server), wrapClient(client));
    await wire.pumpUntil(() => client.handshakes === 1 && server.handshakes === 1);
    client.transport!.write('in memory');
    await wire.pumpUntil(() => client.data === 'in memory');
    assert.ok(!Buffer.concat(wire.fromClient).includes('in memory'), 'the wire carries ciphertext');
    const tlsTransport = client.transport as TLSMemoryBIOProtocol;
    assert.equal(tlsTransport.getPeerCertificate()?.subject.CN, 'localhost');
    assert.equal(tlsTransport.negotiatedProtocol, null);
    client.transport!.loseConnection();
    await wire.pumpUntil(() => client.lostReason !== null && server.lostReason !== null);
    assert.equal(client.lostReason?.name, 'ConnectionDone');
    assert.equal(server.lostReason?.name, 'ConnectionDone');
  });

  it('builds its protocols with TLSMemoryBIOFactory and negotiates ALPN', async () => {
    const server = new EchoSide();
    const client = new Side();
    const addr = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 1 } as const;
    const serverFactory = new TLSMemoryBIOFactory(
      { ...serverOptions, ALPNProtocols: ['h2', 'http/1.1'] },
      false,
      { buildProtocol: () => server, doStart() {}, doStop() {} },
    );
    const clientFactory = new TLSMemoryBIOFactory(
      optionsForClientTLS('localhost', { trustRoot: certs.caCert, acceptableProtocols: ['http/1.1'] }),
      true,
      { buildProtocol: () => client, doStart() {}, doStop() {} },
    );
    const { wire } = pair(serverFactory.buildProtocol(addr)!, clientFactory.buildProtocol(addr)!);
    await wire.pumpUntil(() => client.handshakes === 1 && server.handshakes === 1);
    assert.equal((client.transport as TLSMemoryBIOProtocol).negotiatedProtocol, 'http/1.1');
    assert.equal((server.transport as TLSMemoryBIOProtocol).negotiatedProtocol, 'http/1.1');
  });

  it('reports an exception from the wrapped dataReceived and aborts the connection instead of throwing', async () => {
    class Boom extends Side {
      override dataReceived(_data: Buffer): void {
        poke();
        throw new Error('boom');
      }
    }
    const reported: [unknown, string][] = [];
    const previous = setErrorReporter((err, context) => reported.push([err, context]));
    try {
      const server = new Boom();
      const client = new Side();
      const { wire } = pair(wrapServer(server), wrapClient(client));
      await wire.pumpUntil(() => client.handshakes === 1 && server.handshakes === 1);
      client.transport!.write('hello');
      await wire.pumpUntil(() => server.lostReason !== null && client.lostReason !== null);
      assert.equal(reported.length, 1);
      assert.equal((reported[0]![0] as Error).message, 'boom');
      assert.match(reported[0]![1], /dataReceived/);
    } finally {
      setErrorReporter(previous);
    }
  });

  it('fails the client with ConnectionLost when the server certificate is not trusted', async () => {
    const client = new Side();
    const { wire } = pair(
      wrapServer(new EchoSide(), { key: certs.otherKey, cert: certs.otherCert }),
      wrapClient(client),
    );
    await wire.pumpUntil(() => client.lostReason !== null);
    assert.ok(client.lostReason instanceof ConnectionLost);
    assert.equal(client.handshakes, 0);
  });

  it('checks a client certificate the server asks for: accepts a valid one, drops a missing one', async () => {
    const required = { ...serverOptions, requestCert: true, ca: certs.caCert };
    const server = new EchoSide();
    const client = new Side();
    const withCert = optionsForClientTLS('localhost', {
      trustRoot: certs.caCert,
      clientCertificate: { cert: certs.clientCert, key: certs.clientKey },
    });
    const ok = pair(wrapServer(server, required), wrapClient(client, withCert));
    await ok.wire.pumpUntil(() => server.handshakes === 1 && client.handshakes === 1);
    assert.equal((server.transport as TLSMemoryBIOProtocol).getPeerCertificate()?.subject.CN, 'test client');

    const refused = new EchoSide();
    const anonymous = new Side();
    const bad = pair(wrapServer(refused, required), wrapClient(anonymous));
    await bad.wire.pumpUntil(() => refused.lostReason !== null && anonymous.lostReason !== null);
    assert.equal(refused.handshakes, 0);
    assert.ok(refused.lostReason instanceof ConnectionLost);
    assert.match(refused.lostReason.message, /certificate/);
  });
});

const COMMAND = 'STARTTLS\r\n';

/**
 * Talks in clear until `STARTTLS\r\n`, then upgrades with `startTLS(this.transport, …)` and echoes,
 * handing TLS the bytes it read past the command. With `reply`, it answers `GO` in clear first.
 */
class StartTLSServer extends Side {
  clear = '';
  leftover = -1;
  constructor(readonly reply: boolean) {
    super();
  }
  override dataReceived(data: Buffer): void {
    if (this.leftover !== -1) {
      super.dataReceived(data);
      this.transport!.write(data);
      return;
    }
    this.clear += data.toString('latin1');
    const at = this.clear.indexOf(COMMAND);
    if (at === -1) return;
    const rest = Buffer.from(this.clear.slice(at + COMMAND.length), 'latin1');
    this.clear = this.clear.slice(0, at + COMMAND.length);
    this.leftover = rest.length;
    if (this.reply) this.transport!.write('GO\r\n');
    startTLS(this.transport!, serverOptions, { server: true, received: rest });
    poke();
  }
}

describe('STARTTLS over TLSMemoryBIOProtocol (any transport)', { timeout: 10_000 }, () => {
  it('sends what was written before the call in clear and what follows encrypted', async () => {
    class Client extends Side {
      override connectionMade(): void {
        this.transport!.write(`hello in clear\r\n${COMMAND}`);
      }
      override dataReceived(data: Buffer): void {
        if (this.handshakes === 0 && data.toString() === 'GO\r\n') {
          startTLS(this.transport!, clientOptions).write('secret');
          poke();
          return;
        }
        super.dataReceived(data);
      }
    }
    const server = new StartTLSServer(true);
    const client = new Client();
    const { wire } = pair(new TLSMemoryBIOProtocol(server), new TLSMemoryBIOProtocol(client));
    await wire.pumpUntil(() => client.data === 'secret');
    assert.equal(server.clear, `hello in clear\r\n${COMMAND}`);
    assert.equal(server.data, 'secret');
    assert.equal(server.handshakes, 1);
    assert.equal(client.handshakes, 1);
    const clientWire = Buffer.concat(wire.fromClient);
    assert.ok(
      clientWire.subarray(0, 16 + COMMAND.length).equals(Buffer.from(`hello in clear\r\n${COMMAND}`)),
    );
    assert.ok(!clientWire.includes('secret'), 'the bytes after the upgrade are encrypted');
    assert.equal(Buffer.concat(wire.fromServer).subarray(0, 4).toString(), 'GO\r\n');
    assert.equal((client.transport as TLSMemoryBIOProtocol).getPeerCertificate()?.subject.CN, 'localhost');
  });

  it('does not lose a ClientHello the peer sent in the same chunk as its STARTTLS command', async () => {
    class PipeliningClient extends Side {
      override connectionMade(): void {
        this.transport!.write(COMMAND);
        startTLS(this.transport!, clientOptions).write('pipelined');
      }
    }
    const server = new StartTLSServer(false);
    const client = new PipeliningClient();
    const { wire } = pair(new TLSMemoryBIOProtocol(server), new TLSMemoryBIOProtocol(client), false);
    // Node's TLS engine wrote the ClientHello as soon as startTLS ran: the first delivery gives the
    // server the command and the start of the handshake in one chunk.
    await wire.pumpUntil(() => server.data === 'pipelined' && client.data === 'pipelined');
    assert.ok(wire.fromClient[0]!.length > COMMAND.length, 'one chunk held the command and the handshake');
    assert.ok(
      server.leftover > 0,
      `the server upgraded with ${server.leftover} handshake bytes already read`,
    );
  });

  it('refuses a second startTLS, and names the way out on a transport that cannot upgrade', () => {
    const proto = new TLSMemoryBIOProtocol(new Side());
    proto.makeConnection(new StringTransport());
    assert.equal(proto.tlsStarted, false);
    proto.startTLS(clientOptions);
    assert.equal(proto.tlsStarted, true);
    assert.throws(() => startTLS(proto, clientOptions), TLSError);
    assert.throws(() => startTLS(new StringTransport(), clientOptions), /TLSMemoryBIOProtocol/);
  });

  it('passes bytes through untouched while in clear', () => {
    const inner = new Side();
    const transport = new StringTransport();
    const proto = new TLSMemoryBIOProtocol(inner);
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from('plain'));
    inner.transport!.write('text');
    assert.equal(inner.data, 'plain');
    assert.equal(transport.value().toString(), 'text');
    inner.transport!.loseConnection();
    assert.equal(transport.disconnecting, true);
  });
});
