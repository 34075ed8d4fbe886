/**
 * Reactor shutdown closes every kind of port and connection it made, not only TCP ones: UNIX
 * sockets (listenUNIX/connectUNIX) and TLS (listenSSL/connectSSL).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Factory } from '../../src/internet/protocol.js';
import { NodeReactor } from '../../src/internet/reactor.js';
import { Recorder, RecordingClientFactory } from '../../src/internet/tcp.test-helpers.js';
import { optionsForClientTLS } from '../../src/internet/tls-options.js';
import { makeTestCertificates } from '../../src/testing/certs.js';

const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-shutdown-'));
const certs = makeTestCertificates();
after(() => {
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const newReactor = (): NodeReactor => new NodeReactor({ installSignalHandlers: false });

/** A factory that records the server-side protocols. */
class ServerFactory extends Factory {
  readonly built: Recorder[] = [];
  override buildProtocol(): Recorder {
    const p = new Recorder();
    this.built.push(p);
    return p;
  }
}

describe('NodeReactor shutdown', () => {
  it('closes UNIX ports and both ends of their connections before run() settles', async () => {
    const r = newReactor();
    const path = join(dir, 'shutdown.sock');
    const server = new ServerFactory();
    const client = new RecordingClientFactory(() => new Recorder());
    r.callWhenRunning(() => {
      r.listenUNIX(path, server);
      r.connectUNIX(path, client);
    });
    const running = r.run();
    const c = await client.nth();
    await c.madeW.promise;
    r.stop();
    await running;
    // Shutdown waited for both ends: they are already closed.
    assert.equal(c.connected, false);
    assert.equal(server.built.length, 1);
    assert.equal(server.built[0]!.connected, false);
    // The port is closed: a new connection fails.
    const refused = new RecordingClientFactory(() => new Recorder());
    newReactor().connectUNIX(path, refused);
    assert.match((await refused.failedW.promise).name, /Error$/);
  });

  it('closes TLS ports and both ends of their connections before run() settles', async () => {
    const r = newReactor();
    const server = new ServerFactory();
    const client = new RecordingClientFactory(() => new Recorder());
    let portNumber = 0;
    r.callWhenRunning(() => {
      const port = r.listenSSL(
        0,
        server,
        { key: certs.serverKey, cert: certs.serverCert },
        { interface: '127.0.0.1' },
      );
      portNumber = (port.getHost() as { port: number }).port;
      r.connectSSL(
        '127.0.0.1',
        portNumber,
        client,
        optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
      );
    });
    const running = r.run();
    const c = await client.nth();
    await c.madeW.promise;
    r.stop();
    await running;
    assert.equal(c.connected, false);
    assert.equal(server.built.length, 1);
    assert.equal(server.built[0]!.connected, false);
    const refused = new RecordingClientFactory(() => new Recorder());
    newReactor().connectTCP('127.0.0.1', portNumber, refused);
    assert.equal((await refused.failedW.promise).name, 'ConnectionRefusedError');
  });
});
