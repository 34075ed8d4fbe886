import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import {
  Agent,
  BrowserLikeRedirectAgent,
  ContentDecoderAgent,
  FileBodyProducer,
  HTTPConnectionPool,
  ProxyAgent,
  readBody,
} from '../../../src/web/client/index.js';
import { type Request, Resource, Site } from '../../../src/web/index.js';
import { fileAppears, freePort, launch, requireCommand, stop, tempDir } from './daemons.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const BIG = randomBytes(2 * 1024 * 1024);
const TEXT = 'nginx compresses text like this line. '.repeat(1000);
let dir = '';
let nginx: ChildProcess | null = null;
let origin: IListeningPort;
let staticBase = '';
let proxyPort = 0;
let originBase = '';

/** The twisted-ts server behind nginx the proxy: it says what it received. */
class Echo extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    return `origin got GET ${request.uri} host=${request.getHeader('host')}`;
  }
  render_POST(request: Request): Buffer {
    return Buffer.concat([Buffer.from('origin got POST '), request.content]);
  }
}

before(async () => {
  requireCommand('nginx', ['-v'], 'nginx');
  dir = tempDir('web-client-nginx-');
  const www = join(dir, 'www');
  mkdirSync(join(www, 'dir'), { recursive: true });
  writeFileSync(join(www, 'hello.txt'), 'hello from nginx\n');
  writeFileSync(join(www, 'big.bin'), BIG);
  writeFileSync(join(www, 'text.txt'), TEXT);
  writeFileSync(join(www, 'dir', 'index.html'), '<p>index</p>');
  origin = reactor.listenTCP(0, new Site(new Echo()), { interface: '127.0.0.1' });
  originBase = `http://127.0.0.1:${(origin.getHost() as unknown as AddressInfo).port}`;
  const staticPort = await freePort();
  proxyPort = await freePort();
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} notice;
events { worker_connections 64; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  types { text/plain txt; text/html html; application/octet-stream bin; }
  gzip on;
  gzip_types text/plain;
  gzip_min_length 256;
  server {
    listen 127.0.0.1:${staticPort};
    root ${www};
  }
  server {
    listen 127.0.0.1:${proxyPort};
    location / {
      proxy_pass http://$http_host;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  nginx = launch('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
  await fileAppears(join(dir, 'nginx.pid'), nginx);
  staticBase = `http://127.0.0.1:${staticPort}`;
});

after(async () => {
  await stop(nginx);
  await origin?.stopListening();
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('Agent against nginx as a static server', () => {
  it('fetches a small file and a 2 MB one over one keep-alive connection', async () => {
    const pool = new HTTPConnectionPool(reactor);
    const agent = new Agent(reactor, { pool });
    const r = await agent.request('GET', `${staticBase}/hello.txt`);
    assert.equal(r.code, 200);
    assert.equal(r.headers.getHeader('server')?.startsWith('nginx'), true);
    assert.equal((await readBody(r)).toString(), 'hello from nginx\n');
    const big = await agent.request('GET', `${staticBase}/big.bin`);
    assert.equal(big.length, BIG.length);
    assert.ok((await readBody(big)).equals(BIG));
    assert.equal(pool.idleCount(), 1);
    await pool.closeCachedConnections();
  });

  it('answers HEAD with the length and no body, and a missing file with 404', async () => {
    const agent = new Agent(reactor);
    const h = await agent.request('HEAD', `${staticBase}/big.bin`);
    assert.equal(h.code, 200);
    assert.equal(h.headers.getHeader('content-length'), String(BIG.length));
    assert.equal((await readBody(h)).length, 0);
    const missing = await agent.request('GET', `${staticBase}/nope`);
    assert.equal(missing.code, 404);
    assert.match((await readBody(missing)).toString(), /404 Not Found/);
  });

  it('decodes the gzip nginx sends for text', async () => {
    const agent = new ContentDecoderAgent(new Agent(reactor));
    const raw = await new Agent(reactor).request('GET', `${staticBase}/text.txt`, {
      'accept-encoding': 'gzip',
    });
    assert.equal(raw.headers.getHeader('content-encoding'), 'gzip');
    await readBody(raw);
    const r = await agent.request('GET', `${staticBase}/text.txt`);
    assert.equal((await readBody(r)).toString(), TEXT);
  });

  it("follows nginx's 301 for a directory without a trailing slash", async () => {
    const r = await new BrowserLikeRedirectAgent(new Agent(reactor)).request('GET', `${staticBase}/dir`);
    assert.equal(r.code, 200);
    assert.equal(r.previousResponse?.code, 301);
    assert.equal((await readBody(r)).toString(), '<p>index</p>');
  });
});

describe('ProxyAgent through nginx as an HTTP proxy', () => {
  it('sends absolute-form requests that nginx forwards to the twisted-ts server, on a kept-alive connection', async () => {
    const pool = new HTTPConnectionPool(reactor);
    const agent = ProxyAgent.fromURL(reactor, `http://127.0.0.1:${proxyPort}`, { pool });
    const r = await agent.request('GET', `${originBase}/some/path?q=1`);
    assert.equal(r.code, 200);
    const host = originBase.slice('http://'.length);
    assert.equal((await readBody(r)).toString(), `origin got GET /some/path?q=1 host=${host}`);
    const p = await agent.request('POST', `${originBase}/up`, null, new FileBodyProducer('payload'));
    assert.equal((await readBody(p)).toString(), 'origin got POST payload');
    assert.equal(pool.idleCount(), 1);
    await pool.closeCachedConnections();
  });
});
