/**
 * Runs the reactor compliance suites (time, core, TCP streams) against the real `NodeReactor`,
 * over loopback sockets and Node timers.
 */
import type { IListeningPort } from '../../src/internet/interfaces.js';
import { NodeReactor } from '../../src/internet/reactor.js';
import { defineReactorCoreTests } from '../../src/testing/compliance/core.js';
import { defineStreamTransportTests } from '../../src/testing/compliance/stream.js';
import { defineReactorTimeTests } from '../../src/testing/compliance/time.js';

const makeReactor = (): NodeReactor => new NodeReactor({ installSignalHandlers: false });

defineReactorTimeTests({
  name: 'NodeReactor',
  makeReactor,
  advance: (reactor, seconds) => new Promise<void>((resolve) => reactor.callLater(seconds, resolve)),
  cleanup: (reactor) => {
    for (const call of reactor.getDelayedCalls()) call.cancel();
  },
});

defineReactorCoreTests({ name: 'NodeReactor', makeReactor });

const tcpReactor = makeReactor();

defineStreamTransportTests<IListeningPort>({
  name: 'NodeReactor TCP',
  listen: async (factory) => tcpReactor.listenTCP(0, factory, { interface: '127.0.0.1' }),
  connect: (port, factory) => {
    const host = port.getHost();
    if (!('port' in host)) throw new TypeError('listenTCP returned a port without a port number');
    tcpReactor.connectTCP('127.0.0.1', host.port as number, factory);
  },
  stopListening: async (port) => {
    await port.stopListening();
  },
});
