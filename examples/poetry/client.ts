/**
 * The asynchronous model with twisted-ts: a `Protocol` per download collects the poem as
 * `dataReceived` delivers it, and a `ClientFactory` counts the downloads and stops the reactor
 * when the last one ends. The reactor is the event loop we wrote by hand in select-client.ts.
 *
 *     node --import tsx examples/poetry/client.ts [HOST:]PORT ...
 *
 * @module
 */
import { parseArgs } from 'node:util';
import {
  ClientFactory,
  type IAddress,
  type IConnector,
  type IPv4Address,
  type IReactor,
  Protocol,
  reactor,
} from '../../src/internet/index.js';
import { clientUsage, formatAddress, formatElapsed, parseAddress } from './common.js';

/** Collects one poem; tells its factory when the server hangs up. */
class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  readonly chunks: Buffer[] = [];

  constructor(
    readonly task: number,
    readonly label: string,
  ) {
    super();
  }

  override dataReceived(data: Buffer): void {
    console.log(`Task ${this.task}: got ${data.length} bytes of poetry from ${this.label}`);
    this.chunks.push(data);
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    this.factory.poemFinished(this.task, Buffer.concat(this.chunks));
  }
}

/** One factory for all the downloads: builds numbered protocols and stops the reactor at the end. */
class PoetryClientFactory extends ClientFactory {
  readonly poems = new Map<number, Buffer>();
  #next = 1;
  #left: number;

  constructor(
    count: number,
    readonly reactor: IReactor,
  ) {
    super();
    this.#left = count;
  }

  override buildProtocol(addr: IAddress): PoetryProtocol {
    const p = new PoetryProtocol(this.#next++, formatAddress(addr as IPv4Address));
    p.factory = this;
    return p;
  }

  poemFinished(task: number, poem: Buffer): void {
    console.log(`Task ${task}: done, ${poem.length} bytes`);
    this.poems.set(task, poem);
    this.#oneLess();
  }

  override clientConnectionFailed(connector: IConnector, reason: Error): void {
    const dest = connector.getDestination() as IPv4Address;
    console.log(`Failed to connect to ${formatAddress(dest)}: ${reason.message}`);
    this.#oneLess();
  }

  #oneLess(): void {
    if (--this.#left === 0) this.reactor.stop();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log(
    clientUsage('client.ts', 'Downloads every poem at once with a twisted-ts Protocol and ClientFactory.'),
  );
} else {
  const start = performance.now();
  const addresses = positionals.map(parseAddress);
  const factory = new PoetryClientFactory(addresses.length, reactor);
  for (const { host, port } of addresses) reactor.connectTCP(host, port, factory);
  await reactor.run();
  console.log(`Got ${factory.poems.size} poems in ${formatElapsed(performance.now() - start)}`);
}
