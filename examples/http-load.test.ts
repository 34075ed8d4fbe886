import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { NodeReactor } from '../src/internet/reactor.js';
import { type Request, Resource, Site } from '../src/web/index.js';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';
import { type CountingSite, listenCountingSite } from '../test/integration/fixtures/counting-site.js';

/** The twisted-ts server under load: `/` says hello, `/missing` is a 404. */
class Hello extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    if (request.path === '/missing') {
      request.setResponseCode(404);
      return 'no';
    }
    return 'hello';
  }
}

const reactor = new NodeReactor({ installSignalHandlers: false });
let served: CountingSite;
let url = '';

before(() => {
  served = listenCountingSite(reactor, new Site(new Hello()));
  url = served.url;
});

after(async () => {
  killChildren();
  await served.port.stopListening();
});

/** Runs the load tester under a pseudo-terminal (Python's pty module); resolves with what it printed. */
function underTTY(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    'python3',
    [
      '-c',
      'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)',
      process.execPath,
      '--import',
      'tsx',
      'examples/http-load.ts',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('examples/http-load.ts against the twisted-ts web server', () => {
  it('sends the requested count over at most --concurrency keep-alive connections and summarises', async () => {
    const before = served.connections();
    const out = await startChild('examples/http-load.ts', [
      `${url}/`,
      '--concurrency',
      '4',
      '--requests',
      '200',
    ]).done;
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /requests: {4}200 in /);
    assert.match(out.stdout, /requests\/s: {2}\d+/);
    assert.match(out.stdout, /status: {6}200: 200/);
    assert.match(out.stdout, /errors: {6}0/);
    assert.match(out.stdout, /latency: {5}p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms/);
    assert.doesNotMatch(out.stdout, /\[#/, 'no progress bar when stdout is not a TTY');
    const connections = served.connections() - before;
    assert.ok(connections <= 4, `${connections} connections`);
  });

  it('counts status codes and errors by kind, bounded by --duration', async () => {
    const miss = await startChild('examples/http-load.ts', [`${url}/missing`, '-c', '2', '--duration', '0.3'])
      .done;
    assert.equal(miss.code, 0, miss.stderr);
    assert.match(miss.stdout, /status: {6}404: \d+/);
    const refused = await startChild('examples/http-load.ts', ['http://127.0.0.1:1/', '-c', '2', '-n', '4'])
      .done;
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /errors: {6}ERR_CONNECTION_REFUSED: 4/);
  });

  it('draws a live progress bar on a TTY', async () => {
    const { code, output } = await underTTY([`${url}/`, '-c', '4', '-n', '300']);
    assert.equal(code, 0, output);
    assert.match(output, /\r\[#{30}\] 300 done, \d+ req\/s/);
    assert.match(output, /status: {6}200: 300/);
  });

  it('prints its usage with --help and exits 2 without a URL', async () => {
    const help = await startChild('examples/http-load.ts', ['--help']).done;
    assert.match(help.stdout, /^usage: /);
    const bad = await startChild('examples/http-load.ts', []).done;
    assert.equal(bad.code, 2);
  });
});
