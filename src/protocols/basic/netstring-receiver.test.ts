import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { StringTransport } from '../../testing/string-transport.js';
import type { NetstringParseErrorEvent } from './codec/netstring-codec.js';
import { NetstringReceiver } from './netstring-receiver.js';

class Recorder extends NetstringReceiver {
  readonly strings: string[] = [];
  readonly errors: string[] = [];
  override stringReceived(data: Buffer): void {
    this.strings.push(data.toString());
  }
  override parseError(ev: NetstringParseErrorEvent): void {
    this.errors.push(ev.reason);
  }
}

describe('NetstringReceiver', () => {
  it('receives netstrings and sends them in the same format (round trip)', () => {
    const a = new Recorder();
    const trA = new StringTransport();
    a.makeConnection(trA);
    a.sendString('hello');
    a.sendString('');
    const b = new Recorder();
    b.makeConnection(new StringTransport());
    b.dataReceived(trA.value());
    assert.equal(trA.value().toString(), '5:hello,0:,');
    assert.deepEqual(b.strings, ['hello', '']);
  });

  it('marks the peer broken and loses the connection on a parse error, delivering nothing after', () => {
    const p = new Recorder();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('1:a,2:abX1:b,'));
    assert.deepEqual(p.strings, ['a']);
    assert.deepEqual(p.errors, ['missingComma']);
    assert.equal(p.brokenPeer, true);
    assert.equal(tr.disconnecting, true);
  });

  it('refuses a netstring longer than a maxLength set as a class field', () => {
    class Small extends Recorder {
      override maxLength = 3;
    }
    const p = new Small();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('3:abc,4:'));
    assert.deepEqual(p.strings, ['abc']);
    assert.deepEqual(p.errors, ['tooLong']);
    assert.equal(tr.disconnecting, true);
  });
});
