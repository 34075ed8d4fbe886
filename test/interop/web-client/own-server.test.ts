import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { Agent, FileBodyProducer, HTTPConnectionPool, readBody } from '../../../src/web/client/index.js';
import { Resource, Site } from '../../../src/web/index.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
let port: IListeningPort;
let base = '';

class Echo extends Resource {
  override isLeaf = true;
  render_GET(): string {
    return 'hello';
  }
  render_POST(request: { content: Buffer }): Buffer {
    return Buffer.concat([Buffer.from('got '), request.content]);
  }
}

before(() => {
  port = reactor.listenTCP(0, new Site(new Echo()), { interface: '127.0.0.1' });
  base = `http://127.0.0.1:${(port.getHost() as unknown as AddressInfo).port}`;
});

after(async () => {
  await port.stopListening();
});

describe('Agent against the twisted-ts web server', () => {
  it('reuses a keep-alive connection for GETs and POSTs', async () => {
    const agent = new Agent(reactor, { pool: new HTTPConnectionPool(reactor) });
    for (let i = 0; i < 3; i++) {
      const r = await agent.request('GET', `${base}/x`);
      assert.equal(r.code, 200);
      assert.equal((await readBody(r)).toString(), 'hello');
    }
    const p = await agent.request('POST', `${base}/x`, null, new FileBodyProducer(Buffer.from('body')));
    assert.equal((await readBody(p)).toString(), 'got body');
    assert.equal(agent.pool.idleCount(), 1);
    await agent.pool.closeCachedConnections();
  });
});
