/**
 * One reactor, two protocols: a line echo server (a `LineReceiver`) on one port and an HTTP site
 * whose only resource answers "HTTP Echo: Hello, world!" on another. Neither knows about the other;
 * the reactor multiplexes both listening ports and all their connections in one thread.
 *
 *     node --import tsx examples/multi-protocol-server.ts [--echo-port 8009] [--http-port 8080]
 *         [--interface 127.0.0.1]
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { Factory, type IPv4Address, reactor } from '../src/internet/index.js';
import { LineReceiver } from '../src/protocols/basic/index.js';
import { type Request, Resource, Site } from '../src/web/index.js';

/** Sends each line back, prefixed. */
class LineEcho extends LineReceiver {
  override lineReceived(line: Buffer): void {
    this.sendLine(`Line Echo: ${line.toString('utf8')}`);
  }
}

/** The HTTP side: the same answer for every path. */
class HttpEcho extends Resource {
  override isLeaf = true;

  render_GET(request: Request): string {
    request.setHeader('content-type', 'text/plain; charset=utf-8');
    return 'HTTP Echo: Hello, world!';
  }
}

const { values } = parseArgs({
  options: {
    'echo-port': { type: 'string', default: '8009' },
    'http-port': { type: 'string', default: '8080' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/multi-protocol-server.ts [--echo-port 8009] [--http-port 8080]\n' +
      '         [--interface 127.0.0.1]\n' +
      'A line echo server and an HTTP server in one reactor; port 0 picks a free port. Ctrl-C stops it.',
  );
} else {
  const options = { interface: values.interface };
  const echo = reactor.listenTCP(Number(values['echo-port']), Factory.forProtocol(LineEcho), options);
  const http = reactor.listenTCP(Number(values['http-port']), new Site(new HttpEcho()), options);
  const e = echo.getHost() as IPv4Address;
  const h = http.getHost() as IPv4Address;
  console.log(`line echo listening on ${e.host}:${e.port}`);
  console.log(`http listening on ${h.host}:${h.port}`);
  await reactor.run();
}
