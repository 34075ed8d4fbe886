import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IPushProducer } from '../../../src/internet/interfaces.js';
import { Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import {
  Agent,
  FileBodyProducer,
  HTTPConnectionPool,
  ResponseDone,
  readBody,
} from '../../../src/web/client/index.js';
import { killChildren, startChild } from '../../integration/fixtures/child.js';

const GB = 1024 ** 3;
/** What the client may hold beyond its baseline, in bytes: "a few MB". */
const BUDGET = 8 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'twisted-ts bulk body ');

setFlagsFromString('--expose-gc');
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const gc = runInNewContext('gc') as () => void;

/** Live memory after a full collection: JS heap plus Buffers. */
function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const reactor = new NodeReactor({ installSignalHandlers: false });
const pool = new HTTPConnectionPool(reactor);
const agent = new Agent(reactor, { pool });
let base = '';

before(async () => {
  const server = startChild('test/interop/web-client/bulk-server.ts');
  base = `http://127.0.0.1:${(await server.line(/port (\d+)/))[1]}`;
});

after(async () => {
  await pool.closeCachedConnections();
  killChildren();
});

/** Writes the body into a sink slower than the network, pausing the connection when it is full. */
class ToSlowSink extends Protocol {
  received = 0;
  peak = 0;
  mismatch = -1;
  readonly done: Promise<Error>;
  readonly #baseline: number;
  #end: (e: Error) => void = () => {};
  readonly #sink = new Writable({
    highWaterMark: 1024 * 1024,
    write: (_chunk, _enc, callback) => setImmediate(callback),
  });
  constructor(baseline: number) {
    super();
    this.#baseline = baseline;
    this.done = new Promise((resolve) => {
      this.#end = resolve;
    });
    this.#sink.on('drain', () => (this.transport as unknown as IPushProducer).resumeProducing());
  }
  override dataReceived(data: Buffer): void {
    const offset = this.received % CHUNK.length;
    const expected = CHUNK.subarray(offset, offset + Math.min(data.length, CHUNK.length - offset));
    if (this.mismatch < 0 && !data.subarray(0, expected.length).equals(expected))
      this.mismatch = this.received;
    const before = Math.floor(this.received / (64 * 1024 * 1024));
    this.received += data.length;
    if (Math.floor(this.received / (64 * 1024 * 1024)) !== before) {
      this.peak = Math.max(this.peak, liveBytes() - this.#baseline);
    }
    if (!this.#sink.write(data)) (this.transport as unknown as IPushProducer).pauseProducing();
  }
  override connectionLost(reason: Error): void {
    this.#sink.end(() => this.#end(reason));
  }
}

describe('1 GB bodies through the Agent, in a few MB of memory', () => {
  it('downloads 1 GB into a slow consumer, the connection paused whenever it is full', async () => {
    const baseline = liveBytes();
    const r = await agent.request('GET', `${base}/download?bytes=${GB}`);
    assert.equal(r.length, GB);
    const sink = new ToSlowSink(baseline);
    r.deliverBody(sink);
    assert.ok((await sink.done) instanceof ResponseDone);
    assert.equal(sink.received, GB);
    assert.equal(sink.mismatch, -1, `the body differs from byte ${sink.mismatch}`);
    assert.ok(sink.peak < BUDGET, `held ${(sink.peak / 2 ** 20).toFixed(1)} MiB`);
  });

  it('uploads 1 GB from a stream faster than the network, the stream paused whenever the socket is full', async () => {
    const baseline = liveBytes();
    const hash = createHash('sha256');
    let produced = 0;
    let peak = 0;
    const source = new Readable({
      read() {
        if (produced === GB) {
          this.push(null);
          return;
        }
        produced += CHUNK.length;
        hash.update(CHUNK);
        if (produced % (64 * 1024 * 1024) === 0) peak = Math.max(peak, liveBytes() - baseline);
        this.push(Buffer.from(CHUNK)); // a new buffer per chunk, as a file stream reads
      },
    });
    const r = await agent.request(
      'PUT',
      `${base}/upload`,
      null,
      new FileBodyProducer(source, { length: GB }),
    );
    assert.equal(r.code, 200);
    assert.equal((await readBody(r)).toString(), `${GB} ${hash.digest('hex')}`);
    assert.ok(peak < BUDGET, `held ${(peak / 2 ** 20).toFixed(1)} MiB`);
  });
});
