import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/greeting-server.ts and examples/greeting-client.ts', () => {
  it('exchange greetings; each side prints the peer, the data and a clean disconnection', async () => {
    const server = startChild('examples/greeting-server.ts', ['--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const client = await startChild('examples/greeting-client.ts', ['--port', port]).done;
    assert.equal(client.code, 0, client.stderr);
    assert.equal(
      client.stdout,
      'server said: Hello\nconnection lost: ConnectionDone: Connection was closed cleanly.\n',
    );
    await server.line(/connection lost: .*\n/);
    assert.match(
      server.stdout(),
      /\nconnection from 127\.0\.0\.1:\d+\nreceived: hello\nconnection lost: ConnectionDone: Connection was closed cleanly\.\n$/,
    );
  });

  it('the client prints why it could not connect and exits 1', async () => {
    const server = startChild('examples/greeting-server.ts', ['--port', '0']);
    const port = (await server.line(/:(\d+)/))[1]!;
    server.process.kill('SIGINT');
    await server.done;
    const client = await startChild('examples/greeting-client.ts', ['--port', port]).done;
    assert.equal(client.code, 1);
    assert.match(client.stdout, /^connection failed: ConnectionRefusedError: /);
  });

  it('both print their usage with --help', async () => {
    const files = ['examples/greeting-server.ts', 'examples/greeting-client.ts'];
    const runs = await Promise.all(files.map((f) => startChild(f, ['--help']).done));
    for (const { code, stdout } of runs) {
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /);
    }
  });
});
