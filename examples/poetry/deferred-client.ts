/**
 * The asynchronous client with Deferreds: `getPoetry(host, port)` returns a `Deferred` that fires
 * with the poem, or fails with the connection error. The protocol and factory only fetch bytes;
 * what to do with a poem (or a failure) is the caller's business, added as callbacks/errbacks.
 *
 *     node --import tsx examples/poetry/deferred-client.ts [HOST:]PORT ...
 *
 * @module
 */
import { parseArgs } from 'node:util';
import {
  ClientFactory,
  ConnectionDone,
  Deferred,
  DeferredList,
  type IConnector,
  type IReactor,
  Protocol,
  react,
} from '../../src/internet/index.js';
import { clientUsage, formatElapsed, parseAddress } from './common.js';

/** Collects the poem and hands it to the factory when the server closes the connection. */
class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  readonly #chunks: Buffer[] = [];

  override dataReceived(data: Buffer): void {
    this.factory.progress(data.length);
    this.#chunks.push(data);
  }

  override connectionLost(reason: Error = new ConnectionDone()): void {
    super.connectionLost(reason);
    if (reason instanceof ConnectionDone) this.factory.poemFinished(Buffer.concat(this.#chunks));
    else this.factory.poemFailed(reason);
  }
}

/** Fires `deferred` once: with the poem, or with why it could not be fetched. */
class PoetryClientFactory extends ClientFactory {
  readonly deferred = new Deferred<Buffer>();

  constructor(readonly onProgress: (bytes: number) => void) {
    super();
    this.protocol = PoetryProtocol;
  }

  progress(bytes: number): void {
    this.onProgress(bytes);
  }

  poemFinished(poem: Buffer): void {
    this.deferred.callback(poem);
  }

  poemFailed(reason: Error): void {
    this.deferred.errback(reason);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    this.deferred.errback(reason);
  }
}

/**
 * Downloads one poem. The Deferred fires with its text, or fails with the connection error.
 *
 * @example
 * ```ts
 * getPoetry(reactor, '127.0.0.1', 10000).addCallback((poem) => console.log(poem));
 * ```
 */
function getPoetry(
  reactor: IReactor,
  host: string,
  port: number,
  onProgress: (bytes: number) => void = () => {},
): Deferred<string> {
  const factory = new PoetryClientFactory(onProgress);
  reactor.connectTCP(host, port, factory);
  return factory.deferred.addCallback((poem) => poem.toString('utf8'));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log(
    clientUsage('deferred-client.ts', 'Downloads every poem at once; getPoetry() returns a Deferred.'),
  );
} else {
  await react(async (reactor) => {
    const start = performance.now();
    let got = 0;
    const downloads = positionals.map(parseAddress).map(({ host, port }, i) => {
      const task = i + 1;
      const label = `${host}:${port}`;
      return getPoetry(reactor, host, port, (bytes) =>
        console.log(`Task ${task}: got ${bytes} bytes of poetry from ${label}`),
      ).addCallbacks(
        (poem) => {
          got++;
          console.log(`Task ${task}: done, ${Buffer.byteLength(poem)} bytes`);
        },
        (err: Error) => {
          console.log(`Task ${task}: failed to get poetry from ${label}: ${err.message}`);
        },
      );
    });
    await new DeferredList(downloads);
    console.log(`Got ${got} poems in ${formatElapsed(performance.now() - start)}`);
  });
}
