import assert from 'node:assert/strict';
import { lstatSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeTestCertificates } from '../../testing/certs.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { Factory, Protocol } from '../protocol.js';
import { NodeReactor } from '../reactor.js';
import { TLSUpgradeFactory } from '../tls-port.js';
import { EndpointStringError } from './description.js';
import { registerServerWrapper } from './server-parsers.js';
import { clientFromString, serverFromString } from './strports.js';
import { ConnectingCancelledError, WrappingFactory } from './wrapping-factory.js';

const certs = makeTestCertificates();
/** Real sockets, for what a MemoryReactor only records (file modes, ENOENT). */
const realReactor = new NodeReactor({ installSignalHandlers: false });
const combined = join(certs.dir, 'combined.pem');
writeFileSync(combined, Buffer.concat([certs.serverKey, certs.serverCert]));
after(() => certs.cleanup());

const factory = Factory.forProtocol(Protocol);

/** True if `path` exists, a dangling symbolic link (a lock file) included. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function rejects(description: string, message: RegExp, server = true): void {
  const reactor = new MemoryReactorClock();
  assert.throws(
    () => (server ? serverFromString(reactor, description) : clientFromString(reactor, description)),
    (err: unknown) =>
      err instanceof EndpointStringError &&
      err.message.includes(JSON.stringify(description)) &&
      message.test(err.message),
  );
}

describe('serverFromString', () => {
  it('listens on a TCP port on every interface with the default backlog', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, 'tcp:8080').listen(factory);
    assert.deepEqual(reactor.tcpServers[0], [8080, factory, 50, '']);
  });

  it('passes interface and backlog, by keyword, including an escaped IPv6 interface', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, 'tcp:port=81:interface=\\:\\:1:backlog=7').listen(factory);
    assert.deepEqual(reactor.tcpServers[0], [81, factory, 7, '::1']);
  });

  it('binds tcp6 endpoints to :: by default', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, 'tcp6:443').listen(factory);
    assert.equal(reactor.tcpServers[0]?.[3], '::');
  });

  it('listens for TLS with the certificate defaulting to the private key file', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, `ssl:8443:privateKey=${combined}:interface=127.0.0.1`).listen(factory);
    const [port, , contextOptions, , iface] = reactor.sslServers[0]!;
    assert.equal(port, 8443);
    assert.equal(iface, '127.0.0.1');
    assert.ok(contextOptions.key !== undefined && contextOptions.cert !== undefined);
  });

  it('accepts separate certificate and chain files for TLS', async () => {
    const reactor = new MemoryReactorClock();
    const d = `ssl:0:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}:extraCertChain=${certs.files.ca}`;
    await serverFromString(reactor, d).listen(factory);
    assert.equal(reactor.sslServers.length, 1);
  });

  it('listens on a UNIX socket with the mode given in octal', async () => {
    const path = join(certs.dir, 'strports.sock');
    const port = await serverFromString(realReactor, `unix:${path}:mode=600`).listen(factory);
    try {
      assert.deepEqual(port.getHost(), { type: 'UNIX', name: path });
      assert.equal(statSync(path).mode & 0o777, 0o600);
    } finally {
      await port.stopListening();
    }
  });

  it('passes backlog and mode to listenUNIX, and reads escaped colons in the path', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, 'unix:/tmp/a\\:b.sock:backlog=5:mode=640').listen(factory);
    assert.deepEqual(reactor.unixServers[0], ['/tmp/a:b.sock', factory, 5, 0o640]);
  });

  it('keeps a lock file beside the UNIX socket unless lockfile=0', async () => {
    const locked = join(certs.dir, 'locked.sock');
    const port = await serverFromString(realReactor, `unix:${locked}`).listen(factory);
    assert.ok(present(`${locked}.lock`));
    await port.stopListening();
    assert.ok(!present(`${locked}.lock`));
    const plain = join(certs.dir, 'plain.sock');
    const other = await serverFromString(realReactor, `unix:${plain}:lockfile=0`).listen(factory);
    assert.ok(!present(`${plain}.lock`));
    await other.stopListening();
  });

  it('passes interface and backlog to tcp6 endpoints', async () => {
    const reactor = new MemoryReactorClock();
    await serverFromString(reactor, 'tcp6:port=8443:interface=\\:\\:1:backlog=3').listen(factory);
    assert.deepEqual(reactor.tcpServers[0], [8443, factory, 3, '::1']);
  });

  it('hands the rest of the description to a registered wrapper', async () => {
    const reactor = new MemoryReactorClock();
    const seen: string[] = [];
    registerServerWrapper('testwrap', (inner) => ({
      listen: (f) => {
        seen.push('wrapped');
        return inner.listen(f);
      },
    }));
    await serverFromString(reactor, 'testwrap:tcp:99:interface=127.0.0.1').listen(factory);
    assert.deepEqual(seen, ['wrapped']);
    assert.deepEqual(reactor.tcpServers[0], [99, factory, 50, '127.0.0.1']);
  });

  const bad: [string, RegExp][] = [
    ['tcp', /port is missing/],
    ['tcp:http', /non-negative integer/],
    ['tcp:70000', /up to 65535/],
    ['tcp:80:interfce=127.0.0.1', /unknown keyword "interfce"/],
    ['tcp:80:81', /too many positional/],
    ['ssl:443', /"privateKey" is missing/],
    ['ssl:443:privateKey=/nonexistent/key.pem', /cannot read privateKey file "\/nonexistent\/key.pem"/],
    ['unix:/tmp/s:mode=rw', /octal/],
    ['unix', /"address" is missing/],
    ['gopher:70', /unknown endpoint type "gopher"/],
    ['testwrap', /needs a server description/],
    ['tcp:80:backlog=1:backlog=2', /given twice/],
    ['tcp:80:port=81', /both by position and as port=/],
    ['tcp:80:backlog=many', /"backlog" must be a non-negative integer/],
    ['tcp6', /port is missing \("tcp6:PORT"\)/],
    ['unix:/s:lockfile=maybe', /"lockfile" must be yes or no/],
    ['unix:/s:mode=1777777', /up to 4095/],
    ['stdio:x:y', /too many positional/],
    ['ssl:443:privateKey=C\\:\\\\keys\\\\k.pem', /cannot read privateKey file "C:\\keys\\k\.pem"/],
    ['haproxy:tcp:80', /import 'twisted-ts\/protocols\/haproxy'/],
    ['tcp:80\\', /lone backslash/],
  ];
  for (const [description, message] of bad) {
    it(`refuses ${JSON.stringify(description)} with a message saying what is wrong`, () => {
      rejects(description, message);
    });
  }
});

describe('clientFromString', () => {
  it('records a UNIX connection with its timeout on a MemoryReactor', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(reactor, `unix:${join(certs.dir, 'app.sock')}:timeout=5`).connect(factory);
    const [path, , timeout] = reactor.unixClients[0]!;
    assert.deepEqual([path, timeout], [join(certs.dir, 'app.sock'), 5]);
  });

  it('connects to HOST:PORT with the default timeout', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(reactor, 'tcp:example.com:80').connect(factory);
    const [host, port, f, timeout, bind] = reactor.tcpClients[0]!;
    assert.deepEqual([host, port, timeout, bind], ['example.com', 80, 30, null]);
    assert.ok(f instanceof WrappingFactory);
  });

  it('reads host, port, timeout and bindAddress as keywords', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(reactor, 'tcp:host=\\:\\:1:port=25:timeout=2.5:bindAddress=\\:\\:1').connect(factory);
    const [host, port, , timeout, bind] = reactor.tcpClients[0]!;
    assert.deepEqual([host, port, timeout, bind], ['::1', 25, 2.5, ['::1', 0]]);
  });

  it('makes a cancellable connection attempt', async () => {
    const reactor = new MemoryReactorClock();
    const d = clientFromString(reactor, 'tcp:example.com:80').connect(factory);
    d.cancel();
    await assert.rejects(d.asPromise(), ConnectingCancelledError);
    assert.equal(reactor.connectors[0]?.stoppedConnecting, true);
  });

  it('connects over TLS to an IP literal through the hostname endpoint', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(reactor, `tls:127.0.0.1:8443:trustRoots=${certs.files.ca}`).connect(factory);
    const [host, port, f] = reactor.tcpClients[0]!;
    assert.deepEqual([host, port], ['127.0.0.1', 8443]);
    assert.ok(f instanceof WrappingFactory);
    assert.ok(f.wrappedFactory instanceof TLSUpgradeFactory);
  });

  it('connects with ssl: using TLS over TCP', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(reactor, `ssl:localhost:993:caCertsFile=${certs.files.ca}`).connect(factory);
    const [host, port, , contextOptions] = reactor.sslClients[0]!;
    assert.deepEqual([host, port], ['localhost', 993]);
    assert.ok(contextOptions.ca !== undefined);
    assert.deepEqual(reactor.tcpClients, []);
  });

  it('turns ssl: verify=no into an explicit opt-out and reads a client key and certificate', () => {
    const reactor = new MemoryReactorClock();
    clientFromString(
      reactor,
      `ssl:10.0.0.5:993:verify=no:privateKey=${certs.files.clientKey}:certKey=${certs.files.clientCert}`,
    ).connect(factory);
    const [, , , contextOptions] = reactor.sslClients[0]!;
    assert.equal(contextOptions.rejectUnauthorized, false);
    assert.deepEqual(contextOptions.key, certs.clientKey);
    assert.deepEqual(contextOptions.cert, certs.clientCert);
    clientFromString(reactor, 'ssl:example.com:993').connect(factory);
    assert.equal(reactor.sslClients[1]![3].rejectUnauthorized, true);
  });

  it('reads tls: client certificates, timeout and bindAddress', () => {
    const reactor = new MemoryReactorClock();
    const d =
      `tls:127.0.0.1:8443:trustRoots=${certs.files.ca}:certificate=${certs.files.clientCert}` +
      `:privateKey=${certs.files.clientKey}:timeout=4:bindAddress=127.0.0.1`;
    clientFromString(reactor, d).connect(factory);
    const [host, port, f, timeout, bind] = reactor.tcpClients[0]!;
    assert.deepEqual([host, port, timeout, bind], ['127.0.0.1', 8443, 4, ['127.0.0.1', 0]]);
    assert.ok(f instanceof WrappingFactory && f.wrappedFactory instanceof TLSUpgradeFactory);
  });

  it('fails a UNIX connection to a path where nothing listens', async () => {
    const d = clientFromString(realReactor, `unix:${join(certs.dir, 'nobody.sock')}:timeout=5`).connect(
      factory,
    );
    await assert.rejects(d.asPromise(), /ENOENT|refused|connecting/i);
  });

  const bad: [string, RegExp][] = [
    ['tcp:example.com', /port is missing/],
    ['tcp:port=80', /"host" is missing/],
    ['tcp:h:80:timeout=-1', /seconds/],
    ['tls:h', /port is missing/],
    ['tls:h:1:trustRoots=/nonexistent', /cannot read trustRoots/],
    ['unix', /"path" is missing/],
    ['unix:/s:timeout=soon', /seconds/],
    ['tcp:h:80:interface=x', /unknown keyword "interface"/],
    ['ssl:h:443:verify=perhaps', /yes or no/],
    ['tls:h:1:certificate=/nonexistent/c.pem', /cannot read certificate file/],
    ['carrier-pigeon:home', /unknown endpoint type "carrier-pigeon"/],
  ];
  for (const [description, message] of bad) {
    it(`refuses ${JSON.stringify(description)} with a message saying what is wrong`, () => {
      rejects(description, message, false);
    });
  }
});
