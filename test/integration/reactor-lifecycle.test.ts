import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { killChildren, startChild } from './fixtures/child.js';

const fixture = fileURLToPath(new URL('./fixtures/lifecycle.ts', import.meta.url));
after(killChildren);

/** What the fixture's `signal` server writes before `goodbye\n` (its FLOOD). */
const FLOOD = 16 * 1024 * 1024;

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

  it('stops gracefully on SIGINT: triggers run, the port closes, unsent data is flushed, the process exits', async () => {
    const child = start('signal');
    const port = Number((await child.line(/port \d+/)).split(' ')[1]);
    const socket = net.connect(port, '127.0.0.1');
    socket.pause(); // read nothing yet: most of the 16 MiB stays buffered in the server process
    await new Promise((r) => socket.once('connect', r));
    await child.line(/wrote/);
    child.child.kill('SIGINT');
    await child.line(/ports closed/);
    // The listening port is closed while the connection is still flushing.
    const refused = await new Promise<string>((resolve) => {
      const probe = net.connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    assert.equal(refused, 'ECONNREFUSED');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    const ended = new Promise((r) => socket.once('end', r));
    socket.resume();
    await ended;
    socket.destroy();
    const { code, signal, stdout } = await child.done;
    assert.equal(signal, null);
    assert.equal(code, 0);
    assert.match(stdout, /shutdown trigger\nports closed\nstopped\n$/);
    const got = Buffer.concat(chunks);
    assert.equal(got.length, FLOOD + 'goodbye\n'.length);
    const expected = Buffer.alloc(FLOOD);
    for (let i = 0; i < FLOOD; i++) expected[i] = i % 251;
    assert.ok(
      got.subarray(0, FLOOD).equals(expected),
      'every byte written before the signal arrived in order',
    );
    assert.equal(got.subarray(FLOOD).toString(), 'goodbye\n');
  });

  it('stops gracefully on SIGTERM', async () => {
    const child = start('signal');
    await child.line(/port \d+/);
    child.child.kill('SIGTERM');
    const { code, stdout } = await child.done;
    assert.equal(code, 0);
    assert.match(stdout, /stopped\n$/);
  });

  it('uses no CPU while idle: the main thread sleeps through 2 s of a running reactor', async () => {
    const { code, stdout, stderr } = await start('idle').done;
    assert.equal(code, 0, stderr);
    const idle = JSON.parse(stdout) as { cpuMs: number; ticks: number | null; wakeups: number | null };
    console.log(
      `idle reactor over 2 s: process CPU ${idle.cpuMs} ms, main thread ${idle.ticks} ticks, ${idle.wakeups} wake-ups`,
    );
    if (process.platform === 'linux') {
      // One wake-up is the timer that ends the measurement; a polling loop would wake hundreds of times.
      assert.ok(idle.wakeups !== null && idle.wakeups <= 2, `the main thread woke ${idle.wakeups} times`);
      assert.ok(idle.ticks !== null && idle.ticks <= 1, `the main thread used ${idle.ticks} CPU ticks`);
    }
    // The whole process (V8's and the loader's helper threads included) stays in the noise.
    assert.ok(idle.cpuMs < 50, `idle CPU ${idle.cpuMs} ms`);
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
