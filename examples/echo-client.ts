/**
 * An echo client: connects, sends a message as a line, prints the line that comes back, and exits.
 * It works with both modes of `examples/echo-server.ts` (a line echoed, or its bytes echoed).
 *
 *     node --import tsx examples/echo-client.ts [--port 12345] [--host 127.0.0.1] [--message 'hello']
 */
import { parseArgs } from 'node:util';
import { Deferred } from '../src/internet/defer.js';
import { ClientFactory, type IConnector, type IReactor, react } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

/** Sends the factory's message as a line and hangs up once the echoed line has arrived. */
class EchoClient extends LineReceiver {
  declare factory: EchoClientFactory;

  override connectionMade(): void {
    this.sendLine(this.factory.message);
  }

  override lineReceived(line: Buffer): void {
    console.log(`echo: ${line.toString('utf8')}`);
    this.transport!.loseConnection();
  }
}

/** Fires `done` when the connection ends (or fails). */
class EchoClientFactory extends ClientFactory {
  readonly done = new Deferred<void>();
  constructor(readonly message: string) {
    super();
    this.protocol = EchoClient;
  }
  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    this.done.errback(reason);
  }
  override clientConnectionLost(_connector: IConnector, _reason: Error): void {
    this.done.callback(undefined);
  }
}

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '12345' },
    message: { type: 'string', default: 'Hello, echo!' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    "usage: node --import tsx examples/echo-client.ts [--host 127.0.0.1] [--port 12345] [--message 'hello']\n" +
      'Sends the message to an echo server and prints the echo.',
  );
} else {
  await react((reactor: IReactor) => {
    const factory = new EchoClientFactory(values.message);
    reactor.connectTCP(values.host, Number(values.port), factory, { timeout: 10 });
    return factory.done;
  });
}
