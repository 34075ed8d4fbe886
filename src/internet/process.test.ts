import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessDone, ProcessTerminated } from './error.js';
import type { IPushProducer } from './interfaces.js';
import { spawnProcess } from './process.js';
import {
  ProcessExitedAlready,
  ProcessProtocol,
  ProcessSpawnError,
  PTYNotSupportedError,
} from './process-protocol.js';

const SH = '/bin/sh';

/** Records every hook; `ended` resolves with the processEnded reason. */
class Recorder extends ProcessProtocol {
  readonly events: string[] = [];
  readonly data = new Map<number, string>();
  exitedReason: Error | null = null;
  readonly ended: Promise<Error>;
  #resolve!: (e: Error) => void;
  constructor() {
    super();
    this.ended = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  override connectionMade(): void {
    this.events.push('connectionMade');
  }
  override childDataReceived(fd: number, data: Buffer): void {
    this.data.set(fd, (this.data.get(fd) ?? '') + data.toString());
    super.childDataReceived(fd, data);
  }
  override outReceived(): void {
    if (this.events.at(-1) !== 'out') this.events.push('out');
  }
  override errReceived(): void {
    if (this.events.at(-1) !== 'err') this.events.push('err');
  }
  override inConnectionLost(): void {
    this.events.push('inLost');
  }
  override outConnectionLost(): void {
    this.events.push('outLost');
  }
  override errConnectionLost(): void {
    this.events.push('errLost');
  }
  override processExited(reason: Error): void {
    this.exitedReason = reason;
    this.events.push('exited');
  }
  override processEnded(reason: Error): void {
    this.events.push('ended');
    this.#resolve(reason);
  }
}

function sh(proto: ProcessProtocol, script: string, options: Parameters<typeof spawnProcess>[3] = {}) {
  return spawnProcess(proto, SH, ['sh', '-c', script], options);
}

describe('spawnProcess', () => {
  it('connects the protocol, relays stdin to the child and its stdout back, then ends with ProcessDone', async () => {
    const proto = new Recorder();
    const proc = sh(proto, 'exec cat');
    assert.equal(proto.transport, proc);
    assert.equal(typeof proc.pid, 'number');
    proc.write('hello ');
    proc.writeSequence(['wor', Buffer.from('ld')]);
    proc.closeStdin();
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessDone);
    assert.ok(proto.exitedReason instanceof ProcessDone);
    assert.equal(proto.data.get(1), 'hello world');
    assert.equal(proto.events[0], 'connectionMade');
    assert.equal(proto.events.at(-1), 'ended');
    for (const e of ['out', 'inLost', 'outLost', 'errLost', 'exited']) assert.ok(proto.events.includes(e), e);
    assert.equal(proc.pid, null);
  });

  it('passes args[0] as argv0 and the rest as arguments', async () => {
    const proto = new Recorder();
    const script = 'console.log(process.argv0, process.argv.slice(1).join(","))';
    spawnProcess(proto, process.execPath, ['my-name', '-e', script, 'a', 'b']);
    await proto.ended;
    assert.equal(proto.data.get(1), 'my-name a,b\n');
  });

  it('delivers stderr to errReceived', async () => {
    const proto = new Recorder();
    sh(proto, 'printf oops >&2');
    await proto.ended;
    assert.equal(proto.data.get(2), 'oops');
    assert.ok(proto.events.includes('err'));
  });

  it('ends with ProcessTerminated carrying a non-zero exit code', async () => {
    const proto = new Recorder();
    sh(proto, 'exit 3');
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessTerminated);
    assert.equal(reason.exitCode, 3);
    assert.equal(reason.signal, null);
  });

