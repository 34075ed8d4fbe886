/**
 * An echo server: every byte received is written back. Stop it with Ctrl-C (SIGINT).
 *
 *     node --import tsx examples/echo-server.ts [--port 8000] [--interface 127.0.0.1]
 */
import { parseArgs } from 'node:util';
import { Factory, Protocol, reactor } from '../src/internet/index.js';

/** Writes back whatever it receives. */
export class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/echo-server.ts [--port 8000] [--interface 127.0.0.1]\n' +
      'Echoes every connection back to itself; --port 0 picks a free port. Ctrl-C stops it.',
  );
} else {
  const port = reactor.listenTCP(Number(values.port), Factory.forProtocol(Echo), {
    interface: values.interface,
  });
  const host = port.getHost() as { host: string; port: number };
  console.log(`echo server listening on ${host.host}:${host.port}`);
  await reactor.run();
  console.log('echo server stopped');
}
