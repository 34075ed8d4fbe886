import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { StringTransportWithDisconnection } from '../../testing/string-transport.js';
import { parseOptions, UsageError } from '../options.js';
import type { ServiceMakerContext } from '../service-maker.js';
import { parsePort, portforward } from './portforward.js';

function context(reactor: MemoryReactorClock): ServiceMakerContext {
  return {
    reactor: reactor as unknown as ServiceMakerContext['reactor'],
    shutdownTimeout: 10,
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
  };
}

describe('portforward plugin', () => {
  it('listens on --listen and connects each accepted connection to --host:--dest-port', async () => {
    const reactor = new MemoryReactorClock();
    const options = parseOptions(portforward.options, [
      '--listen',
      'tcp:8081',
      '--host',
      'backend',
      '--dest-port',
      '8000',
    ]);
    const service = await portforward.makeService(options, context(reactor));
    service.startService();
    const [port, factory] = reactor.tcpServers[0]!;
    assert.equal(port, 8081);
    const protocol = factory.buildProtocol({ type: 'TCP' });
    assert.ok(protocol !== null);
    const transport = new StringTransportWithDisconnection();
    transport.protocol = protocol;
    protocol.makeConnection(transport);
    const [host, destPort] = reactor.tcpClients[0]!;
    assert.deepEqual([host, destPort], ['backend', 8000]);
  });

  it('requires a valid --dest-port', async () => {
    const reactor = new MemoryReactorClock();
    for (const argv of [[], ['--dest-port', 'http'], ['--dest-port', '70000']]) {
      await assert.rejects(
        async () => portforward.makeService(parseOptions(portforward.options, argv), context(reactor)),
        UsageError,
        argv.join(' '),
      );
    }
  });

  it('parsePort accepts 1-65535 only', () => {
    assert.equal(parsePort('65535', '--p'), 65535);
    assert.throws(() => parsePort('0', '--p'), UsageError);
    assert.throws(() => parsePort('1e3', '--p'), UsageError);
  });
});
