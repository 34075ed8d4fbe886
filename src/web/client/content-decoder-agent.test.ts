import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { type Deferred, succeed } from '../../internet/defer.js';
import { ConnectionDone } from '../../internet/error.js';
import type { IProtocol, IPushProducer } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { successResultOf } from '../../testing/results.js';
import { StringTransportWithDisconnection } from '../../testing/string-transport.js';
import { Agent } from './agent.js';
import { ContentDecoderAgent } from './content-decoder-agent.js';
import { PotentialDataLoss, ResponseDone, ResponseFailed } from './errors.js';
import { HTTPConnectionPool } from './pool.js';

const BIG = Buffer.from('compress me, please. '.repeat(50_000));

/** A decoding agent over one in-memory connection whose server side the test plays. */
function setup() {
  const reactor = new MemoryReactorClock();
  let proto: IProtocol | null = null;
  const transport = new StringTransportWithDisconnection();
  const agent = new ContentDecoderAgent(
    Agent.usingEndpointFactory(
      reactor,
      {
        endpointForURI: () => ({
          connect(factory): Deferred<IProtocol> {
            proto = factory.buildProtocol({ type: 'memory' }) as IProtocol;
            transport.protocol = proto;
            proto.makeConnection(transport);
            return succeed(proto);
          },
        }),
      },
      new HTTPConnectionPool(reactor),
    ),
  );
  const serve = (head: string, body: Buffer = Buffer.alloc(0)): void =>
    (proto as IProtocol).dataReceived(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  return { agent, transport, serve, proto: () => proto as IProtocol };
}

/** Collects a body; `done` settles with the reason the body ended. */
class Sink extends Protocol {
  readonly chunks: Buffer[] = [];
  readonly done: Promise<Error>;
  #end: (e: Error) => void = () => {};
  constructor() {
    super();
    this.done = new Promise((resolve) => {
      this.#end = resolve;
    });
  }
  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }
  override dataReceived(data: Buffer): void {
    this.chunks.push(data);
  }
  override connectionLost(reason: Error): void {
    this.#end(reason);
  }
}

const lengthHead = (enc: string, n: number) =>
  `HTTP/1.1 200 OK\r\nContent-Encoding: ${enc}\r\nContent-Length: ${n}\r\n\r\n`;

describe('ContentDecoderAgent', () => {
  it('asks for gzip, deflate and br, and removes Content-Encoding and Content-Length', async () => {
    const { agent, transport, serve } = setup();
    const d = agent.request('GET', 'http://a.test/');
    assert.match(transport.value().toString(), /\r\nAccept-Encoding: gzip, deflate, br\r\n/);
    const data = zlib.gzipSync(BIG);
    serve(lengthHead('gzip', data.length), data);
    const r = successResultOf(d);
    assert.equal(r.length, 'UNKNOWN');
    assert.equal(r.headers.hasHeader('content-encoding'), false);
    assert.equal(r.headers.hasHeader('content-length'), false);
    const sink = new Sink();
    r.deliverBody(sink);
    assert.ok((await sink.done) instanceof ResponseDone);
    assert.deepEqual(sink.body, BIG);
  });

  for (const [name, enc, encode] of [
    ['x-gzip', 'x-gzip', zlib.gzipSync],
    ['zlib-wrapped deflate', 'deflate', zlib.deflateSync],
    ['raw deflate (as some servers send it)', 'deflate', zlib.deflateRawSync],
    ['br', 'br', zlib.brotliCompressSync],
  ] as const) {
    it(`decodes ${name}`, async () => {
      const { agent, serve } = setup();
      const d = agent.request('GET', 'http://a.test/');
      const data = encode(BIG);
      serve(lengthHead(enc, data.length), data);
      const sink = new Sink();
      successResultOf(d).deliverBody(sink);
      assert.ok((await sink.done) instanceof ResponseDone);
      assert.deepEqual(sink.body, BIG);
    });
  }

  it('passes an encoding it was not asked to decode through untouched', () => {
    const { agent, serve } = setup();
    const d = agent.request('GET', 'http://a.test/');
    serve(lengthHead('compress', 3), Buffer.from('xyz'));
    const r = successResultOf(d);
    assert.equal(r.headers.getHeader('content-encoding'), 'compress');
    assert.equal(r.length, 3);
  });

  it('flushes a close-delimited body and ends it with PotentialDataLoss', async () => {
    const { agent, serve, proto } = setup();
    const d = agent.request('GET', 'http://a.test/');
    serve('HTTP/1.0 200 OK\r\nContent-Encoding: gzip\r\n\r\n', zlib.gzipSync(BIG));
    const sink = new Sink();
    successResultOf(d).deliverBody(sink);
    proto().connectionLost(new ConnectionDone());
    assert.ok((await sink.done) instanceof PotentialDataLoss);
    assert.deepEqual(sink.body, BIG);
  });

  it('fails the body with ResponseFailed when the compressed stream is corrupt or cut short', async () => {
    for (const data of [Buffer.from('not gzip at all'), zlib.gzipSync(BIG).subarray(0, 500)]) {
      const { agent, serve } = setup();
      const d = agent.request('GET', 'http://a.test/');
      serve(lengthHead('gzip', data.length), data);
      const sink = new Sink();
      successResultOf(d).deliverBody(sink);
      const reason = await sink.done;
      assert.ok(reason instanceof ResponseFailed, String(reason));
      assert.ok(reason.reasons[0] instanceof Error);
    }
  });

  it('ends an empty encoded body (HEAD) with ResponseDone', async () => {
    const { agent, serve } = setup();
    const d = agent.request('HEAD', 'http://a.test/');
    serve(lengthHead('gzip', 1234));
    const sink = new Sink();
    successResultOf(d).deliverBody(sink);
    assert.ok((await sink.done) instanceof ResponseDone);
    assert.equal(sink.body.length, 0);
  });

  it('keeps the connection paused while the body protocol has paused, whatever the decoder does', async () => {
    const { agent, serve, transport } = setup();
    const d = agent.request('GET', 'http://a.test/');
    const data = zlib.gzipSync(BIG);
    let paused = false;
    let whilePaused = 0;
    let first: () => void = () => {};
    const gotFirst = new Promise<void>((resolve) => {
      first = resolve;
    });
    class Pausing extends Sink {
      override dataReceived(chunk: Buffer): void {
        super.dataReceived(chunk);
        if (paused) whilePaused++;
        else if (this.chunks.length === 1) {
          paused = true;
          (this.transport as unknown as IPushProducer).pauseProducing();
          first();
        }
      }
    }
    const half = data.length >> 1;
    serve(lengthHead('gzip', data.length), data.subarray(0, half));
    const sink = new Pausing();
    successResultOf(d).deliverBody(sink);
    await gotFirst;
    // Let zlib run: it must not emit more, nor resume the connection, while the protocol is paused.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(whilePaused, 0);
    assert.equal(transport.producerState, 'paused');
    paused = false;
    (sink.transport as unknown as IPushProducer).resumeProducing();
    serve('', data.subarray(half));
    assert.ok((await sink.done) instanceof ResponseDone);
    assert.deepEqual(sink.body, BIG);
  });
});
