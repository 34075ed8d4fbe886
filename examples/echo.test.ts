import assert from 'node:assert/strict';
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
