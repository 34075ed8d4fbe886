import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConnectionAborted, ConnectionDone, ConnectionLost } from './error.js';
import type { IPullProducer, IPushProducer } from './interfaces.js';
import { Protocol } from './protocol.js';
import { StandardIO } from './stdio.js';

class Recorder extends Protocol {
  readonly events: string[] = [];
  readonly received: string[] = [];
  reason: Error | null = null;
  readonly lost: Promise<Error>;
  #resolve!: (e: Error) => void;
  constructor() {
    super();
    this.lost = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }
  override connectionMade(): void {
    this.events.push('made');
  }
  override dataReceived(data: Buffer): void {
    this.received.push(data.toString());
  }
  override connectionLost(reason: Error): void {
    this.events.push('lost');
    this.reason = reason;
    this.#resolve(reason);
  }
}

class HalfCloser extends Recorder {
  readConnectionLost(): void {
    this.events.push('readLost');
    this.transport!.write('bye\n');
    (this.transport as StandardIO).loseWriteConnection();
  }
  writeConnectionLost(): void {
    this.events.push('writeLost');
  }
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString();
}

describe('StandardIO', () => {
  it('connects the protocol, delivers input and writes output', () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const proto = new Recorder();
    const stdio = new StandardIO(proto, { stdin, stdout });
    assert.deepEqual(proto.events, ['made']);
    assert.equal(proto.transport, stdio);
    stdin.emit('data', Buffer.from('hello'));
    stdio.write('a');
    stdio.writeSequence(['b', Buffer.from('c')]);
    assert.deepEqual(proto.received, ['hello']);
    assert.equal(out(), 'abc');
    assert.deepEqual(stdio.getPeer(), { type: 'PIPE' });
    assert.deepEqual(stdio.getHost(), { type: 'PIPE' });
  });

  it('disconnects a protocol that is not half-closeable with ConnectionDone at end of input', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const proto = new Recorder();
    new StandardIO(proto, { stdin, stdout });
    stdin.end('last words');
    const reason = await proto.lost;
    assert.ok(reason instanceof ConnectionDone);
    assert.deepEqual(proto.received, ['last words']);
    assert.equal(stdout.writableEnded, true);
    assert.equal(out(), '');
  });

  it('tells a half-closeable protocol about end of input and lets it keep writing', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const proto = new HalfCloser();
    new StandardIO(proto, { stdin, stdout });
    stdin.end();
    const reason = await proto.lost;
    assert.ok(reason instanceof ConnectionDone);
    assert.deepEqual(proto.events, ['made', 'readLost', 'writeLost', 'lost']);
    assert.equal(out(), 'bye\n');
  });

  it('flushes what was written before calling connectionLost on loseConnection', async () => {
    const stdin = new PassThrough();
    const written: string[] = [];
    const pending: (() => void)[] = [];
    const stdout = new Writable({
      write(chunk: Buffer, _enc, cb) {
        written.push(chunk.toString());
        pending.push(cb);
      },
    });
    const proto = new Recorder();
    let flushed = false;
    let flushedBeforeLost: boolean | null = null;
    const lost = proto.connectionLost.bind(proto);
    proto.connectionLost = (reason: Error) => {
      flushedBeforeLost = flushed;
      lost(reason);
    };
    const stdio = new StandardIO(proto, { stdin, stdout });
    stdio.write('slow');
    stdio.loseConnection();
    assert.equal(stdio.disconnecting, true);
    assert.deepEqual(proto.events, ['made']);
    stdio.write('ignored after loseConnection');
    flushed = true;
    pending.shift()!();
    const reason = await proto.lost;
    assert.ok(reason instanceof ConnectionDone);
    assert.equal(flushedBeforeLost, true, 'connectionLost ran only after the write completed');
    assert.deepEqual(written, ['slow']);
  });

  it('pauses a streaming producer while the output is full and resumes it on drain', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough({ highWaterMark: 4 });
    const proto = new Recorder();
    const stdio = new StandardIO(proto, { stdin, stdout });
    const calls: string[] = [];
    const producer: IPushProducer = {
      pauseProducing: () => calls.push('pause'),
      resumeProducing: () => calls.push('resume'),
      stopProducing: () => calls.push('stop'),
    };
    stdio.registerProducer(producer, true);
    stdio.write('more than four bytes');
    assert.deepEqual(calls, ['pause']);
    const drained = new Promise((resolve) => stdout.once('drain', resolve));
    stdout.resume();
    await drained;
    assert.deepEqual(calls, ['pause', 'resume']);
  });

  it('asks a pull producer for the next chunk each time one is written', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const stdio = new StandardIO(new Recorder(), { stdin, stdout });
    const chunks = ['one ', 'two ', 'three'];
    const finished = new Promise<void>((resolve) => {
      const producer: IPullProducer = {
        resumeProducing() {
          const next = chunks.shift();
          if (next === undefined) {
            stdio.unregisterProducer();
            resolve();
          } else stdio.write(next);
        },
        stopProducing() {},
      };
      stdio.registerProducer(producer, false);
    });
    await finished;
    assert.equal(out(), 'one two three');
  });

  it('stops reading input while paused', () => {
    const stdin = new PassThrough();
    const proto = new Recorder();
    const stdio = new StandardIO(proto, { stdin, stdout: new PassThrough() });
    stdio.pauseProducing();
    assert.equal(stdin.isPaused(), true);
    stdio.resumeProducing();
    assert.equal(stdin.isPaused(), false);
  });

  it('reports ConnectionLost when the output fails', async () => {
    const stdout = new PassThrough();
    const proto = new Recorder();
    new StandardIO(proto, { stdin: new PassThrough(), stdout });
    stdout.destroy(new Error('EPIPE'));
    const reason = await proto.lost;
    assert.ok(reason instanceof ConnectionLost);
    assert.match(reason.message, /EPIPE/);
  });

  it('aborts with ConnectionAborted and destroys an injected output stream', () => {
    const stdout = new PassThrough();
    const proto = new Recorder();
    const stdio = new StandardIO(proto, { stdin: new PassThrough(), stdout });
    stdio.abortConnection();
    assert.ok(proto.reason instanceof ConnectionAborted);
    assert.equal(stdout.destroyed, true);
    stdio.abortConnection();
    assert.deepEqual(proto.events, ['made', 'lost']);
  });
});
