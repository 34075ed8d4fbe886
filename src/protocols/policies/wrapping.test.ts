import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ConnectionDone } from '../../internet/error.js';
import type { IAddress, IPushProducer } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { StringTransport } from '../../testing/string-transport.js';
import { type ProtocolWrapper, WrappingFactory } from './wrapping.js';

const addr: IAddress = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1234 } as IAddress;

class Recorder extends Protocol {
  readonly events: string[] = [];
  override connectionMade(): void {
    this.events.push('made');
  }
  override dataReceived(data: Buffer): void {
    this.events.push(`data:${data}`);
  }
  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.events.push(`lost:${reason.name}`);
  }
}

class HalfCloser extends Recorder {
  readConnectionLost(): void {
    this.events.push('readLost');
  }
  writeConnectionLost(): void {
    this.events.push('writeLost');
  }
}

function wrapped<P extends Protocol>(
  P: new () => P,
): { factory: WrappingFactory; wrapper: ProtocolWrapper; inner: P; tr: StringTransport } {
  const factory = new WrappingFactory(Factory.forProtocol(P));
  const wrapper = factory.buildProtocol(addr) as ProtocolWrapper;
  const tr = new StringTransport();
  wrapper.makeConnection(tr);
  return { factory, wrapper, inner: wrapper.wrappedProtocol as P, tr };
}

describe('WrappingFactory and ProtocolWrapper', () => {
  it('connects the wrapped protocol with the wrapper as its transport and passes data both ways', () => {
    const { wrapper, inner, tr, factory } = wrapped(Recorder);
    assert.equal(inner.transport, wrapper);
    assert.equal(wrapper.factory, factory);
    wrapper.dataReceived(Buffer.from('in'));
    inner.transport?.write('out');
    inner.transport?.writeSequence(['a', 'b']);
    assert.deepEqual(inner.events, ['made', 'data:in']);
    assert.equal(tr.value().toString(), 'outab');
    assert.deepEqual(inner.transport?.getPeer(), tr.getPeer());
    assert.deepEqual(inner.transport?.getHost(), tr.getHost());
  });

  it('tracks live wrappers and forgets them on connectionLost, telling the wrapped protocol', () => {
    const { wrapper, inner, factory } = wrapped(Recorder);
    assert.equal(factory.protocols.size, 1);
    wrapper.connectionLost(new ConnectionDone());
    assert.equal(factory.protocols.size, 0);
    assert.deepEqual(inner.events, ['made', 'lost:ConnectionDone']);
  });

  it('passes closes, aborts and disconnecting through', () => {
    const { inner, tr } = wrapped(Recorder);
    const t = inner.transport as ProtocolWrapper;
    assert.equal(t.disconnecting, false);
    t.loseConnection();
    assert.equal(tr.disconnecting, true);
    assert.equal(t.disconnecting, true);
    t.abortConnection();
    assert.equal(tr.aborted, true);
  });

  it('passes producer registration and pause/resume/stop through to the real transport', () => {
    const { inner, tr } = wrapped(Recorder);
    const t = inner.transport as ProtocolWrapper;
    const producer: IPushProducer = { pauseProducing() {}, resumeProducing() {}, stopProducing() {} };
    t.registerProducer(producer, true);
    assert.equal(tr.producer, producer);
    assert.equal(t.producer, producer);
    t.unregisterProducer();
    assert.equal(tr.producer, null);
    t.pauseProducing();
    assert.equal(tr.producerState, 'paused');
    t.resumeProducing();
    assert.equal(tr.producerState, 'producing');
    t.stopProducing();
    assert.equal(tr.producerState, 'stopped');
  });

  it('passes half-close both ways to a half-closeable protocol', () => {
    const { wrapper, inner, tr } = wrapped(HalfCloser);
    wrapper.readConnectionLost();
    wrapper.writeConnectionLost();
    (inner.transport as ProtocolWrapper).loseWriteConnection();
    assert.deepEqual(inner.events, ['made', 'readLost', 'writeLost']);
    assert.equal(tr.writeDisconnecting, true);
  });

  it('closes the connection on EOF when the wrapped protocol cannot half-close', () => {
    const { wrapper, tr } = wrapped(Recorder);
    wrapper.readConnectionLost();
    assert.equal(tr.disconnecting, true);
  });

  it('returns null when the wrapped factory refuses', () => {
    const refusing = new Factory();
    refusing.buildProtocol = () => null;
    assert.equal(new WrappingFactory(refusing).buildProtocol(addr), null);
  });

  it('starts and stops the wrapped factory with itself', () => {
    const inner = Factory.forProtocol(Recorder);
    const f = new WrappingFactory(inner);
    f.doStart();
    assert.equal(inner.numPorts, 1);
    f.doStop();
    assert.equal(inner.numPorts, 0);
  });
});
