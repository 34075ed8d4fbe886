/**
 * The greeting server's client: says "hello" as soon as it is connected, prints the server's
 * answer, hangs up, and stops the reactor from `clientConnectionLost`, printing the reason.
 *
 *     node --import tsx examples/greeting-client.ts [--host 127.0.0.1] [--port 8007]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { ClientFactory, type IConnector, type IReactor, Protocol, reactor } from '../src/internet/index.js';

/** Speaks first, prints the first answer, then closes. */
class Greeting extends Protocol {
  override connectionMade(): void {
    this.transport!.write('hello');
  }

  override dataReceived(data: Buffer): void {
    console.log(`server said: ${data.toString('utf8')}`);
    this.transport!.loseConnection();
  }
}

/** Stops the reactor when the connection ends or cannot be made. */
class GreetingFactory extends ClientFactory {
  constructor(readonly reactor: IReactor) {
    super();
    this.protocol = Greeting;
  }

  override clientConnectionLost(_connector: IConnector, reason: Error): void {
    console.log(`connection lost: ${reason.name}: ${reason.message}`);
    this.reactor.stop();
  }

  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    console.log(`connection failed: ${reason.name}: ${reason.message}`);
    process.exitCode = 1;
    this.reactor.stop();
  }
}

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8007' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/greeting-client.ts [--host 127.0.0.1] [--port 8007]\n' +
      'Says hello to the greeting server and prints its answer.',
  );
} else {
  reactor.connectTCP(values.host, Number(values.port), new GreetingFactory(reactor));
  await reactor.run();
}
