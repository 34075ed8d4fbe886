import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { Agent, HTTPConnectionPool, readBody, treq } from '../../../src/web/client/index.js';
import { freePort, launch, outputMatches, requireCommand, stop, tempDir } from './daemons.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
let dir = '';
let child: ChildProcess | null = null;
let base = '';
const BIG = Buffer.alloc(300_000, 'z');

before(async () => {
  requireCommand('twist3', ['--version'], 'python3-twisted');
  dir = tempDir('web-client-twist-');
  writeFileSync(join(dir, 'hello.txt'), 'hello from twisted\n');
  writeFileSync(join(dir, 'big.bin'), BIG);
  const port = await freePort();
  child = launch('twist3', ['web', '--listen', `tcp:${port}:interface=127.0.0.1`, '--path', dir]);
  await outputMatches(child, /Site starting on/);
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  await stop(child);
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('Agent against Twisted web (twist3 web --path)', () => {
  it('fetches a static file and a large one over one keep-alive connection', async () => {
    const agent = new Agent(reactor, { pool: new HTTPConnectionPool(reactor) });
    const r = await agent.request('GET', `${base}/hello.txt`);
    assert.equal(r.code, 200);
    assert.equal((await readBody(r)).toString(), 'hello from twisted\n');
    assert.equal(agent.pool.idleCount(), 1);
    const big = await agent.request('GET', `${base}/big.bin`);
    assert.equal(big.length, BIG.length);
    assert.deepEqual(await readBody(big), BIG);
    assert.equal(agent.pool.idleCount(), 1);
    await agent.pool.closeCachedConnections();
  });

  it('gets a 404 page and a HEAD without body through treq', async () => {
    const missing = await treq.get(`${base}/nope`, { reactor });
    assert.equal(missing.code, 404);
    assert.match(await missing.text(), /No Such Resource/);
    const h = await treq.head(`${base}/hello.txt`, { reactor });
    assert.equal(h.code, 200);
    assert.equal((await h.content()).length, 0);
  });

  it('follows the redirect Twisted sends for a directory without a trailing slash', async () => {
    const r = await treq.get(base, { reactor });
    assert.equal(r.code, 200);
    assert.match(await r.text(), /hello\.txt/);
  });
});
