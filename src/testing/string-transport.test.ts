import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionAborted, ConnectionDone } from '../internet/error.js';
import type { IPushProducer, ITCPTransport, UNIXAddress } from '../internet/interfaces.js';
import { Protocol } from '../internet/protocol.js';
import { StringTransport, StringTransportWithDisconnection } from './string-transport.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

const producer = (): IPushProducer => ({ pauseProducing() {}, resumeProducing() {}, stopProducing() {} });

describe('StringTransport', () => {
  it('collects everything written, strings as UTF-8, in order', () => {
    const tr = new StringTransport();
    tr.write('é');
    tr.write(new Uint8Array([0x21]));
    tr.writeSequence([Buffer.from('a'), 'b']);
    assert.deepEqual(tr.value(), Buffer.from('é!ab'));
  });

  it('returns an empty Buffer before anything was written', () => {
    assert.deepEqual(new StringTransport().value(), Buffer.alloc(0));
  });

  it('forgets what was written on clear', () => {
    const tr = new StringTransport();
    tr.write('old');
    tr.clear();
    tr.write('new');
    assert.equal(tr.value().toString(), 'new');
  });

  it('lets a protocol be tested by feeding bytes and reading value()', () => {
    const tr = new StringTransport();
    const proto = new Echo();
    proto.makeConnection(tr);
    proto.dataReceived(Buffer.from('hello'));
    assert.equal(tr.value().toString(), 'hello');
  });

  it('records loseConnection as disconnecting without calling connectionLost', () => {
    const tr = new StringTransport();
    const proto = new Echo();
    proto.makeConnection(tr);
    tr.loseConnection();
    assert.equal(tr.disconnecting, true);
    assert.equal(tr.disconnected, false);
    assert.equal(proto.connected, true);
  });

  it('records abortConnection as aborted and disconnected', () => {
    const tr = new StringTransport();
    tr.abortConnection();
    assert.equal(tr.aborted, true);
    assert.equal(tr.disconnected, true);
    assert.equal(tr.disconnecting, true);
  });

  it('records loseWriteConnection as writeDisconnecting', () => {
    const tr = new StringTransport();
    tr.loseWriteConnection();
    assert.equal(tr.writeDisconnecting, true);
    assert.equal(tr.disconnecting, false);
  });

  it('records the registered producer and whether it streams', () => {
    const tr = new StringTransport();
    const p = producer();
    tr.registerProducer(p, true);
    assert.equal(tr.producer, p);
    assert.equal(tr.streaming, true);
    tr.unregisterProducer();
    assert.equal(tr.producer, null);
    assert.equal(tr.streaming, null);
  });

  it('refuses a second producer and unregistering without one', () => {
    const tr = new StringTransport();
    assert.throws(() => tr.unregisterProducer(), /none is registered/);
    tr.registerProducer(producer(), false);
    assert.throws(() => tr.registerProducer(producer(), true), /already registered/);
  });

  it('records pause, resume and stop of its own reading in producerState', () => {
    const tr = new StringTransport();
    assert.equal(tr.producerState, 'producing');
    tr.pauseProducing();
    assert.equal(tr.producerState, 'paused');
    tr.resumeProducing();
    assert.equal(tr.producerState, 'producing');
    tr.stopProducing();
    assert.equal(tr.producerState, 'stopped');
    assert.throws(() => tr.resumeProducing(), /stopped/);
    assert.throws(() => tr.pauseProducing(), /stopped/);
  });

  it('reports Twisted-like default TCP addresses', () => {
    const tr = new StringTransport();
    assert.deepEqual(tr.getHost(), { type: 'TCP', family: 'IPv4', host: '10.0.0.1', port: 12345 });
    assert.deepEqual(tr.getPeer(), { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 12345 });
  });

  it('reports the addresses it was given, of any kind', () => {
    const peer: UNIXAddress = { type: 'UNIX', name: '/tmp/s' };
    const tr = new StringTransport({ hostAddress: peer, peerAddress: peer });
    assert.equal(tr.getPeer().name, '/tmp/s');
    tr.peerAddress = { type: 'UNIX', name: null };
    assert.equal(tr.getPeer().name, null);
  });

  it('is usable as a TCP transport and records the socket options', () => {
    const tr = new StringTransport();
    const tcp: ITCPTransport = tr;
    tcp.setTcpNoDelay(true);
    tcp.setTcpKeepAlive(false);
    assert.equal(tr.tcpNoDelay, true);
    assert.equal(tr.tcpKeepAlive, false);
  });
});

describe('StringTransportWithDisconnection', () => {
  it('calls connectionLost with ConnectionDone once on loseConnection', () => {
    const reasons: Error[] = [];
    const tr = new StringTransportWithDisconnection();
    const proto = new (class extends Protocol {
      override connectionLost(reason: Error): void {
        reasons.push(reason);
      }
    })();
    tr.protocol = proto;
    proto.makeConnection(tr);
    tr.loseConnection();
    tr.loseConnection();
    assert.equal(reasons.length, 1);
    assert.ok(reasons[0] instanceof ConnectionDone);
    assert.equal(tr.connected, false);
  });

  it('calls connectionLost with ConnectionAborted on abortConnection', () => {
    const reasons: Error[] = [];
    const tr = new StringTransportWithDisconnection();
    tr.protocol = Object.assign(new Protocol(), { connectionLost: (r: Error) => reasons.push(r) });
    tr.abortConnection();
    assert.ok(reasons[0] instanceof ConnectionAborted);
  });
});
