import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { serverFromString } from '../internet/endpoints/strports.js';
import type { IListeningPort } from '../internet/interfaces.js';
import { NodeReactor } from '../internet/reactor.js';
// Registers the `haproxy:` endpoint prefix.
import '../protocols/haproxy/index.js';
import { makeTestCertificates } from '../testing/certs.js';
import type { Request } from './request.js';
import { Resource } from './resource.js';
import { Site } from './site.js';

/** Answers what the request knows about its connection, as JSON. */
class Whoami extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    const peer = request.getClientAddress() as { host?: string; port?: number };
    request.setHeader('Content-Type', 'application/json');
    return JSON.stringify({ secure: request.isSecure(), host: peer.host, port: peer.port });
  }
}

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});

async function listen(description: string): Promise<number> {
  const site = new Site(new Whoami(), { clock: reactor });
  const port = await serverFromString(reactor, description).listen(site);
  ports.push(port);
  return (port.getHost() as { port: number }).port;
}

/** Sends `bytes` on a fresh connection and resolves with everything the server sent back. */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

function bodyOf(response: string): { secure: boolean; host: string; port: number } {
  assert.match(response, /^HTTP\/1\.1 200 OK\r\n/);
  return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
}

describe('Request transport information over real sockets', { timeout: 20_000 }, () => {
  it('isSecure() is true for a request over an ssl: endpoint', async () => {
    const port = await listen(
      `ssl:0:interface=127.0.0.1:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}`,
    );
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', servername: 'localhost', port, path: '/', ca: certs.caCert, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(JSON.parse(body).secure, true);
  });

  it('isSecure() is false for a request over a plain tcp: endpoint', async () => {
    const port = await listen('tcp:0:interface=127.0.0.1');
    const answer = bodyOf(await exchange(port, 'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n'));
    assert.equal(answer.secure, false);
    assert.equal(answer.host, '127.0.0.1');
  });

  it("getClientAddress() reports the PROXY header's client through the haproxy: endpoint", async () => {
    const port = await listen('haproxy:tcp:0:interface=127.0.0.1');
    const answer = bodyOf(
      await exchange(
        port,
        'PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n' +
          'GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n',
      ),
    );
    assert.deepEqual(answer, { secure: false, host: '203.0.113.7', port: 56324 });
  });
});
