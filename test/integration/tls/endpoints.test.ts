import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SSL4ClientEndpoint, SSL4ServerEndpoint } from '../../../src/internet/endpoints/ssl.js';
import { clientFromString, serverFromString } from '../../../src/internet/endpoints/strports.js';
import { TCP4ClientEndpoint } from '../../../src/internet/endpoints/tcp.js';
import { wrapClientTLS } from '../../../src/internet/endpoints/tls-wrap.js';
import { UNIXClientEndpoint, UNIXServerEndpoint } from '../../../src/internet/endpoints/unix.js';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { optionsForClientTLS } from '../../../src/internet/tls-options.js';
import { TLSUpgradeFactory } from '../../../src/internet/tls-port.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';
import { EchoProbe, KeepingFactory, Probe } from './helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  certs.cleanup();
});
const trust = optionsForClientTLS('localhost', { trustRoot: certs.caCert });

async function echoThrough(client: Probe, text: string): Promise<void> {
  await client.secure;
  client.transport!.write(text);
  assert.equal((await client.until(text.length)).toString(), text);
  client.transport!.loseConnection();
  await client.lost;
}

describe('TLS endpoints over loopback', { timeout: 20_000 }, () => {
  it('SSL4ServerEndpoint and SSL4ClientEndpoint echo with verification', async () => {
    const port = await new SSL4ServerEndpoint(
      reactor,
      0,
      { key: certs.serverKey, cert: certs.serverCert },
      {
        interface: '127.0.0.1',
      },
    ).listen(new KeepingFactory(() => new EchoProbe()));
    ports.push(port);
    const n = (port.getHost() as { port: number }).port;
    const c = (await new SSL4ClientEndpoint(reactor, '127.0.0.1', n, trust).connect(
      new KeepingFactory(() => new Probe()),
    )) as Probe;
    await echoThrough(c, 'ssl4');
  });

  it('serverFromString ssl: and clientFromString tls: talk to each other', async () => {
    const d = `ssl:0:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}:interface=127.0.0.1`;
    const port = await serverFromString(reactor, d).listen(new KeepingFactory(() => new EchoProbe()));
    ports.push(port);
    const n = (port.getHost() as { port: number }).port;
    const ep = clientFromString(reactor, `tls:localhost:${n}:trustRoots=${certs.files.ca}`);
    const c = (await ep.connect(new KeepingFactory(() => new Probe()))) as Probe;
    assert.ok(c instanceof Probe);
    await echoThrough(c, 'from strings');
  });

  it('wrapClientTLS adds TLS over a UNIX client endpoint', async () => {
    const path = `${certs.dir}/tls.sock`;
    const server = new TLSUpgradeFactory(
      new KeepingFactory(() => new EchoProbe()),
      { key: certs.serverKey, cert: certs.serverCert },
      true,
    );
    ports.push(await new UNIXServerEndpoint(reactor, path).listen(server));
    const ep = wrapClientTLS(trust, new UNIXClientEndpoint(reactor, path));
    const c = (await ep.connect(new KeepingFactory(() => new Probe()))) as Probe;
    await echoThrough(c, 'tls over unix');
  });

  it('wrapClientTLS fails the connection when the server is not trusted', async () => {
    const port = await new SSL4ServerEndpoint(
      reactor,
      0,
      { key: certs.otherKey, cert: certs.otherCert },
      {
        interface: '127.0.0.1',
      },
    ).listen(new KeepingFactory(() => new EchoProbe()));
    ports.push(port);
    const n = (port.getHost() as { port: number }).port;
    const ep = wrapClientTLS(trust, new TCP4ClientEndpoint(reactor, '127.0.0.1', n));
    const c = (await ep.connect(new KeepingFactory(() => new Probe()))) as Probe;
    const reason = await c.lost;
    assert.equal(reason.name, 'ConnectionLost');
    assert.equal(c.handshakes, 0);
  });
});
