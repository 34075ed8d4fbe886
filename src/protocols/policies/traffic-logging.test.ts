import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ConnectionDone } from '../../internet/error.js';
import type { IAddress } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { StringTransport } from '../../testing/string-transport.js';
import { TrafficLoggingFactory } from './traffic-logging.js';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport?.write(data);
  }
}

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1 } as IAddress;

describe('TrafficLoggingFactory', () => {
  it('logs the connection, both directions of traffic and the close, numbered per connection', () => {
    const lines: string[] = [];
    const f = new TrafficLoggingFactory(Factory.forProtocol(Echo), {
      log: (l) => lines.push(l),
      logPrefix: 'echo ',
    });
    const p = f.buildProtocol(addr);
    const tr = new StringTransport();
    p?.makeConnection(tr);
    p?.dataReceived(Buffer.from('hi\r\n\x00'));
    p?.connectionLost(new ConnectionDone());
    assert.deepEqual(lines, [
      'echo 1 connectionMade TCP:10.0.0.2:12345',
      'echo 1 C "hi\\r\\n\\u0000"',
      'echo 1 S "hi\\r\\n\\u0000"',
      'echo 1 connectionLost ConnectionDone',
    ]);
    assert.equal(tr.value().toString(), 'hi\r\n\x00');
  });

  it('writes newline-terminated lines to a stream-like sink', () => {
    const chunks: string[] = [];
    const f = new TrafficLoggingFactory(Factory.forProtocol(Echo), {
      log: { write: (c: string) => chunks.push(c) },
    });
    f.buildProtocol(addr)?.makeConnection(new StringTransport());
    f.buildProtocol(addr)?.makeConnection(new StringTransport());
    assert.deepEqual(chunks, [
      '1 connectionMade TCP:10.0.0.2:12345\n',
      '2 connectionMade TCP:10.0.0.2:12345\n',
    ]);
  });
});
