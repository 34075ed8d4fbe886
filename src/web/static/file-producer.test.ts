import assert from 'node:assert/strict';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { IPushProducer } from '../../internet/interfaces.js';
import { StringTransport } from '../../testing/string-transport.js';
import type { Request } from '../request.js';
import { NOT_DONE_YET, Resource } from '../resource.js';
import { parseResponses, testSite } from '../test-support.js';
import { FileProducer } from './file-producer.js';

const dir = mkdtempSync(join(tmpdir(), 'twisted-web-producer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Pauses the producer after every write, like a socket whose buffer is always full. */
class TightTransport extends StringTransport {
  unacked = 0;
  maxUnacked = 0;
  override write(data: Uint8Array | string): void {
    super.write(data);
    this.unacked += typeof data === 'string' ? data.length : data.byteLength;
    this.maxUnacked = Math.max(this.maxUnacked, this.unacked);
    if (this.producer !== null) (this.producer as IPushProducer).pauseProducing();
  }
  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const d of data) this.write(d);
  }
}

/**
 * Says whether written bytes are still queued (`bufferSize`), like a socket: bytes the "kernel" took
 * are copied at once; queued ones are kept by reference, so a producer that overwrote a buffer still
 * queued would corrupt the recorded body.
 */
class KernelTransport extends StringTransport {
  readonly buffers = new Set<ArrayBufferLike>();
  constructor(readonly queued: boolean) {
    super();
  }
  get bufferSize(): number {
    return this.queued ? 1 : 0;
  }
  override write(data: Uint8Array | string): void {
    if (typeof data !== 'string' && data.byteLength >= 1024) this.buffers.add(data.buffer);
    super.write(this.queued || typeof data === 'string' ? data : Buffer.from(data));
  }
  override writeSequence(data: readonly (Uint8Array | string)[]): void {
    for (const d of data) this.write(d);
  }
}

/** Serves `content` from a file through a FileProducer on `transport`; resolves with the body. */
async function download(content: Buffer, transport: StringTransport): Promise<Buffer> {
  const path = join(dir, 'g.bin');
  writeFileSync(path, content);
  let finished: Promise<void> | undefined;
  class Serve extends Resource {
    override isLeaf = true;
    render_GET(r: Request): typeof NOT_DONE_YET {
      finished = r.notifyFinish().asPromise();
      r.setHeader('Content-Length', content.length);
      new FileProducer(r, openSync(path, 'r'), [{ start: 0, end: content.length }]).start();
      return NOT_DONE_YET;
    }
  }
  const channel = testSite(new Serve()).site.buildProtocol(transport.getPeer());
  channel.makeConnection(transport);
  channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n'));
  await finished;
  return parseResponses(transport.value())[0]!.body;
}

describe('FileProducer', () => {
  it('reads into one buffer while the transport takes every chunk at once, into fresh ones while bytes stay queued', async () => {
    const content = Buffer.alloc(640 * 1024 + 5);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 16)) % 256;
    const taken = new KernelTransport(false);
    assert.ok((await download(content, taken)).equals(content));
    assert.equal(taken.buffers.size, 1, 'one buffer for the whole download');
    const queued = new KernelTransport(true);
    assert.ok((await download(content, queued)).equals(content), 'no queued chunk was overwritten');
    assert.equal(queued.buffers.size, 10, 'a fresh buffer per 64 KiB chunk');
  });

  it('streams a file through a client that pauses after every chunk, holding at most one chunk ahead', async () => {
    const content = Buffer.alloc(1024 * 1024 + 17);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 256;
    const path = join(dir, 'f.bin');
    writeFileSync(path, content);
    let request: Request | undefined;
    class Serve extends Resource {
      override isLeaf = true;
      render_GET(r: Request): typeof NOT_DONE_YET {
        request = r;
        r.setHeader('Content-Length', content.length);
        new FileProducer(r, openSync(path, 'r'), [{ start: 0, end: content.length }]).start();
        return NOT_DONE_YET;
      }
    }
    const { site } = testSite(new Serve());
    const transport = new TightTransport();
    const channel = site.buildProtocol(transport.getPeer());
    channel.makeConnection(transport);
    channel.dataReceived(Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n'));
    while (request?.finished !== true) {
      await new Promise((r) => setImmediate(r));
      transport.unacked = 0;
      (transport.producer as IPushProducer | null)?.resumeProducing();
    }
    const [r] = parseResponses(transport.value());
    assert.ok(r?.body.equals(content));
    assert.ok(transport.maxUnacked <= 2 * 64 * 1024 + 512, `unacked ${transport.maxUnacked}`);
    assert.equal(transport.producer, null, 'unregistered at the end');
  });
});
