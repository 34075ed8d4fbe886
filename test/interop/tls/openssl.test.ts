/**
 * TLS interop with peers we did not write: `openssl s_client` and curl against our `listenSSL`
 * server, and our `connectSSL` client against `openssl s_server`. Each peer runs on loopback and is
 * stopped by the PID we started.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { Factory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import type { TLSTransport } from '../../../src/internet/tls.js';
import { optionsForClientTLS } from '../../../src/internet/tls-options.js';
import { connectSSL, listenSSL } from '../../../src/internet/tls-port.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import { KeepingFactory, Probe } from '../../integration/tls/helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});

function run(cmd: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1 });
    });
    children.push(child);
  });
}

class Greeter extends Protocol {
  override connectionMade(): void {
    this.transport!.write('hello from twisted-ts\n');
    this.transport!.loseConnection();
  }
}

class TinyHTTP extends Protocol {
  #buffer = '';
  override dataReceived(data: Buffer): void {
    this.#buffer += data.toString('latin1');
    if (!this.#buffer.includes('\r\n\r\n')) return;
    const alpn = (this.transport as TLSTransport).negotiatedProtocol;
    const body = `ok ${alpn}`;
    this.transport!.write(
      `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    this.transport!.loseConnection();
  }
}

function serve(factory: Factory, alpn?: string[]): number {
  const port = listenSSL(
    reactor,
    0,
    factory,
    { key: certs.serverKey, cert: certs.serverCert, ...(alpn !== undefined && { ALPNProtocols: alpn }) },
    { interface: '127.0.0.1' },
  );
  ports.push(port);
  return (port.getHost() as { port: number }).port;
}

describe('TLS interop', { timeout: 30_000 }, () => {
  it('openssl s_client verifies our server and reads its greeting', async () => {
    const port = serve(Factory.forProtocol(Greeter));
    const r = await run('openssl', [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-CAfile',
      certs.files.ca,
      '-verify_return_error',
      '-verify_hostname',
      'localhost',
      '-servername',
      'localhost',
      '-quiet',
    ]);
    assert.match(r.stdout, /hello from twisted-ts/);
    assert.doesNotMatch(r.stderr, /verify error/);
  });

  it('curl fetches over HTTPS from our server with ALPN http/1.1', async () => {
    const port = serve(Factory.forProtocol(TinyHTTP), ['http/1.1']);
    const r = await run('curl', [
      '--silent',
      '--show-error',
      '--cacert',
      certs.files.ca,
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/`,
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'ok http/1.1');
  });

  it('curl refuses our server when it does not trust the CA', async () => {
    const port = serve(Factory.forProtocol(TinyHTTP));
    const r = await run('curl', [
      '--silent',
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/`,
    ]);
    assert.equal(r.code, 60); // CURLE_PEER_FAILED_VERIFICATION
  });

  it('our client verifies openssl s_server and exchanges data with it', async () => {
    const child = spawn('openssl', [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-key',
      certs.files.serverKey,
      '-cert',
      certs.files.serverCert,
      '-naccept',
      '1',
      '-rev',
    ]);
    children.push(child);
    const portFound = new Deferred<number>();
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ACCEPT\s+\S*:(\d+)/.exec(out);
      if (m !== null && !portFound.called) portFound.callback(Number(m[1]));
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const port = await portFound;
    const factory = new KeepingFactory(() => new Probe());
    connectSSL(
      reactor,
      '127.0.0.1',
      port,
      factory,
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
    const c = await factory.first;
    await c.secure;
    c.transport!.write('twisted\n');
    const got = await c.until(8);
    assert.match(got.toString(), /detsiwt/);
    c.transport!.abortConnection();
    await c.lost;
  });
});
