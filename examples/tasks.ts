/**
 * Scheduling work without blocking the reactor: a `LoopingCall` ticking, a `deferLater` firing,
 * a long loop cut into slices by a `Cooperator` (`coiterate`), and a CPU-bound job handed to a
 * worker thread with `deferToThread` — all while an echo port keeps answering.
 *
 *     node --import tsx examples/tasks.ts [--port 8010] [--job-seconds 1.5]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import {
  deferToThread,
  Factory,
  type IPv4Address,
  type IReactor,
  Protocol,
  react,
} from '../src/internet/index.js';
import { coiterate, deferLater, LoopingCall } from '../src/internet/task/index.js';

/** Echoes and says so, to show the reactor answering while the other work goes on. */
class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data);
    console.log(`echoed ${JSON.stringify(data.toString('utf8'))}`);
  }
}

/** Sums 1..n, yielding every 1000 numbers so the reactor can run in between. */
function* sumTo(n: number, result: { sum: number; steps: number }): Generator<undefined> {
  for (let i = 1; i <= n; i++) {
    result.sum += i;
    if (i % 1000 === 0) {
      result.steps++;
      yield;
    }
  }
}

/**
 * The CPU-bound job, run in a worker: spins for `seconds`, counting iterations. It is sent to the
 * worker as source text, so it may use only its arguments and globals.
 */
const spin = (seconds: number): number => {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < end) n++;
  return n;
};

async function main(reactor: IReactor, port: number, jobSeconds: number): Promise<void> {
  const listening = reactor.listenTCP(port, Factory.forProtocol(Echo), { interface: '127.0.0.1' });
  const host = listening.getHost() as IPv4Address;
  console.log(`echo listening on ${host.host}:${host.port}`);

  let ticks = 0;
  const ticker = new LoopingCall(() => ticks++);
  ticker.clock = reactor;
  ticker.start(0.1);

  const message = await deferLater(reactor, 0.1, () => 'deferLater fired after 0.1 s');
  console.log(message);

  const total = { sum: 0, steps: 0 };
  await coiterate(sumTo(100_000, total));
  console.log(`Cooperator: 1 + ... + 100000 = ${total.sum}, in ${total.steps} slices`);

  console.log('CPU job started in a worker thread');
  const ticksBefore = ticks;
  const iterations = await deferToThread(spin, jobSeconds);
  console.log(
    `CPU job finished (${iterations > 0 ? 'busy' : 'idle'}); the LoopingCall ticked ${ticks - ticksBefore} times meanwhile`,
  );

  ticker.stop();
  await listening.stopListening();
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8010' },
    'job-seconds': { type: 'string', default: '1.5' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/tasks.ts [--port 8010] [--job-seconds 1.5]\n' +
      'Runs a LoopingCall, a deferLater, a Cooperator task and a CPU-bound job in a worker thread\n' +
      'while an echo port on 127.0.0.1 keeps answering; --port 0 picks a free port.',
  );
} else {
  await react(main, [Number(values.port), Number(values['job-seconds'])]);
}
