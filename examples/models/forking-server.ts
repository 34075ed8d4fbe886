/**
 * The multi-process model: the parent accepts connections and forks one child process per
 * connection, handing it the socket (`child.send('socket', socket)`); the child answers and exits.
 * Isolation is total and so is the cost: a whole Node.js process per client. Compare with the one
 * reactor of examples/echo-server.ts.
 *
 *     node --import tsx examples/models/forking-server.ts [--port 8011] [--interface 127.0.0.1]
 *
 * @module
 */
import { fork } from 'node:child_process';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8011' },
    interface: { type: 'string', default: '127.0.0.1' },
    child: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    'usage: node --import tsx examples/models/forking-server.ts [--port 8011] [--interface 127.0.0.1]\n' +
      'Forks a process per connection, which thanks the client and exits. Ctrl-C stops it.',
  );
} else if (values.child) {
  // The child: wait for the one socket the parent sends, answer, and exit.
  process.once('message', (_message, socket) => {
    const s = socket as Socket;
    s.end(`Thank you for connecting (process ${process.pid})\n`, () => process.exit(0));
  });
} else {
  const self = fileURLToPath(import.meta.url);
  // pauseOnConnect: no bytes are read in the parent; the child gets the socket untouched.
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    const child = fork(self, ['--child'], { stdio: 'inherit' });
    console.log(`forked process ${child.pid} for ${socket.remoteAddress}:${socket.remotePort}`);
    child.send('socket', socket, () => socket.destroy());
  });
  server.listen(Number(values.port), values.interface, () => {
    const { address, port } = server.address() as AddressInfo;
    console.log(`forking server (process ${process.pid}) listening on ${address}:${port}`);
  });
  process.once('SIGINT', () => server.close());
}
