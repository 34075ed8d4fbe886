import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/multi-protocol-server.ts', () => {
  it('answers lines on one port and HTTP on the other, from one process', async () => {
    const server = startChild('examples/multi-protocol-server.ts', ['--echo-port', '0', '--http-port', '0']);
    const echoPort = Number((await server.line(/line echo listening on 127\.0\.0\.1:(\d+)/))[1]);
    const httpPort = Number((await server.line(/http listening on 127\.0\.0\.1:(\d+)/))[1]);

    const response = await fetch(`http://127.0.0.1:${httpPort}/anything`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'HTTP Echo: Hello, world!');

    const socket = createConnection(echoPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('one\r\ntwo\r\n');
    const chunks: Buffer[] = [];
    for await (const chunk of socket as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'Line Echo: one\r\nLine Echo: two\r\n');
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await startChild('examples/multi-protocol-server.ts', ['--help']).done;
    assert.equal(code, 0);
    assert.match(stdout, /^usage: /);
  });
});
