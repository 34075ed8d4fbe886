import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { ConnectionDone } from '../../internet/error.js';
import type { IPushProducer } from '../../internet/interfaces.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { successResultOf } from '../../testing/results.js';
import { Agent } from './agent.js';
import { BodySink, type MemoryConnection, MemoryEndpoint } from './client.test-helpers.js';
import { ContentDecoderAgent } from './content-decoder-agent.js';
import { PotentialDataLoss, ResponseDone, ResponseFailed } from './errors.js';
import { HTTPConnectionPool } from './pool.js';

const BIG = Buffer.from('compress me, please. '.repeat(50_000));

/** A decoding agent over one in-memory connection whose server side the test plays. */
function setup() {
  const reactor = new MemoryReactorClock();
  const endpoint = new MemoryEndpoint();
  const agent = new ContentDecoderAgent(
    Agent.usingEndpointFactory(reactor, { endpointForURI: () => endpoint }, new HTTPConnectionPool(reactor)),
  );
  const conn = (): MemoryConnection => endpoint.conns[0] as MemoryConnection;
  const serve = (head: string, body: Buffer = Buffer.alloc(0)): void =>
    conn().proto.dataReceived(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  return { agent, transport: () => conn().transport, serve, proto: () => conn().proto };
}

const lengthHead = (enc: string, n: number) =>
  `HTTP/1.1 200 OK\r\nContent-Encoding: ${enc}\r\nContent-Length: ${n}\r\n\r\n`;

describe('ContentDecoderAgent', () => {
  it('asks for gzip, deflate and br, and removes Content-Encoding and Content-Length', async () => {
    const { agent, transport, serve } = setup();
    const d = agent.request('GET', 'http://a.test/');
    assert.match(transport().value().toString(), /\r\nAccept-Encoding: gzip, deflate, br\r\n/);
    const data = zlib.gzipSync(BIG);
    serve(lengthHead('gzip', data.length), data);
    const r = successResultOf(d);
    assert.equal(r.length, 'UNKNOWN');
    assert.equal(r.headers.hasHeader('content-encoding'), false);
    assert.equal(r.headers.hasHeader('content-length'), false);
    const sink = new BodySink();
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
      const sink = new BodySink();
      successResultOf(d).deliverBody(sink);
      assert.ok((await sink.done) instanceof ResponseDone);
      assert.deepEqual(sink.body, BIG);
    });
  }

  it('tells zlib-wrapped from raw deflate even when the body starts with a one-byte chunk', async () => {
    for (const encode of [zlib.deflateSync, zlib.deflateRawSync]) {
      const { agent, serve, proto } = setup();
      const d = agent.request('GET', 'http://a.test/');
      const data = encode(BIG);
      serve(lengthHead('deflate', data.length));
      const sink = new BodySink();
      successResultOf(d).deliverBody(sink);
      proto().dataReceived(data.subarray(0, 1));
      proto().dataReceived(data.subarray(1));
      assert.ok((await sink.done) instanceof ResponseDone);
      assert.deepEqual(sink.body, BIG);
    }
  });

  it('fails a deflate body cut short after its first byte', async () => {
    const { agent, serve, proto } = setup();
    const d = agent.request('GET', 'http://a.test/');
    serve('HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nConnection: close\r\n\r\n');
    const sink = new BodySink();
    successResultOf(d).deliverBody(sink);
    proto().dataReceived(zlib.deflateSync(BIG).subarray(0, 1));
    proto().connectionLost(new ConnectionDone());
    assert.ok((await sink.done) instanceof ResponseFailed);
  });

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
    const sink = new BodySink();
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
      const sink = new BodySink();
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
    const sink = new BodySink();
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
    class Pausing extends BodySink {
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
    assert.equal(transport().producerState, 'paused');
    paused = false;
    (sink.transport as unknown as IPushProducer).resumeProducing();
    serve('', data.subarray(half));
    assert.ok((await sink.done) instanceof ResponseDone);
    assert.deepEqual(sink.body, BIG);
  });
});
