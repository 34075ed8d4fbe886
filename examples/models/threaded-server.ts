/**
 * The multi-threaded model, as far as Node goes: one worker thread per connection. A socket cannot
 * be moved into a `worker_threads` Worker (only processes can receive socket handles), so the
 * main thread keeps the socket, hands the work — here, composing the answer — to a new Worker, and
 * writes the answer the worker posts back. That is the honest shape of threads in Node: workers
 * compute, the main thread does the I/O. For CPU-bound work inside a reactor program, use
 * `deferToThread` (examples/tasks.ts) instead of a thread per connection.
 *
 *     node --import tsx examples/models/threaded-server.ts [--port 8012] [--interface 127.0.0.1]
 *
 * @module
 */
import { type AddressInfo, createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

/** The worker's program: answer with the thread's id, then end. */
const WORKER = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.postMessage('Thank you for connecting (thread ' + threadId + ')\\n');
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8012' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/models/threaded-server.ts [--port 8012] [--interface 127.0.0.1]\n' +
      'Starts a worker thread per connection; the worker composes the answer. Ctrl-C stops it.',
  );
} else {
  const server = createServer((socket) => {
    const worker = new Worker(WORKER, { eval: true });
    console.log(`thread ${worker.threadId} for ${socket.remoteAddress}:${socket.remotePort}`);
    worker.once('message', (answer: string) => socket.end(answer));
    worker.once('error', () => socket.destroy());
    socket.on('error', () => {});
  });
  server.listen(Number(values.port), values.interface, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`threaded server listening on ${address}:${port}`);
  });
  process.once('SIGINT', () => server.close());
}
