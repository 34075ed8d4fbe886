import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { Deferred } from '../defer.js';
import { ConnectionDone, ProcessTerminated } from '../error.js';
import { ProcessSpawnError } from '../process-protocol.js';
import { Factory, Protocol } from '../protocol.js';
import { ProcessEndpoint, StandardIOEndpoint } from './stdio.js';
import { serverFromString } from './strports.js';

class Collect extends Protocol {
  data = '';
  readonly lost = new Deferred<Error>();
  readonly received = new Deferred<void>();
  override dataReceived(data: Buffer): void {
    this.data += data.toString();
    if (!this.received.called) this.received.callback(undefined);
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.lost.callback(reason);
  }
}

describe('StandardIOEndpoint', () => {
  it('connects one protocol to the standard streams given', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const proto = new Collect();
    const f = new Factory();
    f.buildProtocol = () => proto;
    const port = await new StandardIOEndpoint({ stdin, stdout }).listen(f);
    assert.deepEqual(port.getHost(), { type: 'PIPE' });
    proto.transport!.write('out');
    assert.equal(stdout.read()?.toString(), 'out');
    stdin.write('in');
    await proto.received;
    assert.equal(proto.data, 'in');
    await port.stopListening();
    assert.ok((await proto.lost) instanceof ConnectionDone);
  });

  it('is what the stdio: description makes', () => {
    assert.ok(serverFromString(new MemoryReactorClock(), 'stdio:') instanceof StandardIOEndpoint);
    assert.throws(() => serverFromString(new MemoryReactorClock(), 'stdio:x:y'), /too many positional/);
  });
});

describe('ProcessEndpoint', { timeout: 10_000 }, () => {
  it('talks to a child process over its stdin and stdout', async () => {
    const proto = (await new ProcessEndpoint('cat', ['cat']).connect(
      Factory.forProtocol(Collect),
    )) as Collect;
    proto.transport!.write('through cat');
    proto.transport!.loseConnection();
    assert.ok((await proto.lost) instanceof ConnectionDone);
    assert.equal(proto.data, 'through cat');
  });

  it('reports a non-zero exit as ProcessTerminated', async () => {
    const proto = (await new ProcessEndpoint('sh', ['sh', '-c', 'exit 3']).connect(
      Factory.forProtocol(Collect),
    )) as Collect;
    const reason = await proto.lost;
    assert.ok(reason instanceof ProcessTerminated);
    assert.equal(reason.exitCode, 3);
  });

  it('errbacks connect with ProcessSpawnError when the program cannot be started', async () => {
    let built = 0;
    const f = new Factory();
    f.buildProtocol = () => {
      built++;
      return new Collect();
    };
    const d = new ProcessEndpoint('/nonexistent/twisted-ts-nope').connect(f);
    await assert.rejects(d.asPromise(), (err: unknown) => {
      assert.ok(err instanceof ProcessSpawnError);
      assert.equal(err.errno, 'ENOENT');
      assert.match(err.message, /twisted-ts-nope/);
      return true;
    });
    assert.equal(built, 1);
  });
});
