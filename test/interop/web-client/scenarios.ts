/**
 * The client scenarios every full HTTP server peer is put through (node:http, fastify, the
 * twisted-ts Site): keep-alive reuse, a chunked response streamed into a protocol, redirects,
 * cookies across a redirect, gzip decoding, chunked and sized uploads, the treq one-liner.
 *
 * A peer serves these routes:
 * - `GET /hello` → 200 `hello` with Content-Length;
 * - `GET /chunked` → 200, chunked, `CHUNKED_BODY` written in several pieces;
 * - `GET /redirect` → 302 to `/hello`;
 * - `GET /login` → 302 to `/whoami` with `Set-Cookie: sid=abc123; Path=/`;
 * - `GET /whoami` → 200 `sid=<the sid cookie, or ->`;
 * - `GET /gzip` → 200 `TEXT`, gzip-encoded when the request accepts it;
 * - `POST /echo` → 200 with the request body.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { BodySink } from '../../../src/web/client/client.test-helpers.js';
import {
  Agent,
  BrowserLikeRedirectAgent,
  ContentDecoderAgent,
  CookieAgent,
  CookieJar,
  FileBodyProducer,
  HTTPConnectionPool,
  ResponseDone,
  readBody,
  treq,
} from '../../../src/web/client/index.js';

/** A running server peer. */
export interface Peer {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** How many TCP connections the server has accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

/** The body of `/gzip`: long and repetitive, so every server compresses it. */
export const TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(2000);
/** The pieces `/chunked` writes. */
export const CHUNKS = ['first piece, ', 'second piece, ', 'last piece'];

/**
 * Runs the scenarios against the peer `start()` launches.
 *
 * @example
 * ```ts
 * describeClientAgainst('node:http', startNodeHttp);
 * ```
 */
export function describeClientAgainst(name: string, start: () => Promise<Peer>): void {
  describe(`HTTP client against ${name}`, () => {
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const pool = new HTTPConnectionPool(reactor);
    const agent = new Agent(reactor, { pool });
    let peer: Peer;

    before(async () => {
      peer = await start();
    });
    after(async () => {
      await pool.closeCachedConnections();
      await peer.stop();
    });

    it('reuses one keep-alive connection for sequential requests', async () => {
      const own = new HTTPConnectionPool(reactor);
      const a = new Agent(reactor, { pool: own });
      const before = peer.connections();
      for (let i = 0; i < 3; i++) {
        const r = await a.request('GET', `${peer.base}/hello`);
        assert.equal(r.code, 200);
        assert.equal(r.length, 5);
        assert.equal((await readBody(r)).toString(), 'hello');
        assert.equal(own.idleCount(), 1);
      }
      assert.equal(peer.connections() - before, 1);
      await own.closeCachedConnections();
    });

    it('streams a chunked response into a body protocol, ending with ResponseDone', async () => {
      const r = await agent.request('GET', `${peer.base}/chunked`);
      assert.equal(r.length, 'UNKNOWN');
      assert.equal(r.headers.getHeader('transfer-encoding')?.toLowerCase(), 'chunked');
      const g = new BodySink();
      r.deliverBody(g);
      assert.ok((await g.done) instanceof ResponseDone);
      assert.equal(g.body.toString(), CHUNKS.join(''));
    });

    it('follows a redirect, keeping the redirect in previousResponse', async () => {
      const r = await new BrowserLikeRedirectAgent(agent).request('GET', `${peer.base}/redirect`);
      assert.equal(r.code, 200);
      assert.equal(r.request.absoluteURI, `${peer.base}/hello`);
      assert.equal(r.previousResponse?.code, 302);
      assert.equal((await readBody(r)).toString(), 'hello');
    });

    it('stores a cookie set by a redirect and sends it to the next hop and later requests', async () => {
      const jar = new CookieJar();
      const web = new BrowserLikeRedirectAgent(new CookieAgent(agent, jar));
      const r = await web.request('GET', `${peer.base}/login`);
      assert.equal((await readBody(r)).toString(), 'sid=abc123');
      assert.deepEqual(
        jar.all().map((c) => [c.name, c.value, c.path]),
        [['sid', 'abc123', '/']],
      );
      const again = await web.request('GET', `${peer.base}/whoami`);
      assert.equal((await readBody(again)).toString(), 'sid=abc123');
    });

    it('decodes a gzip response, which the server did compress', async () => {
      const raw = await agent.request('GET', `${peer.base}/gzip`, { 'accept-encoding': 'gzip' });
      assert.equal(raw.headers.getHeader('content-encoding'), 'gzip');
      const compressed = await readBody(raw);
      assert.ok(compressed.length < TEXT.length / 10, `${compressed.length} bytes`);
      const r = await new ContentDecoderAgent(agent).request('GET', `${peer.base}/gzip`);
      assert.equal((await readBody(r)).toString(), TEXT);
    });

    it('uploads a body of known length and a chunked stream', async () => {
      const sized = await agent.request(
        'POST',
        `${peer.base}/echo`,
        { 'content-type': 'application/octet-stream' },
        new FileBodyProducer(Buffer.from('sized body')),
      );
      assert.equal((await readBody(sized)).toString(), 'sized body');
      const parts = Array.from({ length: 50 }, (_, i) => Buffer.from(`part ${i};`));
      const streamed = await agent.request(
        'POST',
        `${peer.base}/echo`,
        { 'content-type': 'application/octet-stream' },
        new FileBodyProducer(Readable.from(parts)),
      );
      assert.equal((await readBody(streamed)).toString(), Buffer.concat(parts).toString());
    });

    it('fits the common case in one line with treq', async () => {
      const r = await treq.get(`${peer.base}/hello`, { agent });
      assert.equal(await r.text(), 'hello');
    });
  });
}
