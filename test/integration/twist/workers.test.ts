import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { client, startTwist } from './twist-process.js';

describe('twist --workers', () => {
  it('serves one port from two worker processes, restarts a dead worker, and stops them all gracefully on SIGTERM', async (t) => {
    const twist = startTwist([
      '--workers',
      '2',
      '--log-level',
      'debug',
      'echo',
      '--listen',
      'tcp:0:interface=127.0.0.1',
    ]);
    t.after(() => twist.kill());
    const listening = await twist.waitForAll(
      /Worker (\d) \(pid (\d+)\) is listening on 127\.0\.0\.1:(\d+)/g,
      2,
    );
    const ports = new Set(listening.map((m) => m[3]));
    assert.equal(ports.size, 1, 'both workers share one port');
    const port = Number([...ports][0]);
    const workerPids = new Set(listening.map((m) => Number(m[2])));
    assert.equal(workerPids.size, 2);
    assert.ok(!workerPids.has(twist.child.pid ?? -1), 'workers are not the primary');

    // Each accepted connection is logged by the worker that took it: keep connecting until both have.
    const served = new Set<number>();
    for (let i = 0; i < 20 && served.size < 2; i++) {
      const c = await client(port);
      c.socket.write(`hello ${i}`);
      await c.received(`hello ${i}`);
      c.socket.end();
      await c.closed;
      const logged = await twist.waitForAll(
        /\[worker \d pid (\d+)\] \[twisted-ts\.application#debug\] Connection from/g,
        i + 1,
      );
      for (const m of logged) served.add(Number(m[1]));
    }
    assert.deepEqual([...served].sort(), [...workerPids].sort(), 'connections were served by both workers');

    const [victim] = [...workerPids];
    process.kill(victim as number, 'SIGKILL');
    await twist.waitFor(
      new RegExp(`Worker \\d \\(pid ${victim}\\) died \\(signal SIGKILL\\); restarting in`),
    );
    await twist.waitForAll(/Worker \d \(pid \d+\) is listening on/g, 3);

    // Shutdown is graceful in the workers too: a connection open when the primary gets SIGTERM
    // is served until it closes.
    const held = await client(port);
    t.after(() => held.socket.destroy());
    held.socket.write('before;');
    await held.received('before;');
    twist.kill('SIGTERM');
    await twist.waitFor(/\[worker \d pid \d+\] .*Waiting up to 10s for 1 open connection\(s\) to finish/);
    held.socket.write('after SIGTERM;');
    await held.received('after SIGTERM;');
    assert.equal(twist.child.exitCode, null, 'still running while the connection is open');
    held.socket.end();
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /All workers stopped/);
  });
});
