/**
 * An echo client: connects, sends a message, prints what comes back, and exits.
 *
 *     node --import tsx examples/echo-client.ts --port 8000 [--host 127.0.0.1] [--message 'hello']
 */
import { parseArgs } from 'node:util';
import { Deferred } from '../src/internet/defer.js';
import { ClientFactory, type IConnector, type IReactor, Protocol, react } from '../src/internet/index.js';

/** Sends the factory's message and hangs up once the whole echo has arrived. */
class EchoClient extends Protocol {
  declare factory: EchoClientFactory;
  #received: Buffer[] = [];
  #length = 0;

  override connectionMade(): void {
    this.transport!.write(this.factory.message);
  }

  override dataReceived(data: Buffer): void {
    this.#received.push(data);
    this.#length += data.length;
    if (this.#length >= Buffer.byteLength(this.factory.message)) {
      console.log(`echo: ${Buffer.concat(this.#received).toString('utf8')}`);
      this.transport!.loseConnection();
    }
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
    port: { type: 'string', default: '8000' },
    message: { type: 'string', default: 'Hello, echo!' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    "usage: node --import tsx examples/echo-client.ts [--host 127.0.0.1] [--port 8000] [--message 'hello']\n" +
      'Sends the message to an echo server and prints the echo.',
  );
} else {
  await react((reactor: IReactor) => {
    const factory = new EchoClientFactory(values.message);
    reactor.connectTCP(values.host, Number(values.port), factory, { timeout: 10 });
    return factory.done;
  });
}
