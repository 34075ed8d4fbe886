import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, Deferred } from '../../internet/defer.js';
import { ConnectionDone, ConnectionLost } from '../../internet/error.js';
import type { IConsumer, ITransport } from '../../internet/interfaces.js';
import { Protocol } from '../../internet/protocol.js';
import { Clock } from '../../testing/clock.js';
import { assertNoResult, failureResultOf, successResultOf } from '../../testing/results.js';
import { StringTransport } from '../../testing/string-transport.js';
import { Headers } from '../headers.js';
import {
  BodyTimeoutError,
  HTTPParseError,
  PotentialDataLoss,
  RequestAbortedError,
  RequestTransmissionFailed,
  ResponseDone,
  ResponseFailed,
  ResponseHeadersTimeoutError,
  ResponseNeverReceived,
} from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import {
  ClientRequest,
  HTTP11ClientProtocol,
  type HTTP11ClientProtocolOptions,
} from './http11-client-protocol.js';
import type { BodyLength, IBodyProducer } from './interfaces.js';
import { readBody } from './read-body.js';

function setup(options: Partial<HTTP11ClientProtocolOptions> = {}) {
  const clock = new Clock();
  const proto = new HTTP11ClientProtocol({ clock, ...options });
  const transport = new StringTransport();
  proto.makeConnection(transport);
  return { clock, proto, transport };
}

const get = (
  method = 'GET',
  body: IBodyProducer | null = null,
  persistent = true,
  signal: AbortSignal | null = null,
) =>
  new ClientRequest(
    method,
    '/p?q=1',
    'http://h/p?q=1',
    new Headers({ Host: ['h'] }),
    body,
    persistent,
    signal,
  );

const wire = (s: string): Buffer => Buffer.from(s, 'latin1');

class Collect extends Protocol {
  chunks: string[] = [];
  reason: Error | null = null;
  override dataReceived(data: Buffer): void {
    this.chunks.push(data.toString('latin1'));
  }
  override connectionLost(reason: Error): void {
    this.reason = reason;
  }
}

