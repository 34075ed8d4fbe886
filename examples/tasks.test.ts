import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/tasks.ts', () => {
  it('keeps answering on the echo port and ticking while the CPU-bound job runs in a worker', async () => {
    const child = startChild('examples/tasks.ts', ['--port', '0', '--job-seconds', '1.5']);
    const port = Number((await child.line(/echo listening on 127\.0\.0\.1:(\d+)/))[1]);
    await child.line(/CPU job started in a worker thread\n/);

    const socket = createConnection(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('ping');
    const [reply] = (await once(socket, 'data')) as [Buffer];
    assert.equal(reply.toString(), 'ping');
    assert.doesNotMatch(child.stdout(), /CPU job finished/, 'the echo answered only after the job');
    socket.destroy();

    const { code, stdout, stderr } = await child.done;
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n');
    assert.deepEqual(lines.slice(1, 4), [
      'deferLater fired after 0.1 s',
      'Cooperator: 1 + ... + 100000 = 5000050000, in 100 slices',
      'CPU job started in a worker thread',
    ]);
    assert.equal(lines[4], 'echoed "ping"');
    const ticks = Number(/the LoopingCall ticked (\d+) times meanwhile/.exec(stdout)?.[1]);
    assert.ok(ticks >= 5, `only ${ticks} ticks during a 1.5 s job`);
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await startChild('examples/tasks.ts', ['--help']).done;
    assert.equal(code, 0);
    assert.match(stdout, /^usage: /);
  });
});
