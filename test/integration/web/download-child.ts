// Child process of download.test.ts (run with --expose-gc): a `static.File` serves a sparse 1 GiB
// file over loopback to a client that keeps pausing its reads: after every 4 MiB it stops reading
// until the server's file producer was paused (the socket buffers are full), then reads on. Prints one JSON line: the body bytes
// received, whether they matched the file (markers at known offsets, zeros elsewhere), how often
// the server's file producer was paused, the most bytes the server's transport ever held, the RSS
// growth and the most Buffer memory alive (both after a GC), and the time taken.
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IPullProducer, IPushProducer, IStreamTransport } from '../../../src/internet/interfaces.js';
import { ClientFactory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import type { StreamTransport } from '../../../src/internet/stream-transport.js';
import type { HTTPChannel } from '../../../src/web/http-channel.js';
import { Site } from '../../../src/web/site.js';
import { File } from '../../../src/web/static/file.js';

const SIZE = Number(process.argv[2] ?? 1024 ** 3);
const STRIDE = 64 * 1024 * 1024;
/** Marker k: 4 KiB of (k + 1) at k * STRIDE + 12345; the rest of the file is a hole (zeros). */
const MARK = 4096;
const markAt = (k: number): number => k * STRIDE + 12345;

const dir = mkdtempSync(join(tmpdir(), 'twisted-web-download-'));
const path = join(dir, 'big.bin');
const fd = openSync(path, 'w');
closeSync(fd);
truncateSync(path, SIZE);
const wfd = openSync(path, 'r+');
for (let k = 0; markAt(k) + MARK <= SIZE; k++) writeSync(wfd, Buffer.alloc(MARK, k + 1), 0, MARK, markAt(k));
closeSync(wfd);

const reactor = new NodeReactor({ installSignalHandlers: false });
let pauses = 0;
let maxBuffered = 0;
/** True while the server's file producer is paused, or once it is done. */
let serverPaused = false;
let serverDone = false;
/** Set while the client waits for the server to stop producing. */
let resumeClient: (() => void) | null = null;

/** A site that watches its connection's transport: bytes held, producer pauses. */
class WatchedSite extends Site {
  override buildProtocol(addr: Parameters<Site['buildProtocol']>[0]): HTTPChannel {
    const channel = super.buildProtocol(addr);
    const connectionMade = channel.connectionMade.bind(channel);
    channel.connectionMade = () => {
      const t = channel.transport as StreamTransport;
      const write = t.write.bind(t);
      const writeSequence = t.writeSequence.bind(t);
      const registerProducer = t.registerProducer.bind(t);
      const unregisterProducer = t.unregisterProducer.bind(t);
      t.unregisterProducer = () => {
        // The whole file is written: a client waiting for a pause would wait for ever.
        serverDone = true;
        serverPaused = true;
        const resume = resumeClient;
        resumeClient = null;
        if (resume !== null) setImmediate(resume);
        unregisterProducer();
      };
      t.write = (d) => {
        write(d);
        maxBuffered = Math.max(maxBuffered, t.bufferSize);
      };
      t.writeSequence = (d) => {
        writeSequence(d);
        maxBuffered = Math.max(maxBuffered, t.bufferSize);
      };
      t.registerProducer = (p: IPushProducer | IPullProducer, streaming: boolean) => {
        const pause = (p as IPushProducer).pauseProducing.bind(p);
        const resume = (p as IPushProducer).resumeProducing.bind(p);
        (p as IPushProducer).resumeProducing = () => {
          if (!serverDone) serverPaused = false;
          resume();
        };
        (p as IPushProducer).pauseProducing = () => {
          pauses++;
          serverPaused = true;
          pause();
          const resume = resumeClient;
          resumeClient = null;
          if (resume !== null) setImmediate(resume);
        };
        registerProducer(p, streaming);
      };
      connectionMade();
    };
    return channel;
  }
}

let maxArrayBuffers = 0;

/** RSS after a full GC; also records the live Buffer memory (what a reading-ahead server would hold). */
function liveRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  maxArrayBuffers = Math.max(maxArrayBuffers, m.arrayBuffers);
  return m.rss;
}

const baseline = liveRss();
let maxRss = 0;
const started = performance.now();
const zeros = Buffer.alloc(256 * 1024);

class SlowClient extends Protocol {
  /** The response head so far; null once the body started. */
  #head: Buffer | null = Buffer.alloc(0);
  #received = 0;
  #ok = true;
  #sincePause = 0;
  #pauses = 0;
  override connectionMade(): void {
    this.transport!.write('GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  }
  override dataReceived(data: Buffer): void {
    let body: Buffer = data;
    if (this.#head !== null) {
      const all = Buffer.concat([this.#head, data]);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        this.#head = all;
        return;
      }
      if (!all.toString('latin1', 0, end).startsWith('HTTP/1.1 200 ')) this.#ok = false;
      body = all.subarray(end + 4);
      this.#head = null;
    }
    this.#check(body);
    this.#sincePause += body.length;
    if (this.#sincePause >= 4 * 1024 * 1024) {
      this.#sincePause = 0;
      if (++this.#pauses % 16 === 0) maxRss = Math.max(maxRss, liveRss());
      const transport = this.transport as IStreamTransport;
      transport.pauseProducing();
      if (serverPaused) setImmediate(() => transport.resumeProducing());
      else resumeClient = () => transport.resumeProducing();
    }
  }
  /** Compares `body` (at offset #received of the file) with the markers and the zeros around them. */
  #check(body: Buffer): void {
    let pos = 0;
    while (pos < body.length && this.#ok) {
      const at = this.#received + pos;
      const k = Math.floor((at - 12345) / STRIDE);
      const inMark = k >= 0 && at >= markAt(k) && at < markAt(k) + MARK;
      const next = inMark ? markAt(k) + MARK : k + 1 >= 0 ? markAt(k + 1) : markAt(0);
      const n = Math.min(body.length - pos, next - at, zeros.length);
      const expected = inMark ? Buffer.alloc(n, k + 1) : zeros.subarray(0, n);
      if (body.compare(expected, 0, n, pos, pos + n) !== 0) this.#ok = false;
      pos += n;
    }
    this.#received += body.length;
  }
  override connectionLost(): void {
    maxRss = Math.max(maxRss, liveRss());
    console.log(
      JSON.stringify({
        received: this.#received,
        ok: this.#ok,
        pauses,
        maxBuffered,
        rssGrowthMiB: (maxRss - baseline) / 1024 / 1024,
        arrayBuffersMiB: maxArrayBuffers / 1024 / 1024,
        seconds: (performance.now() - started) / 1000,
      }),
    );
    rmSync(dir, { recursive: true, force: true });
    reactor.stop();
  }
}

reactor.callWhenRunning(() => {
  const port = reactor.listenTCP(0, new WatchedSite(new File(dir), { clock: reactor }), {
    interface: '127.0.0.1',
  });
  reactor.connectTCP(
    '127.0.0.1',
    (port.getHost() as { port: number }).port,
    ClientFactory.forProtocol(SlowClient),
  );
});
await reactor.run();
