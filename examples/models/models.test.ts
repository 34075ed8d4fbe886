import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../../test/integration/fixtures/child.js';

after(killChildren);

/** Connects and reads until the server closes. */
async function answer(port: number): Promise<string> {
  const socket = createConnection(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  for await (const chunk of socket as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('examples/models', () => {
  it('the forking server answers each connection from a new process', async () => {
    const server = startChild('examples/models/forking-server.ts', ['--port', '0']);
    const [, parentPid, port] = (await server.line(/\(process (\d+)\) listening on 127\.0\.0\.1:(\d+)/))!;
    const [a, b] = await Promise.all([answer(Number(port)), answer(Number(port))]);
    const pids = [a, b].map((text) => /^Thank you for connecting \(process (\d+)\)\n$/.exec(text)?.[1]);
    assert.ok(pids[0] && pids[1], `${a} / ${b}`);
    assert.notEqual(pids[0], pids[1]);
    assert.ok(!pids.includes(parentPid));
  });

  it('the threaded server answers each connection from a new worker thread', async () => {
    const server = startChild('examples/models/threaded-server.ts', ['--port', '0']);
    const port = Number((await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    const [a, b] = await Promise.all([answer(port), answer(port)]);
    const ids = [a, b].map((text) => /^Thank you for connecting \(thread (\d+)\)\n$/.exec(text)?.[1]);
    assert.ok(ids[0] && ids[1], `${a} / ${b}`);
    assert.notEqual(ids[0], ids[1]);
  });

  it('the select server answers every connection from its one loop and stops on SIGINT', async () => {
    const server = startChild('examples/models/select-server.ts', ['--port', '0']);
    const port = Number((await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    const answers = await Promise.all([1, 2, 3].map(() => answer(port)));
    assert.deepEqual(answers, Array(3).fill('Thank you for connecting\n'));
    server.process.kill('SIGINT');
    const { code, stdout } = await server.done;
    assert.equal(code, 0);
    assert.equal(stdout.match(/^accepted /gm)?.length, 3);
    assert.match(stdout, /select server stopped\n$/);
  });

  it('all three print their usage with --help', async () => {
    const files = ['forking-server', 'threaded-server', 'select-server'];
    const runs = await Promise.all(files.map((f) => startChild(`examples/models/${f}.ts`, ['--help']).done));
    for (const { code, stdout } of runs) {
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /);
    }
  });
});
