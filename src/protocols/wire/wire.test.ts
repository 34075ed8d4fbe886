import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import type { IAddress, IPullProducer } from '../../internet/interfaces.js';
import { AccumulatingProtocol } from '../../testing/accumulating-protocol.js';
import { connectedServerAndClient } from '../../testing/iosim.js';
import { StringTransport } from '../../testing/string-transport.js';
import { ChargenFactory, chargenLine } from './chargen.js';
import { asctime, DaytimeFactory, TimeFactory } from './daytime.js';
import { DiscardFactory } from './discard.js';
import { type Echo, EchoFactory } from './echo.js';
import { QOTDFactory } from './qotd.js';

const addr = { type: 'TCP', family: 'IPv4', host: '10.0.0.2', port: 1 } as IAddress;

function serve(factory: { buildProtocol(a: IAddress): unknown }) {
  const p = factory.buildProtocol(addr) as Echo;
  const tr = new StringTransport();
  p.makeConnection(tr);
  return { p, tr };
}

describe('wire protocols', () => {
  it('Echo writes back every chunk', () => {
    const { p, tr } = serve(new EchoFactory());
    p.dataReceived(Buffer.from('abc'));
    p.dataReceived(Buffer.from('\x00\xff'));
    assert.deepEqual(tr.value(), Buffer.from('abc\x00\xff'));
  });

  it('Echo echoes a whole exchange and closes after the client half-closes', () => {
    const { client, clientTransport, pump } = connectedServerAndClient(
      new EchoFactory(),
      new AccumulatingProtocol(),
    );
    client.transport?.write('hello ');
    client.transport?.write('world');
    clientTransport.loseWriteConnection();
    pump.flush();
    assert.equal(client.data.toString(), 'hello world');
    assert.equal(clientTransport.disconnected, true);
  });

  it('Discard writes nothing whatever it receives', () => {
    const { p, tr } = serve(new DiscardFactory());
    p.dataReceived(Buffer.from('ignored'));
    assert.equal(tr.value().length, 0);
  });

  it('Chargen registers as a pull producer and writes RFC 864 lines on each request', () => {
    const { tr } = serve(new ChargenFactory());
    assert.equal(tr.streaming, false);
    (tr.producer as IPullProducer).resumeProducing();
    const text = tr.value().toString('latin1');
    const lines = text.split('\r\n');
    assert.equal(lines[0], ` !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\`abcdefg`);
    assert.equal(lines[1]?.[0], '!');
    assert.ok(lines.slice(0, -1).every((l) => l.length === 72));
    assert.deepEqual(chargenLine(95), chargenLine(0));
  });

  it('QOTD sends the configured quote with CRLF and closes', () => {
    const { tr } = serve(new QOTDFactory({ quote: 'Carpe diem.' }));
    assert.equal(tr.value().toString(), 'Carpe diem.\r\n');
    assert.equal(tr.disconnecting, true);
  });

  it('Daytime sends the asctime form of now in UTC and closes', () => {
    const { tr } = serve(new DaytimeFactory({ now: () => Date.UTC(2024, 1, 9, 7, 5, 3) }));
    assert.equal(tr.value().toString(), 'Fri Feb  9 07:05:03 2024\r\n');
    assert.equal(tr.disconnecting, true);
    assert.equal(asctime(new Date(0)), 'Thu Jan  1 00:00:00 1970');
  });

  it('Time sends seconds since 1900 as 32 bits big-endian and closes', () => {
    const epoch = serve(new TimeFactory({ now: () => 0 }));
    assert.deepEqual([...epoch.tr.value()], [0x83, 0xaa, 0x7e, 0x80]);
    const later = serve(new TimeFactory({ now: () => 1_700_000_000_999 }));
    assert.equal(later.tr.value().readUInt32BE(0), 1_700_000_000 + 2_208_988_800);
    assert.equal(later.tr.disconnecting, true);
  });
});
