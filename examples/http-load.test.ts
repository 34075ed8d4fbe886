import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

let server: Server;
let url = '';
let connections = 0;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') res.writeHead(404).end('no');
    else res.end('hello');
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  killChildren();
  server.closeAllConnections();
  server.close();
});

describe('examples/http-load.ts', () => {
  it('sends the requested count over at most --concurrency keep-alive connections and summarises', async () => {
    connections = 0;
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

  it('prints its usage with --help and exits 2 without a URL', async () => {
    const help = await startChild('examples/http-load.ts', ['--help']).done;
    assert.match(help.stdout, /^usage: /);
    const bad = await startChild('examples/http-load.ts', []).done;
    assert.equal(bad.code, 2);
  });
});
