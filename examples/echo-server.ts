/**
 * An echo server on port 12345. By default it echoes line by line with a `LineReceiver` (the
 * tutorial's echo server); with `--raw` every byte received is written back as it comes (a plain
 * `Protocol`, binary-safe). Stop it with Ctrl-C (SIGINT).
 *
 *     node --import tsx examples/echo-server.ts [--port 12345] [--interface 127.0.0.1] [--raw]
 */
import { parseArgs } from 'node:util';
import { Factory, Protocol, reactor } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

/** Writes back whatever it receives. */
export class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
  }
}

/** Sends every line it receives back as a line. */
export class LineEcho extends LineReceiver {
  override lineReceived(line: Buffer): void {
    this.sendLine(line);
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '12345' },
    interface: { type: 'string', default: '127.0.0.1' },
    raw: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/echo-server.ts [--port 12345] [--interface 127.0.0.1] [--raw]\n' +
      'Echoes every line back (--raw: every byte); --port 0 picks a free port. Ctrl-C stops it.',
  );
} else {
  const factory = Factory.forProtocol(values.raw ? Echo : LineEcho);
  const port = reactor.listenTCP(Number(values.port), factory, { interface: values.interface });
  const host = port.getHost() as { host: string; port: number };
  console.log(`echo server listening on ${host.host}:${host.port}`);
  await reactor.run();
  console.log('echo server stopped');
}
