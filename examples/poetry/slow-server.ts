/**
 * A deliberately slow poetry server: to each client it sends a poem `--num-bytes` bytes at a time,
 * one piece every `--delay` seconds, then closes the connection. Slow servers make the difference
 * between the synchronous and the asynchronous clients visible (docs/tutorial/01-models.md).
 *
 *     node --import tsx examples/poetry/slow-server.ts [--port 10000] [--iface 127.0.0.1]
 *         [--num-bytes 10] [--delay 0.1] [POEM_FILE]
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Factory, Protocol, reactor } from '../../src/internet/index.js';
import type { IReactorTime } from '../../src/internet/interfaces.js';
import { LoopingCall } from '../../src/internet/task/index.js';

/** Sends the factory's poem in slow pieces, then hangs up. */
class SlowPoetry extends Protocol {
  declare factory: PoetryFactory;
  #offset = 0;
  #sender: LoopingCall | null = null;

  override connectionMade(): void {
    this.#sender = new LoopingCall(() => this.#sendPiece());
    this.#sender.clock = this.factory.clock;
    this.#sender.start(this.factory.delay);
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    if (this.#sender?.running) this.#sender.stop();
  }

  #sendPiece(): void {
    const { poem, numBytes } = this.factory;
    const piece = poem.subarray(this.#offset, this.#offset + numBytes);
    this.#offset += piece.length;
    if (piece.length > 0) this.transport!.write(piece);
    if (this.#offset >= poem.length) {
      this.#sender!.stop();
      this.transport!.loseConnection();
    }
  }
}

/** Holds the poem and the pace shared by every connection. */
class PoetryFactory extends Factory {
  constructor(
    readonly poem: Buffer,
    readonly numBytes: number,
    readonly delay: number,
    readonly clock: IReactorTime,
  ) {
    super();
    this.protocol = SlowPoetry;
  }
}

const usage =
  'usage: node --import tsx examples/poetry/slow-server.ts [--port 10000] [--iface 127.0.0.1]\n' +
  '         [--num-bytes 10] [--delay 0.1] [POEM_FILE]\n' +
  'Sends POEM_FILE (default: poems/shakespeare-sonnet-18.txt) NUM_BYTES bytes every DELAY seconds\n' +
  'to each client, then closes. --port 0 picks a free port. Ctrl-C stops it.';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '10000' },
    iface: { type: 'string', default: '127.0.0.1' },
    'num-bytes': { type: 'string', default: '10' },
    delay: { type: 'string', default: '0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
} else {
  const file = positionals[0] ?? fileURLToPath(new URL('./poems/shakespeare-sonnet-18.txt', import.meta.url));
  const factory = new PoetryFactory(
    readFileSync(file),
    Number(values['num-bytes']),
    Number(values.delay),
    reactor,
  );
  const port = reactor.listenTCP(Number(values.port), factory, { interface: values.iface });
  const host = port.getHost() as { host: string; port: number };
  console.log(`slow poetry server listening on ${host.host}:${host.port}, serving ${file}`);
  await reactor.run();
}
