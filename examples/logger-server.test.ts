import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

/** Connects, writes `first`, waits until the server logged it, writes `second`, then closes. */
async function talk(
  port: string,
  first: string,
  second: string,
  logged: () => Promise<unknown>,
): Promise<void> {
  const socket = createConnection(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(first);
  await logged();
  socket.end(second);
  await once(socket, 'close');
}

describe('examples/logger-server.ts', () => {
  it('in chunk mode prints the connection, each chunk as it arrived, and the disconnection', async () => {
    const server = startChild('examples/logger-server.ts', ['--port', '0', '--mode', 'chunk']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    await talk(port, 'hel', 'lo\nworld\n', () => server.line(/data: "hel"\n/));
    await server.line(/disconnected: /);
    assert.match(
      server.stdout(),
      /\nconnected: 127\.0\.0\.1:\d+\ndata: "hel"\ndata: "lo\\nworld\\n"\ndisconnected: ConnectionDone\n$/,
    );
  });

  it('in line mode prints whole lines, however the bytes were split', async () => {
    const server = startChild('examples/logger-server.ts', ['--port', '0', '--mode', 'line']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    await talk(port, 'hel', 'lo\r\nworld\n', () => server.line(/connected: .*\n/));
    await server.line(/disconnected: /);
    assert.match(
      server.stdout(),
      /\nconnected: 127\.0\.0\.1:\d+\nline: "hello"\nline: "world"\ndisconnected: ConnectionDone\n$/,
    );
  });

  it('prints its usage with --help and refuses an unknown mode', async () => {
    const [help, bad] = await Promise.all([
      startChild('examples/logger-server.ts', ['--help']).done,
      startChild('examples/logger-server.ts', ['--mode', 'words']).done,
    ]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: /);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^usage: /);
  });
});
