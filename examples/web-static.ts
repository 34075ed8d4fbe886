/**
 * The tutorial's simple web server: a `File` resource serves a folder (index.html for `/`), and a
 * dynamic resource added as its child answers `/hello?name=...` — one resource tree, one `Site`.
 *
 *     node --import tsx examples/web-static.ts [--port 8080] [--interface 127.0.0.1] [--root examples/htm]
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type IPv4Address, reactor } from '../src/internet/index.js';
import { File, type Request, Resource, Site } from '../src/web/index.js';

/** A page computed for each request. */
class Hello extends Resource {
  override isLeaf = true;

  render_GET(request: Request): string {
    const name = request.args.get('name')?.[0] ?? 'world';
    request.setHeader('content-type', 'text/plain; charset=utf-8');
    return `Hello, ${name}!`;
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    interface: { type: 'string', default: '127.0.0.1' },
    root: { type: 'string', default: fileURLToPath(new URL('./htm', import.meta.url)) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(
    'usage: node --import tsx examples/web-static.ts [--port 8080] [--interface 127.0.0.1] [--root examples/htm]\n' +
      'Serves the files under ROOT and a dynamic /hello?name=NAME page; --port 0 picks a free port.',
  );
} else {
  const root = new File(values.root);
  root.putChild('hello', new Hello());
  const port = reactor.listenTCP(Number(values.port), new Site(root), { interface: values.interface });
  const host = port.getHost() as IPv4Address;
  console.log(`web server listening on ${host.host}:${host.port}, serving ${values.root}`);
  await reactor.run();
}
