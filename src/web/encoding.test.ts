import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { IPushProducer } from '../internet/interfaces.js';
import { Data } from './data.js';
import {
  acceptsEncoding,
  EncodingResourceWrapper,
  GzipEncoderFactory,
  type IResponseEncoder,
} from './encoding.js';
import type { Request } from './request.js';
import { type IResource, NOT_DONE_YET, Resource } from './resource.js';
import { connect, type ParsedResponse, testSite } from './test-support.js';

function fetch(resource: IResource, headers: string): Promise<ParsedResponse> {
  return new Promise((resolve) => {
    const { site } = testSite(resource, {
      accessLog: () => queueMicrotask(() => resolve(conn.responses()[0]!)),
    });
    const conn = connect(site);
    conn.send(`GET / HTTP/1.1\r\nHost: h\r\n${headers}\r\n`);
  });
}

const text = 'twisted '.repeat(2000);

describe('EncodingResourceWrapper with GzipEncoderFactory', () => {
  it('gzips a compressible response for a client that accepts gzip', async () => {
    const wrapped = new EncodingResourceWrapper(new Data(text, 'text/plain'), [new GzipEncoderFactory()]);
    const r = await fetch(wrapped, 'Accept-Encoding: br, gzip\r\n');
    assert.deepEqual(r.headers.get('content-encoding'), ['gzip']);
    assert.deepEqual(r.headers.get('vary'), ['Accept-Encoding']);
    assert.equal(r.headers.get('content-length'), undefined);
    assert.ok(r.body.length < text.length / 10);
    assert.equal(gunzipSync(r.body).toString(), text);
  });

  it('leaves the response alone without Accept-Encoding: gzip or for an incompressible type', async () => {
    const plain = await fetch(
      new EncodingResourceWrapper(new Data(text, 'text/plain'), [new GzipEncoderFactory()]),
      '',
    );
    assert.equal(plain.headers.get('content-encoding'), undefined);
    assert.equal(plain.body.toString(), text);
    const png = await fetch(
      new EncodingResourceWrapper(new Data(Buffer.alloc(100), 'image/png'), [new GzipEncoderFactory()]),
      'Accept-Encoding: gzip\r\n',
    );
    assert.equal(png.headers.get('content-encoding'), undefined);
    assert.equal(png.body.length, 100);
  });

  it('pauses a streaming producer while the compressor is behind, so compression never buffers the body', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'compressible text ');
    const total = 16 * 1024 * 1024;
    let pauses = 0;
    let runLongest = 0;
    class Stream extends Resource {
      override isLeaf = true;
      render_GET(request: Request): typeof NOT_DONE_YET {
        request.setHeader('Content-Type', 'text/plain');
        let sent = 0;
        let running = true;
        const run = () => {
          let run = 0;
          while (running && sent < total) {
            request.write(chunk);
            sent += chunk.length;
            run += chunk.length;
          }
          runLongest = Math.max(runLongest, run);
          if (sent >= total) {
            request.unregisterProducer();
            request.finish();
          }
        };
        const producer: IPushProducer = {
          pauseProducing: () => {
            running = false;
            pauses++;
          },
          resumeProducing: () => {
            running = true;
            run();
          },
          stopProducing: () => {
            running = false;
          },
        };
        request.registerProducer(producer, true);
        run();
        return NOT_DONE_YET;
      }
    }
    const r = await fetch(
      new EncodingResourceWrapper(new Stream(), [new GzipEncoderFactory({ compressLevel: 1 })]),
      'Accept-Encoding: gzip\r\n',
    );
    const plain = gunzipSync(r.body);
    assert.equal(plain.length, total);
    assert.ok(plain.subarray(total - chunk.length).equals(chunk));
    assert.ok(pauses > 10, `paused ${pauses} times`);
    assert.ok(runLongest <= 2 * chunk.length, `wrote ${runLongest} bytes in a row`);
  });

  it('asks a full encoder for one drain callback, however many writes come while the producer is held', () => {
    const drains: (() => void)[] = [];
    const encoder: IResponseEncoder = {
      name: 'x-test',
      encode: (data, out) => {
        out(Buffer.from(data));
        return false; // always full
      },
      onDrain: (callback) => drains.push(callback),
      finish: (_out, done) => done(),
    };
    const producer = { pauses: 0, resumes: 0 };
    class Burst extends Resource {
      override isLeaf = true;
      render_GET(request: Request): typeof NOT_DONE_YET {
        request.registerProducer(
          {
            pauseProducing: () => producer.pauses++,
            resumeProducing: () => producer.resumes++,
            stopProducing: () => {},
          },
          true,
        );
        for (let i = 0; i < 20; i++) request.write('a backend sends more than one chunk per read');
        return NOT_DONE_YET;
      }
    }
    const conn = connect(
      testSite(new EncodingResourceWrapper(new Burst(), [{ encoderForRequest: () => encoder }])).site,
    );
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.equal(drains.length, 1);
    assert.equal(producer.pauses, 1);
    drains[0]!();
    assert.equal(producer.resumes, 1);
  });

  it('reads Accept-Encoding q-values', () => {
    assert.ok(acceptsEncoding('gzip;q=0.5', 'gzip'));
    assert.ok(!acceptsEncoding('gzip;q=0, *', 'gzip'));
    assert.ok(acceptsEncoding('*', 'gzip'));
    assert.ok(!acceptsEncoding('br', 'gzip'));
  });
});
