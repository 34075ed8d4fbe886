/**
 * Runs the stream transport compliance suite over TLS (`listenSSL`/`connectSSL`, i.e. TCP upgraded
 * with `startTLS`) and over UNIX sockets (`listenUNIX`/`connectUNIX`), on the real `NodeReactor`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { IListeningPort } from '../../src/internet/interfaces.js';
import { NodeReactor } from '../../src/internet/reactor.js';
import { optionsForClientTLS } from '../../src/internet/tls-options.js';
import { connectSSL, listenSSL } from '../../src/internet/tls-port.js';
import { connectUNIX, listenUNIX, type UNIXPort } from '../../src/internet/unix.js';
import { makeTestCertificates } from '../../src/testing/certs.js';
import { defineStreamTransportTests } from '../../src/testing/compliance/stream.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-compliance-'));
after(() => {
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

defineStreamTransportTests<IListeningPort>({
  name: 'NodeReactor TLS',
  listen: async (factory) =>
    listenSSL(
      reactor,
      0,
      factory,
      { key: certs.serverKey, cert: certs.serverCert },
      { interface: '127.0.0.1' },
    ),
  connect: (port, factory) => {
    const host = port.getHost() as { port: number };
    connectSSL(
      reactor,
      '127.0.0.1',
      host.port,
      factory,
      optionsForClientTLS('localhost', { trustRoot: certs.caCert }),
    );
  },
  stopListening: async (port) => {
    await port.stopListening();
  },
});

let n = 0;
defineStreamTransportTests<UNIXPort>({
  name: 'NodeReactor UNIX',
  listen: async (factory) => listenUNIX(join(dir, `c${n++}.sock`), factory),
  connect: (port, factory) => {
    connectUNIX(reactor, port.getHost().name!, factory);
  },
  stopListening: async (port) => {
    await port.stopListening();
  },
});
