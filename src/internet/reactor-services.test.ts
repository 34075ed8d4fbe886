import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deferred, succeed } from './defer.js';
import type { IPv4Address, IPv6Address } from './interfaces.js';
import { ProcessProtocol } from './process-protocol.js';
import { NodeReactor } from './reactor.js';
import type { IHostnameResolver } from './resolver.js';
import { deferToThreadPool } from './threads/index.js';
import { DatagramProtocol } from './udp.js';
import { MulticastPort } from './udp-multicast.js';

const newReactor = (): NodeReactor => new NodeReactor({ installSignalHandlers: false });

/** Runs `r`, calls `body` once running, then stops it; resolves when run() settled. */
async function whileRunning(r: NodeReactor, body: () => Promise<void>): Promise<void> {
  const failed: unknown[] = [];
  r.callWhenRunning(() => {
    body().then(
      () => r.stop(),
      (err: unknown) => {
        failed.push(err);
        r.stop();
      },
    );
  });
  await r.run();
  if (failed.length > 0) throw failed[0];
}

class Stopped extends DatagramProtocol {
  stopped = false;
  override stopProtocol(): void {
    this.stopped = true;
  }
}

describe('NodeReactor services', () => {
  it('binds a UDP port with listenUDP that its own shutdown closes', async () => {
    const r = newReactor();
    const protocol = new Stopped();
    let listening = false;
    await whileRunning(r, async () => {
      const port = r.listenUDP(0, protocol, { interface: '127.0.0.1' });
      await port.whenListening();
      listening = port.listening;
    });
    assert.equal(listening, true);
    assert.equal(protocol.stopped, true);
  });

  it('binds a multicast port with listenMulticast that its own shutdown closes', async () => {
    const r = newReactor();
    const protocol = new Stopped();
    await whileRunning(r, async () => {
      const port = r.listenMulticast(0, protocol, { interface: '127.0.0.1' });
      assert.ok(port instanceof MulticastPort);
      await port.whenListening();
    });
    assert.equal(protocol.stopped, true);
  });

  it('starts a child process with spawnProcess and reports its output and end', async () => {
    const r = newReactor();
    const ended = new Deferred<Error>();
    const out: Buffer[] = [];
    class Collect extends ProcessProtocol {
      override outReceived(data: Buffer): void {
        out.push(data);
      }
      override processEnded(reason: Error): void {
        ended.callback(reason);
      }
    }
    r.spawnProcess(new Collect(), process.execPath, [process.execPath, '-e', "process.stdout.write('hi')"]);
    assert.equal((await ended).name, 'ProcessDone');
    assert.equal(Buffer.concat(out).toString(), 'hi');
  });

  it("runs callInThread work in the reactor's own pool, sized by suggestThreadPoolSize", async () => {
    const r = newReactor();
    const flag = new SharedArrayBuffer(4);
    let seen = -1;
    await whileRunning(r, async () => {
      r.suggestThreadPoolSize(1);
      const pool = r.getThreadPool();
      assert.equal(pool, r.getThreadPool());
      assert.equal(pool.maxThreads, 1);
      r.callInThread((buf: SharedArrayBuffer) => {
        Atomics.store(new Int32Array(buf), 0, 7);
      }, flag);
      // One thread: this task runs after the first one finished.
      seen = await deferToThreadPool(
        r,
        pool,
        (buf: SharedArrayBuffer) => Atomics.load(new Int32Array(buf), 0),
        flag,
      );
    });
    assert.equal(seen, 7);
  });

  it('runs callFromThread functions on a later turn, with their arguments', async () => {
    const r = newReactor();
    const done = new Deferred<string>();
    r.callFromThread((a: string, b: string) => done.callback(a + b), 'x', 'y');
    assert.equal(done.called, false);
    assert.equal(await done, 'xy');
  });

  it('resolves names with the resolver installed on it', async () => {
    const r = newReactor();
    const asked: string[] = [];
    const resolver: IHostnameResolver = {
      resolveHostName: (name) => {
        asked.push(name);
        const addresses: (IPv4Address | IPv6Address)[] = [
          { type: 'TCP', family: 'IPv6', host: '::1', port: 0 },
          { type: 'TCP', family: 'IPv4', host: '10.1.2.3', port: 0 },
        ];
        return succeed(addresses);
      },
    };
    assert.equal(r.nameResolver, undefined);
    assert.equal(r.installNameResolver(resolver), undefined);
    assert.equal(r.nameResolver, resolver);
    assert.equal(await r.resolve('db.example'), '10.1.2.3');
    assert.deepEqual(asked, ['db.example']);
  });
});
