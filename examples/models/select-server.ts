/**
 * The single-threaded asynchronous model by hand: one loop, no framework. Every socket event is
 * queued as it happens; each turn of the loop waits until the queue is not empty (our `select()`:
 * "something is ready"), then handles everything that is ready without blocking, and goes back to
 * waiting. A reactor — twisted-ts's, over libuv — is this loop, written once, with the protocol
 * code plugged into it as callbacks.
 *
 *     node --import tsx examples/models/select-server.ts [--port 8013] [--interface 127.0.0.1]
 *
 * @module
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

/** What can be ready: a new connection, bytes on a connection, or a closed connection. */
type Ready = { kind: 'accept'; socket: Socket } | { kind: 'read'; socket: Socket } | { kind: 'stop' };

const ready: Ready[] = [];
let wake: (() => void) | null = null;

/** Records that something is ready and wakes the loop if it waits. */
function signal(event: Ready): void {
  ready.push(event);
  wake?.();
  wake = null;
}

/** Waits until at least one event is ready, then returns them all. */
async function select(): Promise<Ready[]> {
  if (ready.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return ready.splice(0);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8013' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/models/select-server.ts [--port 8013] [--interface 127.0.0.1]\n' +
      'Thanks each client from one hand-written event loop. Ctrl-C stops it.',
  );
} else {
  const server = createServer((socket) => signal({ kind: 'accept', socket }));
  server.listen(Number(values.port), values.interface, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`select server listening on ${address}:${port}`);
  });
  process.once('SIGINT', () => signal({ kind: 'stop' }));

  // The event loop.
  let running = true;
  while (running) {
    for (const event of await select()) {
      switch (event.kind) {
        case 'accept': {
          const { socket } = event;
          console.log(`accepted ${socket.remoteAddress}:${socket.remotePort}`);
          socket.on('readable', () => signal({ kind: 'read', socket }));
          socket.on('error', () => socket.destroy());
          socket.end('Thank you for connecting\n');
          break;
        }
        case 'read':
          // Non-blocking reads: take what is there, ignore it (this server only talks).
          while (event.socket.read() !== null) {}
          break;
        case 'stop':
          server.close();
          running = false;
          break;
      }
    }
  }
  console.log('select server stopped');
}
