import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Deferred, succeed } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import type { IProtocol, IProtocolFactory } from '../../internet/interfaces.js';
import { connectedServerAndClient, type IOPump } from '../../testing/iosim.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { successResultOf } from '../../testing/results.js';
import type { Request } from '../request.js';
import { NOT_DONE_YET, Resource } from '../resource.js';
import { testSite } from '../test-support.js';
import { Agent } from './agent.js';
import { FileBodyProducer } from './file-body-producer.js';
import { HTTPConnectionPool } from './pool.js';
import { readBody } from './read-body.js';

class App extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string | typeof NOT_DONE_YET {
    if (request.path === '/stream') {
      request.write('part one, ');
      request.write('part two');
      request.finish();
      return NOT_DONE_YET;
    }
    return `GET ${request.path}`;
  }
  render_POST(request: Request): Buffer {
    return Buffer.concat([Buffer.from('posted '), request.content]);
  }
}

/** An endpoint that joins each new client protocol to a fresh channel of `site`, in memory. */
function memoryEndpoint(): { endpoint: IStreamClientEndpoint; pumps: IOPump[] } {
  const { site, clock } = testSite(new App());
  const pumps: IOPump[] = [];
  const endpoint: IStreamClientEndpoint = {
    connect(factory: IProtocolFactory): Deferred<IProtocol> {
      const pair = connectedServerAndClient(site, factory, { clock });
      pumps.push(pair.pump);
      return succeed(pair.client);
    },
  };
  return { endpoint, pumps };
}

describe('Agent.usingEndpointFactory in memory, against the twisted-ts Site', () => {
  it('carries requests over in-memory connections, reusing one for keep-alive', () => {
    const reactor = new MemoryReactorClock();
    const { endpoint, pumps } = memoryEndpoint();
    const agent = Agent.usingEndpointFactory(
      reactor,
      { endpointForURI: () => endpoint },
      new HTTPConnectionPool(reactor),
    );
    const first = agent.request('GET', 'http://app.test/hello');
    pumps[0]?.flush();
    const r = successResultOf(first);
    assert.equal(r.code, 200);
    assert.equal(successResultOf(readBody(r)).toString(), 'GET /hello');

    const post = agent.request('POST', 'http://app.test/items', null, new FileBodyProducer('payload'));
    pumps[0]?.flush();
    assert.equal(successResultOf(readBody(successResultOf(post))).toString(), 'posted payload');

    const streamed = agent.request('GET', 'http://app.test/stream');
    pumps[0]?.flush();
    const s = successResultOf(streamed);
    assert.equal(s.length, 'UNKNOWN');
    assert.equal(successResultOf(readBody(s)).toString(), 'part one, part two');
    assert.equal(pumps.length, 1, 'one connection carried the three requests');
    assert.equal(agent.pool.idleCount(), 1);
  });
});
