import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import * as tls from 'node:tls';
import { Deferred } from '../../internet/defer.js';
import { clientFromString, serverFromString } from '../../internet/endpoints/strports.js';
import type { IListeningPort } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { NodeReactor } from '../../internet/reactor.js';
import { capturedLogs } from '../../logger/capture.js';
import { makeTestCertificates } from '../../testing/certs.js';
import { StringTransport } from '../../testing/string-transport.js';
import './index.js';
import { HAProxyWrappingFactory } from './wrapper.js';

class Recorder extends Protocol {
  data = '';
  readonly made = new Deferred<Recorder>();
  override connectionMade(): void {
    this.made.callback(this);
  }
  override dataReceived(data: Buffer): void {
    this.data += data.toString();
  }
}

function wrapped() {
  const built: Recorder[] = [];
  const inner = new Factory();
  inner.buildProtocol = () => {
    const p = new Recorder();
    built.push(p);
    return p;
  };
  const proto = new HAProxyWrappingFactory(inner).buildProtocol({ type: 'TCP' });
  const transport = new StringTransport();
  proto.makeConnection(transport);
  return { proto, transport, built };
}

describe('HAProxyWrappingFactory', () => {
  it('hands the connection over with getPeer and getHost taken from the header', () => {
    const { proto, built } = wrapped();
    proto.dataReceived(Buffer.from('PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\nhello'));
    const p = built[0]!;
    assert.equal(p.data, 'hello');
    assert.deepEqual(p.transport!.getPeer(), {
      type: 'TCP',
      family: 'IPv4',
      host: '203.0.113.7',
      port: 40000,
    });
    assert.deepEqual(p.transport!.getHost(), {
      type: 'TCP',
      family: 'IPv4',
      host: '198.51.100.1',
      port: 443,
    });
    proto.dataReceived(Buffer.from(' world'));
    assert.equal(p.data, 'hello world');
  });

  it('builds nothing until the whole header has arrived byte by byte', () => {
    const { proto, built } = wrapped();
    for (const b of Buffer.from('PROXY UNKNOWN\r\n')) {
      assert.equal(built.length, 0);
      proto.dataReceived(Buffer.from([b]));
    }
    assert.equal(built.length, 1);
    assert.deepEqual(built[0]!.transport!.getPeer(), new StringTransport().getPeer());
  });

  it('aborts the connection and logs the reason when the header is missing', (t) => {
    const logs = capturedLogs();
    t.after(() => logs.restore());
    const { proto, transport, built } = wrapped();
    proto.dataReceived(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    assert.equal(transport.aborted, true);
    assert.equal(built.length, 0);
    assert.match(JSON.stringify(logs.events), /invalid PROXY header/);
  });

  it('passes writes from the wrapped protocol to the real connection', () => {
    const { proto, transport, built } = wrapped();
    proto.dataReceived(Buffer.from('PROXY UNKNOWN\r\n'));
    built[0]!.transport!.write('pong');
    assert.equal(transport.value().toString(), 'pong');
  });
});

describe('the haproxy: endpoint', { timeout: 10_000 }, () => {
  const reactor = new NodeReactor({ installSignalHandlers: false });
  const ports: IListeningPort[] = [];
  after(async () => {
    for (const p of ports) await p.stopListening();
  });

  it('listens through serverFromString and reports the proxied client as the peer', async () => {
    const made = new Deferred<Recorder>();
    const factory = new Factory();
    factory.buildProtocol = () => {
      const p = new Recorder();
      p.made.addCallback((r) => made.callback(r));
      return p;
    };
    const port = await serverFromString(reactor, 'haproxy:tcp:0:interface=127.0.0.1').listen(factory);
    ports.push(port);
    const portNumber = (port.getHost() as { port: number }).port;
    const client = await clientFromString(reactor, `tcp:127.0.0.1:${portNumber}`).connect(
      Factory.forProtocol(Protocol),
    );
    (client as Protocol).transport!.write('PROXY TCP6 2001:db8::7 2001:db8::1 5555 80\r\n');
    const server = await made;
    assert.deepEqual(server.transport!.getPeer(), {
      type: 'TCP',
      family: 'IPv6',
      host: '2001:db8::7',
      port: 5555,
    });
    (client as Protocol).transport!.loseConnection();
  });

  it('reads the header before the TLS handshake with haproxy:ssl:, as HAProxy sends it', async () => {
    const certs = makeTestCertificates();
    after(() => certs.cleanup());
    const made = new Deferred<Recorder>();
    const factory = new Factory();
    factory.buildProtocol = () => {
      const p = new Recorder();
      p.made.addCallback((r) => made.callback(r));
      p.dataReceived = (data: Buffer) => p.transport!.write(data);
      return p;
    };
    const d = `haproxy:ssl:0:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}:interface=127.0.0.1`;
    const port = await serverFromString(reactor, d).listen(factory);
    ports.push(port);
    const raw = net.connect((port.getHost() as { port: number }).port, '127.0.0.1');
    raw.write('PROXY TCP4 192.0.2.9 192.0.2.1 4242 443\r\n');
    const secure = tls.connect({ socket: raw, ca: certs.caCert, servername: 'localhost' });
    secure.write('through the balancer');
    const echoed = await new Promise<string>((resolve, reject) => {
      let text = '';
      secure.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.length >= 20) resolve(text);
      });
      secure.on('error', reject);
    });
    assert.equal(echoed, 'through the balancer');
    const server = await made;
    assert.deepEqual(server.transport!.getPeer(), {
      type: 'TCP',
      family: 'IPv4',
      host: '192.0.2.9',
      port: 4242,
    });
    secure.destroy();
  });
});