  it('signals the process, reports the signal, and refuses to signal it once gone', async () => {
    const proto = new Recorder();
    const proc = sh(proto, 'exec cat');
    proc.signalProcess('TERM');
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessTerminated);
    assert.equal(reason.signal, 'SIGTERM');
    assert.equal(reason.exitCode, null);
    assert.throws(() => proc.signalProcess('KILL'), ProcessExitedAlready);
  });

  it('reports a missing executable as a ProcessSpawnError naming it, without throwing', async () => {
    const proto = new Recorder();
    const proc = spawnProcess(proto, '/nonexistent/twisted-ts-nope', ['nope']);
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessSpawnError);
    assert.ok(reason instanceof ProcessTerminated);
    assert.equal(reason.errno, 'ENOENT');
    assert.match(reason.message, /twisted-ts-nope/);
    assert.equal(proc.pid, null);
    assert.ok(proto.exitedReason instanceof ProcessSpawnError);
    assert.throws(() => proc.signalProcess('TERM'), ProcessExitedAlready);
  });

  it('throws PTYNotSupportedError for usePTY', () => {
    assert.throws(() => spawnProcess(new Recorder(), SH, ['sh'], { usePTY: true }), PTYNotSupportedError);
  });

  it('inherits our environment by default and uses exactly env when given', async () => {
    const inherited = new Recorder();
    sh(inherited, '[ -n "$PATH" ] && echo set');
    await inherited.ended;
    assert.equal(inherited.data.get(1), 'set\n');
    const explicit = new Recorder();
    spawnProcess(explicit, '/usr/bin/env', ['env'], { env: { ONLY: 'this' } });
    await explicit.ended;
    assert.equal(explicit.data.get(1), 'ONLY=this\n');
  });

  it('runs the child as the uid and gid given (or refuses them when we may not switch)', async () => {
    const nobody = 65534;
    const options = { uid: nobody, gid: nobody, path: '/' };
    if (process.getuid!() !== 0) {
      assert.throws(() => sh(new Recorder(), 'id -u', options), { code: 'EPERM' });
      return;
    }
    const proto = new Recorder();
    sh(proto, 'echo "$(id -u) $(id -g)"', options);
    await proto.ended;
    assert.equal(proto.data.get(1), `${nobody} ${nobody}\n`);
  });

  it('runs the child in the directory given as path', async () => {
    const proto = new Recorder();
    sh(proto, 'pwd', { path: '/' });
    await proto.ended;
    assert.equal(proto.data.get(1), '/\n');
  });

  it('reads an extra child fd declared in childFDs and reports its closing', async () => {
    const proto = new Recorder();
    const lost: number[] = [];
    proto.childConnectionLost = (fd) => lost.push(fd);
    sh(proto, 'printf three >&3', { childFDs: { 0: 'w', 1: 'r', 2: 'r', 3: 'r' } });
    await proto.ended;
    assert.equal(proto.data.get(3), 'three');
    assert.deepEqual(
      lost.sort((a, b) => a - b),
      [0, 1, 2, 3],
    );
  });

  it('pauses a streaming producer when the child does not read its stdin', async () => {
    const proto = new Recorder();
    const proc = sh(proto, 'exec sleep 60');
    const calls: string[] = [];
    const producer: IPushProducer = {
      pauseProducing: () => calls.push('pause'),
      resumeProducing: () => calls.push('resume'),
      stopProducing: () => calls.push('stop'),
    };
    proc.registerProducer(producer, true);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 64 && calls.length === 0; i++) proc.write(chunk);
    assert.deepEqual(calls, ['pause']);
    proc.unregisterProducer();
    proc.signalProcess('KILL');
    const reason = (await proto.ended) as ProcessTerminated;
    assert.equal(reason.signal, 'SIGKILL');
  });

  it('closes the output pipes on loseConnection, which ends a child that only reads', async () => {
    const proto = new Recorder();
    const proc = sh(proto, 'exec cat');
    proc.loseConnection();
    const reason = await proto.ended;
    assert.ok(reason instanceof ProcessDone);
    assert.ok(proto.events.includes('outLost') && proto.events.includes('inLost'));
  });
});
