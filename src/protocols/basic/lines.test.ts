import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { ConnectionDone } from '../../internet/error.js';
import { StringTransport } from '../../testing/string-transport.js';
import { LineReceiver } from './line-receiver.js';
import { lines } from './lines.js';

function connected(): { proto: LineReceiver; tr: StringTransport } {
  const proto = new LineReceiver();
  const tr = new StringTransport();
  proto.makeConnection(tr);
  return { proto, tr };
}

describe('lines()', () => {
  it('yields received lines in order and ends when the connection is lost', async () => {
    const { proto } = connected();
    const it = lines(proto);
    proto.dataReceived(Buffer.from('a\r\nb\r\n'));
    const first = it.next();
    proto.connectionLost(new ConnectionDone());
    const got: string[] = [];
    const r = await first;
    if (!r.done) got.push(r.value.toString());
    for await (const line of it) got.push(line.toString());
    assert.deepEqual(got, ['a', 'b']);
  });

  it('wakes a waiting consumer when a line arrives later', async () => {
    const { proto } = connected();
    const it = lines(proto);
    const pending = it.next();
    proto.dataReceived(Buffer.from('late\r\n'));
    const r = await pending;
    assert.equal(r.done, false);
    assert.equal(r.value?.toString(), 'late');
  });

  it('pauses the transport when the consumer lags by more than highWaterMark lines and resumes when drained', async () => {
    const { proto, tr } = connected();
    const it = lines(proto, { highWaterMark: 3 });
    proto.dataReceived(Buffer.from('1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n'));
    assert.equal(tr.producerState, 'paused');
    assert.equal(proto.paused, true);
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push(((await it.next()).value as Buffer).toString());
    assert.equal(tr.producerState, 'producing');
    for (let i = 0; i < 2; i++) got.push(((await it.next()).value as Buffer).toString());
    assert.deepEqual(got, ['1', '2', '3', '4', '5', '6']);
  });

  it('stays producing while the consumer keeps up', async () => {
    const { proto, tr } = connected();
    const it = lines(proto, { highWaterMark: 2 });
    for (let i = 0; i < 10; i++) {
      proto.dataReceived(Buffer.from(`${i}\r\n`));
      assert.equal(((await it.next()).value as Buffer).toString(), String(i));
      assert.equal(tr.producerState, 'producing');
    }
  });

  it('gives later lines back to lineReceived after the loop breaks', async () => {
    const { proto } = connected();
    const seen: string[] = [];
    proto.lineReceived = (l) => void seen.push(l.toString());
    const it = lines(proto);
    proto.dataReceived(Buffer.from('mine\r\n'));
    for await (const line of it) {
      assert.equal(line.toString(), 'mine');
      break;
    }
    proto.dataReceived(Buffer.from('yours\r\n'));
    assert.deepEqual(seen, ['yours']);
  });
});
