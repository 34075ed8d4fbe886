import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPeer, startServer, type TestServer } from './harness.js';

let server: TestServer;
before(() => {
  server = startServer();
});
after(() => server.stop());

const HTTP_CLIENT = `
import http.client, sys
conn = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=10)
conn.request('GET', '/hello')
r = conn.getresponse(); print(r.status, r.read().decode())
conn.request('POST', '/echo', body=b'x' * 100000, headers={'Content-Type': 'application/octet-stream'})
r = conn.getresponse(); body = r.read(); print(r.status, len(body), body == b'x' * 100000)
conn.request('HEAD', '/static/hello.txt')
r = conn.getresponse(); print(r.status, r.getheader('Content-Length'), r.read())
conn.request('GET', '/stream')
r = conn.getresponse(); print(r.status, r.read().decode().count('line'))
conn.request('GET', '/nothing-here')
r = conn.getresponse(); r.read(); print(r.status)
print('same socket', conn.sock is not None)
`;

const TWISTED_AGENT = `
import sys
from twisted.internet import task
from twisted.web.client import Agent, readBody
from twisted.web.http_headers import Headers

async def main(reactor):
    agent = Agent(reactor)
    url = ('http://127.0.0.1:%s' % sys.argv[1]).encode()
    r = await agent.request(b'GET', url + b'/hello', Headers({b'User-Agent': [b'Twisted Agent']}))
    body = await readBody(r)
    print(r.code, body.decode())
    r = await agent.request(b'GET', url + b'/static/big.bin')
    body = await readBody(r)
    print(r.code, len(body))
    r = await agent.request(b'GET', url + b'/stream')
    body = await readBody(r)
    print(r.code, body.decode().count('line'))

task.react(lambda reactor: __import__('twisted.internet.defer', fromlist=['x']).ensureDeferred(main(reactor)))
`;

describe('interop: Python clients against twisted-ts web', () => {
  it("Python's http.client does GET, POST, HEAD, chunked and 404 on one connection", async () => {
    const r = await runPeer(
      'python3',
      ['-c', HTTP_CLIENT, String(server.port)],
      'apt-get install -y python3',
    );
    assert.equal(r.stderr, '');
    assert.deepEqual(r.stdout.toString().trim().split('\n'), [
      '200 Hello world!',
      '200 100000 True',
      "200 13 b''",
      '200 5',
      '404',
      'same socket True',
    ]);
  });

  it("Twisted's own twisted.web.client.Agent fetches pages, a 1 MB file and a chunked stream", async () => {
    const r = await runPeer(
      '/usr/bin/python3',
      ['-c', TWISTED_AGENT, String(server.port)],
      'apt-get install -y python3-twisted',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.toString().trim().split('\n'), ['200 Hello world!', '200 1048576', '200 5']);
  });
});
