/**
 * The timestamp server's client: sends each line typed on the console (stdin) and prints each
 * answer. An empty line (or the end of input) closes the connection, which stops the client.
 *
 *     node --import tsx examples/timestamp-client.ts [--host 127.0.0.1] [--port 8001]
 */
import { parseArgs } from 'node:util';
import { Deferred } from '../src/internet/defer.js';
import { ClientFactory, type IConnector, type IReactor, react, StandardIO } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

/** Prints every answer; the console reader calls `sendLine` for each line typed. */
class TimestampClient extends LineReceiver {
  declare factory: TimestampClientFactory;
  override delimiter = '\n';

  override connectionMade(): void {
    this.factory.connected.callback(this);
  }

  override lineReceived(line: Buffer): void {
    console.log(line.toString('utf8').replace(/\r$/, ''));
  }
}

/** The console: each line typed goes to the server; the end of input counts as an empty line. */
class ConsoleInput extends LineReceiver {
  override delimiter = '\n';
  constructor(readonly server: TimestampClient) {
    super();
  }

  override lineReceived(line: Buffer): void {
    this.server.sendLine(line.toString('utf8').replace(/\r$/, ''));
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    this.server.sendLine('');
  }
}

/** Fires `connected` with the protocol, and `done` when the connection ends. */
class TimestampClientFactory extends ClientFactory {
  readonly connected = new Deferred<TimestampClient>();
  readonly done = new Deferred<void>();
  constructor() {
    super();
    this.protocol = TimestampClient;
  }
  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    this.connected.errback(reason);
    this.done.errback(reason);
  }
  override clientConnectionLost(): void {
    this.done.callback(undefined);
  }
}

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8001' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/timestamp-client.ts [--host 127.0.0.1] [--port 8001]\n' +
      'Sends each line read from stdin and prints the answers; an empty line ends the session.',
  );
} else {
  await react(async (reactor: IReactor) => {
    const factory = new TimestampClientFactory();
    reactor.connectTCP(values.host, Number(values.port), factory, { timeout: 10 });
    const client = await factory.connected;
    const console_ = new StandardIO(new ConsoleInput(client));
    await factory.done;
    console_.loseConnection(); // stop reading stdin, so the process can exit
  });
}
