import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { killChildren, startChild } from './fixtures/child.js';

const fixture = fileURLToPath(new URL('./fixtures/lifecycle.ts', import.meta.url));
after(killChildren);

function start(mode: string) {
  const child = startChild(fixture, [mode]);
  return { child: child.process, done: child.done, line: async (re: RegExp) => (await child.line(re))[0] };
}

describe('NodeReactor in a process', () => {
  it('lets the process exit by itself once stopped, even with a delayed call pending and a port opened', async () => {
    const { code, stdout, stderr } = await start('run-stop').done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'run settled\n');
  });

  it('stops gracefully on SIGINT: shutdown triggers run and connections are flushed and closed', async () => {
    const child = start('signal');
    const port = Number((await child.line(/port \d+/)).split(' ')[1]);
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write('hi');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    const ended = new Promise((r) => socket.once('end', r));
    // Wait for the answer, so the server has written before we signal it.
    await new Promise((r) => socket.once('data', r));
    child.child.kill('SIGINT');
    await ended;
    socket.destroy();
    const { code, stdout } = await child.done;
    assert.equal(code, 0);
    assert.match(stdout, /shutdown trigger\nstopped\n$/);
    assert.equal(Buffer.concat(chunks).toString(), 'goodbye\n');
  });

  it('stops gracefully on SIGTERM', async () => {
    const child = start('signal');
    await child.line(/port \d+/);
    child.child.kill('SIGTERM');
    const { code, stdout } = await child.done;
    assert.equal(code, 0);
    assert.match(stdout, /stopped\n$/);
  });

  it('uses (almost) no CPU while idle: under 50 ms of CPU time in 2 s', async () => {
    const { code, stdout, stderr } = await start('idle').done;
    assert.equal(code, 0, stderr);
    const ms = Number(/cpu ([\d.]+)/.exec(stdout)?.[1]);
    console.log(`idle reactor CPU time over 2 s: ${ms} ms`);
    assert.ok(ms < 50, `idle CPU ${ms} ms`);
  });

  it('react() exits 0 after main resolves, passing argv', async () => {
    const { code, stdout, stderr } = await start('react-ok').done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'main done yes\n');
  });

  it('react() exits 1 and writes the error to stderr when main fails', async () => {
    const { code, stderr } = await start('react-fail').done;
    assert.equal(code, 1);
    assert.match(stderr, /main exploded/);
  });
});
