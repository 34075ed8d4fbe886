/**
 * The child of the systemd socket-activation test: listens with `systemd:domain=INET:index=0` on
 * the socket its parent passed as fd 3, greets each connection with its pid, and exits when stdin
 * closes.
 *
 * @module
 */
import { serverFromString } from '../../../src/internet/endpoints/strports.js';
import { Factory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';

process.env.LISTEN_PID = String(process.pid); // what systemd would have set
class Greeter extends Protocol {
  override connectionMade(): void {
    this.transport!.write(`hello from ${process.pid}\n`);
    this.transport!.loseConnection();
  }
}
const reactor = new NodeReactor({ installSignalHandlers: false });
await serverFromString(reactor, 'systemd:domain=INET:index=0').listen(Factory.forProtocol(Greeter));
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