describe('HTTP11ClientProtocol', () => {
  it('writes the request head with Host and no body for GET', () => {
    const { proto, transport } = setup();
    proto.request(get());
    assert.equal(transport.value().toString('latin1'), 'GET /p?q=1 HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.equal(proto.state, 'waiting');
  });

  it('sends Content-Length: 0 for a POST without a body and Connection: close when not persistent', () => {
    const { proto, transport } = setup();
    proto.request(get('POST', null, false));
    assert.equal(
      transport.value().toString('latin1'),
      'POST /p?q=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('fires with the response when the head arrives, before the body', () => {
    const { proto } = setup();
    const d = proto.request(get());
    assertNoResult(d);
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhe'));
    const r = successResultOf(d);
    assert.equal(r.code, 200);
    assert.equal(r.phrase, 'OK');
    assert.deepEqual(r.version, ['HTTP', 1, 1]);
    assert.equal(r.length, 5);
    assert.equal(r.headers.getHeader('content-type'), 'text/plain');
    const body = readBody(r);
    assertNoResult(body);
    proto.dataReceived(wire('llo'));
    assert.equal(successResultOf(body).toString(), 'hello');
  });

  it('streams body chunks into the protocol and ends it with ResponseDone', () => {
    const { proto } = setup();
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    proto.dataReceived(wire('3\r\nabc\r\n'));
    assert.deepEqual(c.chunks, ['abc']);
    proto.dataReceived(wire('0\r\n\r\n'));
    assert.ok(c.reason instanceof ResponseDone);
  });

  it('holds body bytes that arrive before deliverBody and pauses the transport past 64 KiB', () => {
    const { proto, transport } = setup();
    const d = proto.request(get());
    const size = 100 * 1024;
    proto.dataReceived(wire(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`));
    proto.dataReceived(Buffer.alloc(70 * 1024, 0x61));
    assert.equal(transport.producerState, 'paused');
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    assert.equal(transport.producerState, 'producing');
    assert.equal(c.chunks.join('').length, 70 * 1024);
  });

  it('lets the body protocol pause and resume the connection', () => {
    const { proto, transport } = setup();
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'));
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    const t = c.transport as ITransport & { pauseProducing(): void; resumeProducing(): void };
    t.pauseProducing();
    assert.equal(transport.producerState, 'paused');
    t.resumeProducing();
    assert.equal(transport.producerState, 'producing');
  });

  it('becomes reusable after a keep-alive response and closes after Connection: close', () => {
    const { proto, transport } = setup();
    let reused = 0;
    proto.onReusable = () => reused++;
    readBody(successResultOfRequest(proto, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'));
    assert.equal(reused, 1);
    assert.equal(proto.state, 'quiescent');
    readBody(
      successResultOfRequest(proto, 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
    assert.equal(reused, 1);
    assert.equal(transport.disconnecting, true);
  });

  it('ends a close-delimited body with PotentialDataLoss when the connection closes', () => {
    const { proto } = setup();
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.0 200 OK\r\n\r\nsome'));
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    proto.connectionLost(new ConnectionDone());
    assert.deepEqual(c.chunks, ['some']);
    assert.ok(c.reason instanceof PotentialDataLoss);
  });

  it('skips 1xx interim responses', () => {
    const { proto } = setup();
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 100 Continue\r\n\r\n'));
    assertNoResult(d);
    proto.dataReceived(wire('HTTP/1.1 204 No Content\r\n\r\n'));
    assert.equal(successResultOf(d).code, 204);
  });

  it('fails with the parse reason on a malformed response and does not reuse the connection', () => {
    const { proto, transport } = setup();
    let reused = 0;
    proto.onReusable = () => reused++;
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'));
    const err = failureResultOf(d, ResponseFailed);
    assert.ok(err.reasons[0] instanceof HTTPParseError);
    assert.match(err.message, /conflicting Content-Length/);
    assert.equal(transport.aborted, true);
    assert.equal(reused, 0);
  });

  it('fails the body with ResponseFailed when the connection drops mid-body', () => {
    const { proto } = setup();
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    const body = readBody(successResultOf(d));
    proto.connectionLost(new ConnectionLost());
    const err = failureResultOf(body, ResponseFailed);
    assert.ok(err.reasons[0] instanceof ConnectionLost);
  });

  it('errbacks ResponseNeverReceived when the connection closes before any response byte', () => {
    const { proto } = setup();
    const d = proto.request(get());
    proto.connectionLost(new ConnectionDone());
    failureResultOf(d, ResponseNeverReceived);
  });

  it('closes the connection when bytes arrive while no request is in flight', () => {
    const { proto, transport } = setup();
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\n\r\n'));
    assert.equal(transport.aborted, true);
    assert.equal(proto.state, 'closed');
  });

  it('aborts with ResponseHeadersTimeoutError when the head is late (clock-driven)', () => {
    const { proto, clock, transport } = setup({ headersTimeout: 5 });
    const d = proto.request(get());
    clock.advance(4.9);
    assertNoResult(d);
    clock.advance(0.2);
    assert.equal(transport.aborted, true);
    proto.connectionLost(new ConnectionLost());
    const err = failureResultOf(d, ResponseHeadersTimeoutError);
    assert.equal(err.code, 'ERR_HTTP_HEADERS_TIMEOUT');
  });

  it('aborts with BodyTimeoutError after a silence inside the body, not while bytes flow', () => {
    const { proto, clock, transport } = setup({ bodyTimeout: 2 });
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'));
    const body = readBody(successResultOf(d));
    for (let i = 0; i < 5; i++) {
      clock.advance(1.5);
      proto.dataReceived(wire('a'));
    }
    assert.equal(transport.aborted, false);
    clock.advance(2);
    assert.equal(transport.aborted, true);
    proto.connectionLost(new ConnectionLost());
    const err = failureResultOf(body, BodyTimeoutError);
    assert.equal(err.code, 'ERR_HTTP_BODY_TIMEOUT');
  });

  it('aborts the connection when the request Deferred is cancelled', () => {
    const { proto, transport } = setup();
    const d = proto.request(get());
    d.cancel();
    assert.equal(transport.aborted, true);
    failureResultOf(d, CancelledError);
  });

  it('sends a buffer body with Content-Length', () => {
    const { proto, transport } = setup();
    proto.request(get('PUT', new FileBodyProducer(Buffer.from('hello'))));
    assert.equal(
      transport.value().toString('latin1'),
      'PUT /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello',
    );
  });

  it('sends a body of unknown length chunked and registers the producer with the transport', () => {
    const { proto, transport } = setup();
    const done = new Deferred<void>();
    let consumer: IConsumer | null = null;
    const producer: IBodyProducer = {
      length: 'UNKNOWN' as BodyLength,
      startProducing(c) {
        consumer = c;
        c.registerProducer(this, true);
        return done;
      },
      pauseProducing() {},
      resumeProducing() {},
      stopProducing() {},
    };
    proto.request(get('POST', producer));
    assert.equal(transport.producer, producer);
    transport.clear();
    (consumer as unknown as IConsumer).write(Buffer.from('abc'));
    (consumer as unknown as IConsumer).unregisterProducer();
    done.callback(undefined);
    assert.equal(transport.value().toString('latin1'), '3\r\nabc\r\n0\r\n\r\n');
    assert.equal(proto.state, 'waiting');
  });

  it('fails with RequestTransmissionFailed when the producer writes the wrong length', () => {
    const { proto, transport } = setup();
    const producer: IBodyProducer = {
      length: 5,
      startProducing(c) {
        c.write('abc');
        return succeedVoid();
      },
      pauseProducing() {},
      resumeProducing() {},
      stopProducing() {},
    };
    const d = proto.request(get('POST', producer));
    failureResultOf(d, RequestTransmissionFailed);
    assert.equal(transport.aborted, true);
  });
});

describe('HTTP11ClientProtocol: abort, limits and reuse', () => {
  it('cancels the request when its AbortSignal aborts before the head', () => {
    const { proto, transport } = setup();
    const ac = new AbortController();
    const d = proto.request(get('GET', null, true, ac.signal));
    ac.abort();
    failureResultOf(d, CancelledError);
    assert.equal(transport.aborted, true);
  });

  it('drops the connection when the AbortSignal aborts while the body streams', () => {
    const { proto, transport } = setup();
    const ac = new AbortController();
    const d = proto.request(get('GET', null, true, ac.signal));
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    ac.abort();
    assert.equal(transport.aborted, true);
    proto.connectionLost(new ConnectionLost());
    assert.deepEqual(c.chunks, ['abc']);
    assert.ok(c.reason instanceof ResponseFailed);
    assert.ok(c.reason.reasons[0] instanceof RequestAbortedError);
  });

  it('forgets the AbortSignal once the response has ended', () => {
    const { proto, transport } = setup();
    proto.onReusable = () => {};
    const ac = new AbortController();
    const d = proto.request(get('GET', null, true, ac.signal));
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    assert.equal(successResultOf(readBody(successResultOf(d))).toString(), 'ok');
    ac.abort();
    assert.equal(transport.aborted, false);
    assert.equal(proto.state, 'quiescent');
  });

  it('ends the body with ResponseFailed carrying the HTTPParseError when the chunking breaks', () => {
    const { proto, transport } = setup();
    let reused = 0;
    proto.onReusable = () => reused++;
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'));
    const body = readBody(successResultOf(d));
    proto.dataReceived(wire('zz\r\n'));
    assert.equal(transport.aborted, true);
    proto.connectionLost(new ConnectionLost());
    const err = failureResultOf(body, ResponseFailed);
    assert.ok(err.reasons[0] instanceof HTTPParseError, String(err.reasons[0]));
    assert.equal(reused, 0);
  });

  it('fails a head past maxHeaderSize with ResponseFailed and closes the connection', () => {
    const { proto, transport } = setup({ limits: { maxHeaderSize: 64 } });
    const d = proto.request(get());
    proto.dataReceived(wire(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100)}\r\n`));
    const err = failureResultOf(d, ResponseFailed);
    assert.match(err.message, /header block too large/);
    assert.equal(transport.aborted, true);
  });

  it('fails an over-long status line without buffering it all', () => {
    const { proto, transport } = setup({ limits: { maxRequestLineSize: 32 } });
    const d = proto.request(get());
    proto.dataReceived(wire(`HTTP/1.1 200 ${'x'.repeat(100)}`));
    assert.match(failureResultOf(d, ResponseFailed).message, /status line too long/);
    assert.equal(transport.aborted, true);
  });

  it('resumes a connection its body protocol left paused before handing it back for reuse', () => {
    const { proto, transport } = setup();
    let reused = 0;
    proto.onReusable = () => reused++;
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n'));
    class Pauser extends Collect {
      override dataReceived(data: Buffer): void {
        super.dataReceived(data);
        (this.transport as ITransport & { pauseProducing(): void }).pauseProducing();
      }
    }
    const c = new Pauser();
    successResultOf(d).deliverBody(c);
    proto.dataReceived(wire('body'));
    assert.ok(c.reason instanceof ResponseDone);
    assert.equal(reused, 1);
    assert.equal(transport.producerState, 'producing');
  });

  it('resumes reading when a held body over 64 KiB completes before deliverBody', () => {
    const { proto, transport } = setup();
    let reused = 0;
    proto.onReusable = () => reused++;
    const d = proto.request(get());
    const size = 100 * 1024;
    proto.dataReceived(
      Buffer.concat([wire(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`), Buffer.alloc(size, 0x62)]),
    );
    assert.equal(reused, 1);
    assert.equal(transport.producerState, 'producing');
    assert.equal(successResultOf(readBody(successResultOf(d))).length, size);
  });

  it('ignores stopProducing from a body protocol once its body has ended', () => {
    const { proto, transport } = setup();
    proto.onReusable = () => {};
    const d = proto.request(get());
    proto.dataReceived(wire('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const c = new Collect();
    successResultOf(d).deliverBody(c);
    (c.transport as ITransport & { stopProducing(): void }).stopProducing();
    assert.equal(transport.aborted, false);
    assert.equal(proto.state, 'quiescent');
  });
});

function succeedVoid(): Deferred<void> {
  const d = new Deferred<void>();
  d.callback(undefined);
  return d;
}

function successResultOfRequest(proto: HTTP11ClientProtocol, response: string) {
  const d = proto.request(get());
  proto.dataReceived(wire(response));
  return successResultOf(d);
}
