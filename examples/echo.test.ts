import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/echo-server.ts and examples/echo-client.ts', () => {
  it('echo a message between the two programs, and the server stops cleanly on SIGINT', async () => {
    const server = startChild('examples/echo-server.ts', ['--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const client = await startChild('examples/echo-client.ts', ['--port', port, '--message', 'ping pong'])
      .done;
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, 'echo: ping pong\n');
    server.process.kill('SIGINT');
    const outcome = await server.done;
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /echo server stopped\n$/);
  });

  it('with --raw echoes bytes as they come, which the same client reads as its line', async () => {
    const server = startChild('examples/echo-server.ts', ['--port', '0', '--raw']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const client = await startChild('examples/echo-client.ts', ['--port', port, '--message', 'raw bytes'])
      .done;
    assert.equal(client.code, 0, client.stderr);
    assert.equal(client.stdout, 'echo: raw bytes\n');
    server.process.kill('SIGINT');
    assert.equal((await server.done).code, 0);
  });

  it('echoes line by line by default: each line comes back whole, once', async () => {
    const server = startChild('examples/echo-server.ts', ['--port', '0']);
    const port = Number((await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    const socket = connect(port, '127.0.0.1');
    socket.write('one\r\ntw');
    socket.end('o\r\npartial');
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'one\r\ntwo\r\n');
    server.process.kill('SIGINT');
    assert.equal((await server.done).code, 0);
  });

  it('the client exits 1 with the error when nothing listens', async () => {
    const server = startChild('examples/echo-server.ts', ['--port', '0']);
    const port = (await server.line(/:(\d+)/))[1]!;
    server.process.kill('SIGINT');
    await server.done;
    const client = await startChild('examples/echo-client.ts', ['--port', port]).done;
    assert.equal(client.code, 1);
    assert.match(client.stderr, /ConnectionRefusedError/);
  });

  it('both print their usage with --help', async () => {
    for (const file of ['examples/echo-server.ts', 'examples/echo-client.ts']) {
      const { code, stdout } = await startChild(file, ['--help']).done;
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /);
    }
  });
});
