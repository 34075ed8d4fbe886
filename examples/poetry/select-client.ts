/**
 * The asynchronous model without a framework: one hand-written event loop serves every download
 * at once. Each turn of the loop waits until at least one socket is ready (our `select()`), then
 * reads what is there without blocking (`socket.read()` returns `null` when nothing is left) and
 * goes back to waiting. The total time is about the time of the slowest server.
 *
 * Node has no `select(2)` to call — libuv's loop underneath already does it — so `select()` here
 * waits for the first `readable`/`end`/`error` event of the sockets still open, which is the same
 * contract: "tell me which of these sockets I can read now".
 *
 *     node --import tsx examples/poetry/select-client.ts [HOST:]PORT ...
 *
 * @module
 */
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { clientUsage, formatAddress, formatElapsed, parseAddress } from './common.js';

/** One download in progress. */
interface Download {
  task: number;
  label: string;
  socket: Socket;
  chunks: Buffer[];
  ready: boolean;
  finished: boolean;
  error: Error | null;
}

/**
 * Resolves once at least one of `downloads` can be read without blocking: data arrived, the
 * server closed, or the socket failed. Marks those downloads `ready`.
 */
function select(downloads: Download[]): Promise<void> {
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = [];
    const done = (): void => {
      for (const cleanup of cleanups) cleanup();
      resolve();
    };
    for (const d of downloads) {
      if (d.ready || d.finished) {
        d.ready = true;
        done();
        return;
      }
      const wake = (): void => {
        d.ready = true;
        done();
      };
      for (const event of ['readable', 'close'] as const) {
        d.socket.on(event, wake);
        cleanups.push(() => d.socket.off(event, wake));
      }
    }
  });
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  console.log(
    clientUsage('select-client.ts', 'Downloads every poem at once with a hand-written event loop.'),
  );
} else {
  const start = performance.now();
  const downloads: Download[] = positionals.map(parseAddress).map((address, i) => {
    const socket = connect(address.port, address.host);
    const d: Download = {
      task: i + 1,
      label: formatAddress(address),
      socket,
      chunks: [],
      ready: false,
      finished: false,
      error: null,
    };
    // The end of the stream and errors are remembered here; select() wakes up on 'close'.
    socket.on('end', () => {
      d.finished = true;
    });
    socket.on('error', (err) => {
      d.error = err;
      d.finished = true;
    });
    return d;
  });

  let open = downloads;
  while (open.length > 0) {
    await select(open);
    for (const d of open) {
      if (!d.ready) continue;
      d.ready = false;
      for (let chunk = d.socket.read() as Buffer | null; chunk !== null; chunk = d.socket.read()) {
        console.log(`Task ${d.task}: got ${chunk.length} bytes of poetry from ${d.label}`);
        d.chunks.push(chunk);
      }
    }
    for (const d of open) {
      if (!d.finished) continue;
      if (d.error) console.log(`Task ${d.task}: failed to get poetry from ${d.label}: ${d.error.message}`);
      else console.log(`Task ${d.task}: done, ${Buffer.concat(d.chunks).length} bytes`);
      d.socket.destroy();
    }
    open = open.filter((d) => !d.finished);
  }
  const got = downloads.filter((d) => d.error === null).length;
  console.log(`Got ${got} poems in ${formatElapsed(performance.now() - start)}`);
}
