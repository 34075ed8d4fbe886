import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { client, startTwist } from './twist-process.js';

const LISTEN = ['echo', '--listen', 'tcp:0:interface=127.0.0.1'];

describe('twist graceful shutdown', () => {
  it('stops accepting on SIGTERM but serves an open connection until it closes, then exits 0', async (t) => {
    const twist = startTwist(LISTEN);
    t.after(() => twist.kill());
    const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
    const c = await client(Number(port));
    c.socket.write('before;');
    await c.received('before;');

    twist.kill('SIGTERM');
    await twist.waitFor(/Waiting up to 10s for 1 open connection\(s\) to finish/);
    await assert.rejects(client(Number(port)), { code: 'ECONNREFUSED' });

    c.socket.write('after SIGTERM;');
    await c.received('after SIGTERM;');
    assert.equal(twist.child.exitCode, null, 'still running while the connection is open');
    c.socket.end();
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /Received SIGTERM: shutting down/);
    assert.match(twist.output(), /\[twisted-ts\.twist#info\] Stopped\n/);
  });

  it('aborts the connections still open when --shutdown-timeout runs out, and exits 0', async (t) => {
    const twist = startTwist(['--shutdown-timeout', '0.5', ...LISTEN]);
    t.after(() => twist.kill());
    const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
    const c = await client(Number(port));
    t.after(() => c.socket.destroy());
    c.socket.write('x');
    await c.received('x');
    twist.kill('SIGTERM');
    await twist.waitFor(/Waiting up to 0\.5s for 1 open connection\(s\) to finish/);
    await c.closed;
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /Aborting 1 connection\(s\) still open after 0\.5s/);
  });

  it('aborts the open connections at once on a second signal and still exits 0', async (t) => {
    const twist = startTwist(LISTEN);
    t.after(() => twist.kill());
    const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
    const c = await client(Number(port));
    c.socket.write('x');
    await c.received('x');
    twist.kill('SIGINT');
    await twist.waitFor(/Waiting up to 10s for 1 open connection\(s\) to finish/);
    twist.kill('SIGINT');
    await c.closed;
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /Received SIGINT again: aborting open connections/);
  });
});
