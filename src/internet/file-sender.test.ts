import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { StringTransport } from '../testing/string-transport.js';
import type { Deferred } from './defer.js';
import { FileSender, TransferStopped } from './file-sender.js';
import { Protocol } from './protocol.js';
import { NodeReactor } from './reactor.js';
import { CollectingFactory, Recorder, RecordingClientFactory } from './tcp.test-helpers.js';

let dir = '';
let path = '';
const content = randomBytes(200_000);
content[content.length - 1] = 0x0a;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-sender-'));
  path = join(dir, 'data.bin');
  await writeFile(path, content);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Plays the transport's part: asks the registered pull producer for chunks until the transfer ends. */
async function pull<T>(tr: StringTransport, d: Deferred<T>): Promise<number> {
  let settled = false;
  let pulls = 0;
  d.addBoth((r: unknown) => {
    settled = true;
    return r;
  });
  while (!settled) {
    if (tr.producer !== null) {
      pulls++;
      tr.producer.resumeProducing();
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return pulls;
}

describe('FileSender', () => {
  it('sends a file chunk by chunk as a pull producer, then unregisters and fires with the last byte', async () => {
    const tr = new StringTransport();
    const file = await open(path);
    try {
      const sender = new FileSender();
      sender.chunkSize = 16 * 1024;
      const d = sender.beginFileTransfer(file, tr);
      assert.equal(tr.streaming, false);
      const pulls = await pull(tr, d);
      assert.equal(await d, 0x0a);
      assert.ok(pulls >= Math.ceil(content.length / sender.chunkSize), `${pulls} pulls`);
      assert.deepEqual(tr.value(), content);
      assert.equal(tr.producer, null);
      assert.equal(sender.bytesSent, content.length);
    } finally {
      await file.close();
    }
  });

  it('applies the transform to each chunk', async () => {
    const tr = new StringTransport();
    const d = new FileSender().beginFileTransfer(
      Readable.from([Buffer.from('abc'), Buffer.from('def')]),
      tr,
      (b) => b.toString('latin1').toUpperCase(),
    );
    await pull(tr, d);
    assert.equal(await d, 'F'.charCodeAt(0));
    assert.equal(tr.value().toString(), 'ABCDEF');
  });

  it('fires with undefined for an empty source', async () => {
    const tr = new StringTransport();
    const d = new FileSender().beginFileTransfer(Readable.from([]), tr);
    await pull(tr, d);
    assert.equal(await d, undefined);
    assert.equal(tr.value().length, 0);
  });

  it('fails with TransferStopped when the consumer stops it', async () => {
    const tr = new StringTransport();
    const d = new FileSender().beginFileTransfer(Readable.from([Buffer.from('x')]), tr);
    tr.producer!.stopProducing();
    await assert.rejects(d.asPromise(), TransferStopped);
  });

  it('sends a file through a real TCP connection, byte for byte', async () => {
    const reactor = new NodeReactor({ installSignalHandlers: false });
    class Serve extends Protocol {
      override connectionMade(): void {
        void (async () => {
          const file = await open(path);
          await new FileSender().beginFileTransfer(file, this.transport!);
          await file.close();
          this.transport!.loseConnection();
        })();
      }
    }
    const port = reactor.listenTCP(0, new CollectingFactory(() => new Serve()), { interface: '127.0.0.1' });
    const cf = new RecordingClientFactory(() => new Recorder());
    reactor.connectTCP('127.0.0.1', (port.getHost() as { port: number }).port, cf);
    const client = await cf.nth();
    await client.lostW.promise;
    await port.stopListening();
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(client.data), digest(content));
  });
});
