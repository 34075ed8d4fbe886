/**
 * The first server of the tutorial: greets each client with "Hello", prints who connected, what
 * they send, and why they left. It shows the three hooks of a `Protocol`: `connectionMade`,
 * `dataReceived` and `connectionLost(reason)`.
 *
 *     node --import tsx examples/greeting-server.ts [--port 8007] [--interface 127.0.0.1]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { Factory, type IPv4Address, Protocol, reactor } from '../src/internet/index.js';

/** Says hello, then reports everything that happens on the connection. */
class Greeter extends Protocol {
  override connectionMade(): void {
    const peer = this.transport!.getPeer() as IPv4Address;
    console.log(`connection from ${peer.host}:${peer.port}`);
    this.transport!.write('Hello');
  }

  override dataReceived(data: Buffer): void {
    console.log(`received: ${data.toString('utf8')}`);
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    console.log(`connection lost: ${reason?.name}: ${reason?.message}`);
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8007' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/greeting-server.ts [--port 8007] [--interface 127.0.0.1]\n' +
      'Sends "Hello" to each client and prints what happens; --port 0 picks a free port. Ctrl-C stops it.',
  );
} else {
  const port = reactor.listenTCP(Number(values.port), Factory.forProtocol(Greeter), {
    interface: values.interface,
  });
  const host = port.getHost() as IPv4Address;
  console.log(`greeting server listening on ${host.host}:${host.port}`);
  await reactor.run();
}
