/**
 * TLS interop with peers we did not write: `openssl s_client` and curl against our `listenSSL`
 * server, `openssl s_client -starttls smtp` against a STARTTLS upgrade of a plain TCP connection,
 * and our `connectSSL` client against `openssl s_server`. Each peer runs on loopback and is stopped
 * by the PID we started. A missing peer fails the test with the command that installs it.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { Factory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { startTLS, type TLSTransport } from '../../../src/internet/tls.js';
import { optionsForClientTLS } from '../../../src/internet/tls-options.js';
import { connectSSL, listenSSL } from '../../../src/internet/tls-port.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import { KeepingFactory, Probe } from '../../integration/tls/helpers.js';

/** Throws, naming the install command, when a peer program is missing. */
function requirePeer(command: string, args: string[], pkg: string): void {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `${command} is missing (${r.error?.message ?? r.stderr}); install it with: apt-get install ${pkg}`,
    );
  }
}
requirePeer('openssl', ['version'], 'openssl');

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});

function run(
  cmd: string,
  args: string[],
  input?: string,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1 });
    });
    children.push(child);
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * Just enough SMTP for `openssl s_client -starttls smtp`: a greeting, EHLO offering STARTTLS, the
 * upgrade of the plain TCP connection with `startTLS`, then commands over TLS. It records which
 * commands came in clear and which over TLS.
 */
class StartTLSMail extends Protocol {
  #buffer = '';
  secure = false;
  readonly commands: string[] = [];
  readonly done = new Deferred<void>();
  override connectionMade(): void {
    this.transport!.write('220 localhost ESMTP twisted-ts\r\n');
  }
  handshakeCompleted(): void {
    this.secure = true;
  }
  override dataReceived(data: Buffer): void {
    this.#buffer += data.toString('latin1');
    for (let end = this.#buffer.indexOf('\r\n'); end !== -1; end = this.#buffer.indexOf('\r\n')) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#command(line);
    }
  }
  #command(line: string): void {
    const verb = line.split(' ')[0]!.toUpperCase();
    this.commands.push(`${this.secure ? 'tls' : 'clear'} ${verb}`);
    const t = this.transport!;
    if (verb === 'EHLO')
      t.write(this.secure ? '250 localhost secure\r\n' : '250-localhost\r\n250 STARTTLS\r\n');
    else if (verb === 'STARTTLS') {
      t.write('220 2.0.0 Ready to start TLS\r\n');
      const rest = Buffer.from(this.#buffer, 'latin1');
      this.#buffer = '';
      this.transport = startTLS(
        t,
        { key: certs.serverKey, cert: certs.serverCert },
        {
          server: true,
          received: rest,
          protocol: this,
        },
      );
    } else if (verb === 'QUIT') {
      t.write('221 2.0.0 Bye\r\n');
      t.loseConnection();
    } else t.write('502 5.5.2 Not implemented\r\n');
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.done.callback(undefined);
  }
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

/** `openssl s_client` options: verify our server against the test CA, as `localhost`, sending SNI. */
const VERIFY_LOCALHOST = [
  '-CAfile',
  certs.files.ca,
  '-verify_return_error',
  '-verify_hostname',
  'localhost',
  '-servername',
  'localhost',
];

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
      ...VERIFY_LOCALHOST,
      '-quiet',
    ]);
    assert.match(r.stdout, /hello from twisted-ts/);
    assert.doesNotMatch(r.stderr, /verify error/);
  });

  it('openssl s_client -starttls smtp upgrades a plain TCP connection to TLS and verifies us', async () => {
    const factory = new KeepingFactory(() => new StartTLSMail());
    const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1' });
    ports.push(port);
    const r = await run(
      'openssl',
      [
        's_client',
        '-starttls',
        'smtp',
        '-connect',
        `127.0.0.1:${(port.getHost() as { port: number }).port}`,
        ...VERIFY_LOCALHOST,
        '-crlf',
        '-quiet',
      ],
      'EHLO after\nQUIT\n',
    );
    const server = await factory.first;
    await server.done;
    assert.doesNotMatch(r.stderr, /verify error/);
    assert.match(r.stdout, /250 localhost secure/);
    assert.match(r.stdout, /221 2\.0\.0 Bye/);
    assert.deepEqual(server.commands, ['clear EHLO', 'clear STARTTLS', 'tls EHLO', 'tls QUIT']);
  });

  it('curl fetches over HTTPS from our server with ALPN http/1.1', async () => {
    requirePeer('curl', ['--version'], 'curl');
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
    requirePeer('curl', ['--version'], 'curl');
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
