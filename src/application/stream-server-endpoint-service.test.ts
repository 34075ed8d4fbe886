import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CannotListenError } from '../internet/error.js';
import { Factory, Protocol } from '../internet/protocol.js';
import { capturedLogs } from '../logger/capture.js';
import { Clock } from '../testing/clock.js';
import { failureResultOf, successResultOf } from '../testing/results.js';
import { connect, FakeServerEndpoint } from './fakes.test-helpers.js';
import { StreamServerEndpointService } from './stream-server-endpoint-service.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

describe('StreamServerEndpointService', () => {
  it('listens on start and stops listening on stop', async () => {
    const endpoint = new FakeServerEndpoint();
    const factory = Factory.forProtocol(Echo);
    const svc = new StreamServerEndpointService(endpoint, factory);
    svc.startService();
    assert.equal(endpoint.factory, factory);
    endpoint.listening?.callback(endpoint.port);
    assert.equal(successResultOf(svc.whenListening()), endpoint.port);
    await svc.stopService();
    assert.equal(endpoint.port.stopped, 1);
  });

  it('logs a failure to listen and reports it from whenListening', (t) => {
    const logs = capturedLogs();
    t.after(logs.restore);
    const endpoint = new FakeServerEndpoint();
    const svc = new StreamServerEndpointService(endpoint, Factory.forProtocol(Echo));
    svc.startService();
    const waiting = svc.whenListening();
    endpoint.listening?.errback(new CannotListenError('address in use'));
    failureResultOf(waiting, CannotListenError);
    assert.match(logs.messages()[0] ?? '', /^Could not listen on FakeServerEndpoint/);
    assert.equal(logs.events[0]?.logFailure?.message, 'address in use');
  });

  it('cancels a listen still in progress on stop without logging it', async (t) => {
    const logs = capturedLogs();
    t.after(logs.restore);
    const endpoint = new FakeServerEndpoint();
    const svc = new StreamServerEndpointService(endpoint, Factory.forProtocol(Echo));
    svc.startService();
    await svc.stopService();
    assert.equal(logs.events.length, 0);
  });

  it('drains: open connections keep working after stop until they close', async (t) => {
    const logs = capturedLogs();
    t.after(logs.restore);
    const clock = new Clock();
    const endpoint = new FakeServerEndpoint();
    const svc = new StreamServerEndpointService(endpoint, Factory.forProtocol(Echo), {
      shutdownTimeout: 10,
      clock,
    });
    svc.startService();
    endpoint.listening?.callback(endpoint.port);
    const { protocol, transport } = connect(endpoint.factory!);
    assert.deepEqual(logs.messages(), ['Connection from 10.0.0.2:12345']);
    assert.equal(logs.events[0]?.logLevel, 'debug');
    let stopped = false;
    const stopping = svc.stopService().addCallback(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(endpoint.port.stopped, 1);
    protocol.dataReceived(Buffer.from('still here'));
    assert.equal(transport.value().toString(), 'still here');
    assert.equal(stopped, false);
    transport.loseConnection();
    await stopping;
    assert.equal(stopped, true);
    assert.equal(clock.getDelayedCalls().length, 0);
  });

  it('drains: aborts the connections still open after shutdownTimeout', async (t) => {
    const logs = capturedLogs();
    t.after(logs.restore);
    const clock = new Clock();
    const endpoint = new FakeServerEndpoint();
    const svc = new StreamServerEndpointService(endpoint, Factory.forProtocol(Echo), {
      shutdownTimeout: 5,
      clock,
    });
    svc.startService();
    endpoint.listening?.callback(endpoint.port);
    const { transport } = connect(endpoint.factory!);
    const stopping = svc.stopService();
    await new Promise((r) => setImmediate(r));
    clock.advance(4.9);
    assert.equal(transport.connected, true);
    clock.advance(0.1);
    assert.equal(transport.connected, false);
    await stopping;
    assert.match(logs.messages().join('\n'), /Aborting 1 connection\(s\) still open after 5s/);
  });

  it('aborts open connections at once on abortConnections', () => {
    const endpoint = new FakeServerEndpoint();
    const svc = new StreamServerEndpointService(endpoint, Factory.forProtocol(Echo), { shutdownTimeout: 5 });
    svc.startService();
    endpoint.listening?.callback(endpoint.port);
    const { transport } = connect(endpoint.factory!);
    assert.equal(svc.connectionCount, 1);
    svc.abortConnections();
    assert.equal(transport.connected, false);
    assert.equal(svc.connectionCount, 0);
  });
});
