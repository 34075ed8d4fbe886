import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancelledError, Deferred } from '../../internet/defer.js';
import type { IStreamClientEndpoint } from '../../internet/endpoints/interfaces.js';
import { ConnectionDone } from '../../internet/error.js';
import type { IProtocol } from '../../internet/interfaces.js';
import { MemoryReactorClock } from '../../testing/memory-reactor.js';
import { failureResultOf, successResultOf } from '../../testing/results.js';
import { Agent } from './agent.js';
import { type MemoryConnection, MemoryEndpoint } from './client.test-helpers.js';
import { ResponseNeverReceived } from './errors.js';
import { FileBodyProducer } from './file-body-producer.js';
import type { IResponse } from './interfaces.js';
import { HTTPConnectionPool, type HTTPConnectionPoolOptions } from './pool.js';
import { readBody } from './read-body.js';

function setup(options: HTTPConnectionPoolOptions = {}) {
  const reactor = new MemoryReactorClock();
  const pool = new HTTPConnectionPool(reactor, options);
  const endpoint = new MemoryEndpoint();
  const agent = Agent.usingEndpointFactory(reactor, { endpointForURI: () => endpoint }, pool);
  return { reactor, pool, endpoint, agent };
}

const OK = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');

/** Answers the last request on connection `i` and reads the body. */
function answer(endpoint: MemoryEndpoint, i: number, d: Deferred<IResponse>, wire = OK): Buffer {
  (endpoint.conns[i] as MemoryConnection).proto.dataReceived(wire);
  return successResultOf(readBody(successResultOf(d)));
}

describe('HTTPConnectionPool', () => {
  it('reuses an idle keep-alive connection for the next request to the same host', () => {
    const { agent, endpoint, pool } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/1'));
    assert.equal(pool.idleCount('http://a.test'), 1);
    const d = agent.request('GET', 'http://a.test/2');
    assert.equal(endpoint.conns.length, 1);
    assert.equal(answer(endpoint, 0, d).toString(), 'ok');
    assert.match(endpoint.conns[0]?.transport.value().toString() ?? '', /GET \/1 .*GET \/2 /s);
  });

  it('keeps separate connections per host and port', () => {
    const { agent, endpoint } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('GET', 'http://a.test:81/');
    assert.equal(endpoint.conns.length, 2);
    answer(endpoint, 1, d);
  });

  it('keeps at most maxPersistentPerHost idle connections and closes the rest', () => {
    const { agent, endpoint, pool } = setup({ maxPersistentPerHost: 1 });
    const d1 = agent.request('GET', 'http://a.test/');
    const d2 = agent.request('GET', 'http://a.test/');
    answer(endpoint, 0, d1);
    answer(endpoint, 1, d2);
    assert.equal(pool.idleCount(), 1);
    assert.equal(endpoint.conns[1]?.transport.disconnecting, true);
  });

  it('closes an idle connection after cachedConnectionTimeout on the clock', () => {
    const { agent, endpoint, pool, reactor } = setup({ cachedConnectionTimeout: 10 });
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    reactor.advance(9.9);
    assert.equal(endpoint.conns[0]?.transport.disconnecting, false);
    reactor.advance(0.2);
    assert.equal(endpoint.conns[0]?.transport.disconnecting, true);
    assert.equal(pool.idleCount(), 0);
  });

  it('forgets a connection the server closed while it was idle', () => {
    const { agent, endpoint, pool } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    endpoint.conns[0]?.proto.connectionLost(new ConnectionDone());
    assert.equal(pool.idleCount(), 0);
    agent.request('GET', 'http://a.test/');
    assert.equal(endpoint.conns.length, 2);
  });

  it('retries an idempotent request once on a new connection when a reused one was dead', () => {
    const { agent, endpoint } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('GET', 'http://a.test/again');
    (endpoint.conns[0] as MemoryConnection).transport.loseConnection(); // the server had closed it
    assert.equal(endpoint.conns.length, 2);
    assert.equal(answer(endpoint, 1, d).toString(), 'ok');
  });

  it('does not retry a POST on a dead reused connection', () => {
    const { agent, endpoint } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('POST', 'http://a.test/', null, new FileBodyProducer(Buffer.from('x')));
    (endpoint.conns[0] as MemoryConnection).transport.loseConnection();
    assert.equal(endpoint.conns.length, 1);
    failureResultOf(d, ResponseNeverReceived);
  });

  it('does not retry when retryAutomatically is false', () => {
    const { agent, endpoint } = setup({ retryAutomatically: false });
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('GET', 'http://a.test/');
    (endpoint.conns[0] as MemoryConnection).transport.loseConnection();
    failureResultOf(d, ResponseNeverReceived);
  });

  it('closes connections after each response when not persistent', () => {
    const { agent, endpoint, pool } = setup({ persistent: false });
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    assert.match(endpoint.conns[0]?.transport.value().toString() ?? '', /Connection: close/);
    assert.equal(pool.idleCount(), 0);
  });

  it('cancels its sweep timer once no connection is idle, so nothing keeps the process alive', () => {
    const { agent, endpoint, pool, reactor } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    assert.equal(reactor.getDelayedCalls().length, 1);
    endpoint.conns[0]?.proto.connectionLost(new ConnectionDone());
    assert.equal(pool.idleCount(), 0);
    assert.equal(reactor.getDelayedCalls().length, 0);
  });

  it('retries only once: a dead reused connection, then a fresh one that fails, fails the request', () => {
    const { agent, endpoint } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('GET', 'http://a.test/again');
    (endpoint.conns[0] as MemoryConnection).transport.loseConnection();
    assert.equal(endpoint.conns.length, 2);
    (endpoint.conns[1] as MemoryConnection).transport.loseConnection();
    assert.equal(endpoint.conns.length, 2);
    failureResultOf(d, ResponseNeverReceived);
  });

  it('retries a PUT whose body is a buffer, sending the body again', () => {
    const { agent, endpoint } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    const d = agent.request('PUT', 'http://a.test/x', null, new FileBodyProducer(Buffer.from('data')));
    (endpoint.conns[0] as MemoryConnection).transport.loseConnection();
    assert.match(endpoint.conns[1]?.transport.value().toString() ?? '', /PUT \/x .*\r\n\r\ndata$/s);
    assert.equal(answer(endpoint, 1, d).toString(), 'ok');
  });

  it('cancelling a request while connecting cancels the connection attempt', () => {
    const reactor = new MemoryReactorClock();
    let attempt: Deferred<IProtocol> | null = null;
    let cancelled = false;
    const endpoint: IStreamClientEndpoint = {
      connect() {
        attempt = new Deferred<IProtocol>(() => {
          cancelled = true;
        });
        return attempt;
      },
    };
    const agent = Agent.usingEndpointFactory(reactor, { endpointForURI: () => endpoint });
    const d = agent.request('GET', 'http://a.test/');
    assert.ok(attempt);
    d.cancel();
    assert.equal(cancelled, true);
    failureResultOf(d, CancelledError);
  });

  it('closeCachedConnections closes every idle connection', async () => {
    const { agent, endpoint, pool } = setup();
    answer(endpoint, 0, agent.request('GET', 'http://a.test/'));
    await pool.closeCachedConnections();
    assert.equal(endpoint.conns[0]?.transport.disconnecting, true);
    assert.equal(pool.idleCount(), 0);
  });
});
