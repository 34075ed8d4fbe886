import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IProtocolFactory } from '../../internet/interfaces.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { StringTransportWithDisconnection } from '../../testing/string-transport.js';
import { parseOptions } from '../options.js';
import type { ServiceMakerContext } from '../service-maker.js';
import { daytime, discard, echo, qotd } from './wire.js';

function context(reactor: MemoryReactorClock): ServiceMakerContext {
  return {
    reactor: reactor as unknown as ServiceMakerContext['reactor'],
    shutdownTimeout: 10,
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
  };
}

function talk(factory: IProtocolFactory, send?: string): StringTransportWithDisconnection {
  const protocol = factory.buildProtocol({ type: 'TCP' });
  assert.ok(protocol !== null);
  const transport = new StringTransportWithDisconnection();
  transport.protocol = protocol;
  protocol.makeConnection(transport);
  if (send !== undefined) protocol.dataReceived(Buffer.from(send));
  return transport;
}

describe('wire plugins', () => {
  it('default to the well-known ports, like Twisted', () => {
    const defaults = [echo, discard, daytime, qotd].map((p) => parseOptions(p.options, []).values.listen);
    assert.deepEqual(defaults, [['tcp:7'], ['tcp:9'], ['tcp:13'], ['tcp:17']]);
  });

  it('echo listens on every --listen endpoint and echoes', async () => {
    const reactor = new MemoryReactorClock();
    const options = parseOptions(echo.options, [
      '--listen',
      'tcp:7007:interface=127.0.0.1',
      '--listen',
      'tcp:7008',
    ]);
    const service = await echo.makeService(options, context(reactor));
    service.startService();
    assert.deepEqual(
      reactor.tcpServers.map(([port, , , iface]) => [port, iface]),
      [
        [7007, '127.0.0.1'],
        [7008, ''],
      ],
    );
    const transport = talk(reactor.tcpServers[0]![1], 'ping');
    assert.equal(transport.value().toString(), 'ping');
    transport.loseConnection();
    await service.stopService();
  });

  it('discard reads and sends nothing', async () => {
    const reactor = new MemoryReactorClock();
    const service = await discard.makeService(
      parseOptions(discard.options, ['--listen', 'tcp:9009']),
      context(reactor),
    );
    service.startService();
    assert.equal(talk(reactor.tcpServers[0]![1], 'ignored').value().length, 0);
  });

  it('daytime and qotd send their line and close', async () => {
    for (const [plugin, expected] of [
      [daytime, /\d{4}\r\n$/],
      [qotd, /^An apple a day keeps the doctor away\.\r\n$/],
    ] as const) {
      const reactor = new MemoryReactorClock();
      const service = await plugin.makeService(
        parseOptions(plugin.options, ['--listen', 'tcp:1313']),
        context(reactor),
      );
      service.startService();
      const transport = talk(reactor.tcpServers[0]![1]);
      assert.match(transport.value().toString(), expected, plugin.name);
      assert.equal(transport.connected, false, plugin.name);
    }
  });
});
