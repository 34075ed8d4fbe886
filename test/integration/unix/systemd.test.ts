import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serverFromString } from '../../../src/internet/endpoints/strports.js';
import { inheritedDescriptors } from '../../../src/internet/endpoints/systemd.js';
import { MemoryReactorClock } from '../../../src/testing/memory-reactor.js';

describe('systemd socket activation', { timeout: 15_000 }, () => {
  it('serves on the listening socket inherited as descriptor 3', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'systemd-child.ts')],
      {
        stdio: ['pipe', 'pipe', 'inherit', (server as unknown as { _handle: { fd: number } })._handle.fd],
        env: { ...process.env, LISTEN_FDS: '1' },
      },
    );
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      server.close(); // only the child holds the socket now
      const greeting = await new Promise<string>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1');
        let text = '';
        s.on('data', (d) => {
          text += d.toString();
        });
        s.on('end', () => resolve(text));
        s.on('error', reject);
      });
      assert.equal(greeting, `hello from ${child.pid}\n`);
    } finally {
      child.stdin!.end();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('reads LISTEN_FDS only when LISTEN_PID names this process', () => {
    assert.deepEqual(inheritedDescriptors({ LISTEN_FDS: '2', LISTEN_PID: String(process.pid) }), [3, 4]);
    assert.deepEqual(inheritedDescriptors({ LISTEN_FDS: '2', LISTEN_PID: '1' }), []);
    assert.deepEqual(inheritedDescriptors({}), []);
  });

  it('refuses a systemd: description without an inherited socket or with a bad domain', () => {
    const reactor = new MemoryReactorClock();
    assert.throws(
      () => serverFromString(reactor, 'systemd:domain=INET:index=5'),
      /no inherited socket number 5/,
    );
    assert.throws(() => serverFromString(reactor, 'systemd:domain=IPX:index=0'), /domain must be/);
    assert.throws(() => serverFromString(reactor, 'systemd:domain=INET'), /"index" is missing/);
  });
});
