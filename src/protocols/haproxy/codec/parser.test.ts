import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatIPv6, isIPv6Text } from './addresses.js';
import { ProxyHeaderParser } from './parser.js';
import type { ProxyHeaderEvent, ProxyInfo } from './types.js';
import { V2_SIGNATURE } from './v2.js';

/** Feeds `chunks` and returns every event. */
function feed(chunks: Buffer[]): ProxyHeaderEvent[] {
  const parser = new ProxyHeaderParser();
  const events: ProxyHeaderEvent[] = [];
  for (const c of chunks) {
    if (parser.state === 'done') break;
    events.push(...parser.receive(c));
  }
  return events;
}

const whole = (b: Buffer) => [b];
const byteByByte = (b: Buffer) => [...b].map((x) => Buffer.from([x]));

/** Checks a valid header, fed whole and byte by byte, and with trailing data. */
function assertHeader(header: Buffer, expected: ProxyInfo): void {
  for (const split of [whole, byteByByte]) {
    const events = feed(split(header));
    assert.equal(events.length, 1, `${split.name}: one event`);
    const ev = events[0]!;
    assert.equal(ev.type, 'headerReceived', ev.type === 'headerInvalid' ? ev.reason : '');
    if (ev.type !== 'headerReceived') return;
    assert.deepEqual(ev.info, expected);
    assert.equal(ev.rest.length, 0);
  }
  const trailing = Buffer.from('GET / HTTP/1.1\r\n\r\n');
  const [ev] = feed([Buffer.concat([header, trailing])]);
  assert.ok(ev?.type === 'headerReceived');
  assert.deepEqual(ev.rest, trailing);
}

function assertInvalid(header: Buffer, reason: RegExp): void {
  for (const split of [whole, byteByByte]) {
    const events = feed(split(header));
    const ev = events[0];
    assert.ok(
      ev?.type === 'headerInvalid',
      `${split.name}: expected headerInvalid, got ${JSON.stringify(events)}`,
    );
    assert.match(ev.reason, reason);
  }
}

const tcp4 = (host: string, port: number) => ({ type: 'TCP', family: 'IPv4', host, port }) as const;
const tcp6 = (host: string, port: number) => ({ type: 'TCP', family: 'IPv6', host, port }) as const;

function v2(verCmd: number, famProto: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = verCmd;
  head[1] = famProto;
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([V2_SIGNATURE, head, body]);
}

function ipv4Block(src: number[], dst: number[], sport: number, dport: number): Buffer {
  const b = Buffer.alloc(12);
  Buffer.from(src).copy(b, 0);
  Buffer.from(dst).copy(b, 4);
  b.writeUInt16BE(sport, 8);
  b.writeUInt16BE(dport, 10);
  return b;
}

describe('PROXY protocol v1 header', () => {
  it('decodes a TCP4 header of the longest TCP4 form', () => {
    assertHeader(Buffer.from('PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n'), {
      version: 1,
      command: 'PROXY',
      source: tcp4('255.255.255.255', 65535),
      destination: tcp4('255.255.255.255', 65535),
    });
  });

  it('decodes the example TCP4 header of the spec', () => {
    assertHeader(Buffer.from('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n'), {
      version: 1,
      command: 'PROXY',
      source: tcp4('192.168.0.1', 56324),
      destination: tcp4('192.168.0.11', 443),
    });
  });

  it('decodes a TCP6 header of the longest form (104 bytes)', () => {
    const ip = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const line = Buffer.from(`PROXY TCP6 ${ip} ${ip} 65535 65535\r\n`);
    assert.equal(line.length, 104);
    assertHeader(line, {
      version: 1,
      command: 'PROXY',
      source: tcp6(ip, 65535),
      destination: tcp6(ip, 65535),
    });
  });

  it('decodes UNKNOWN, ignoring whatever follows it, up to 107 bytes', () => {
    const unknown = { version: 1, command: 'LOCAL', source: null, destination: null } as const;
    assertHeader(Buffer.from('PROXY UNKNOWN\r\n'), unknown);
    const ip = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    const longest = Buffer.from(`PROXY UNKNOWN ${ip} ${ip} 65535 65535\r\n`);
    assert.equal(longest.length, 107);
    assertHeader(longest, unknown);
  });

  const invalid: [string, string, RegExp][] = [
    ['a missing port', 'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n', /4 address fields/],
    ['an unknown protocol', 'PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n', /unknown protocol/],
    ['a port above 65535', 'PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n', /invalid port/],
    ['a port with a leading zero', 'PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n', /invalid port/],
    ['an IPv4 octet with a leading zero', 'PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n', /invalid IPv4/],
    ['an IPv6 address in a TCP4 header', 'PROXY TCP4 ::1 ::1 1 2\r\n', /invalid IPv4/],
    ['an IPv4 address in a TCP6 header', 'PROXY TCP6 1.2.3.4 ::1 1 2\r\n', /invalid IPv6/],
    ['double spaces', 'PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n', /address fields/],
    ['a bare LF', 'PROXY UNKNOWN\n', /CRLF/],
    ['no header at all', 'GET / HTTP/1.1\r\n', /does not start with a PROXY/],
    ['a prefix that is not "PROXY "', 'PROXZ TCP4\r\n', /"PROXY "/],
    ['108 bytes without CRLF', `PROXY UNKNOWN ${'x'.repeat(94)}`, /longer than 107/],
    ['control characters', 'PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n', /non-printable/],
  ];
  for (const [what, text, reason] of invalid) {
    it(`rejects a header with ${what}`, () => assertInvalid(Buffer.from(text), reason));
  }

  it('reports a header cut short by the end of the stream', () => {
    const parser = new ProxyHeaderParser();
    assert.deepEqual(parser.receive(Buffer.from('PROXY TCP4 1.2')), []);
    const [ev] = parser.receiveEof();
    assert.ok(ev?.type === 'headerInvalid');
    assert.match(ev.reason, /ended before/);
  });
});

describe('PROXY protocol v2 header', () => {
  it('decodes PROXY over TCP/IPv4', () => {
    assertHeader(v2(0x21, 0x11, ipv4Block([127, 0, 0, 1], [10, 0, 0, 2], 1000, 443)), {
      version: 2,
      command: 'PROXY',
      source: tcp4('127.0.0.1', 1000),
      destination: tcp4('10.0.0.2', 443),
    });
  });

  it('decodes PROXY over UDP/IPv6, compressing the addresses', () => {
    const body = Buffer.alloc(36);
    Buffer.from('20010db8000000000000000000000001', 'hex').copy(body, 0);
    Buffer.from('fe800000000000000000000000000000', 'hex').copy(body, 16);
    body.writeUInt16BE(53, 32);
    body.writeUInt16BE(5353, 34);
    assertHeader(v2(0x21, 0x22, body), {
      version: 2,
      command: 'PROXY',
      source: { type: 'UDP', family: 'IPv6', host: '2001:db8::1', port: 53 },
      destination: { type: 'UDP', family: 'IPv6', host: 'fe80::', port: 5353 },
    });
  });

  it('decodes LOCAL without addresses, skipping any address block', () => {
    const local = { version: 2, command: 'LOCAL', source: null, destination: null } as const;
    assertHeader(v2(0x20, 0x00, Buffer.alloc(0)), local);
    assertHeader(v2(0x20, 0x11, ipv4Block([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)), local);
  });

  it('skips TLVs after the addresses', () => {
    const tlvs = Buffer.from([0x01, 0x00, 0x02, 0x68, 0x32, 0x04, 0x00, 0x03, 0x61, 0x62, 0x63]);
    assertHeader(v2(0x21, 0x11, Buffer.concat([ipv4Block([192, 168, 1, 1], [192, 168, 1, 2], 5, 6), tlvs])), {
      version: 2,
      command: 'PROXY',
      source: tcp4('192.168.1.1', 5),
      destination: tcp4('192.168.1.2', 6),
    });
  });

  it('decodes AF_UNIX stream addresses', () => {
    const body = Buffer.alloc(216);
    body.write('/var/run/client.sock', 0);
    body.write('/var/run/haproxy.sock', 108);
    assertHeader(v2(0x21, 0x31, body), {
      version: 2,
      command: 'PROXY',
      source: { type: 'UNIX', name: '/var/run/client.sock' },
      destination: { type: 'UNIX', name: '/var/run/haproxy.sock' },
    });
  });

  it('accepts PROXY with an unspecified family as carrying no addresses', () => {
    assertHeader(v2(0x21, 0x00, Buffer.alloc(0)), {
      version: 2,
      command: 'PROXY',
      source: null,
      destination: null,
    });
  });

  const invalid: [string, Buffer, RegExp][] = [
    [
      'version 1 in the binary format',
      v2(0x11, 0x11, ipv4Block([1, 1, 1, 1], [1, 1, 1, 1], 1, 1)),
      /version 1/,
    ],
    ['an unknown command', v2(0x22, 0x11, ipv4Block([1, 1, 1, 1], [1, 1, 1, 1], 1, 1)), /unknown command/],
    ['an unknown family', v2(0x21, 0x41, Buffer.alloc(12)), /family/],
    ['an IPv4 block too short', v2(0x21, 0x11, Buffer.alloc(8)), /needs 12/],
    ['an IPv6 block too short', v2(0x21, 0x21, Buffer.alloc(12)), /needs 36/],
    ['a UNIX block too short', v2(0x21, 0x31, Buffer.alloc(100)), /needs 216/],
    [
      'a damaged signature',
      Buffer.concat([
        Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x55]),
        Buffer.alloc(20),
      ]),
      /signature/,
    ],
  ];
  for (const [what, bytes, reason] of invalid) {
    it(`rejects a header with ${what}`, () => assertInvalid(bytes, reason));
  }

  it('rejects a header longer than maxV2Length', () => {
    const parser = new ProxyHeaderParser({ maxV2Length: 100 });
    const [ev] = parser.receive(v2(0x21, 0x11, Buffer.alloc(200)));
    assert.ok(ev?.type === 'headerInvalid');
    assert.match(ev.reason, /exceeds the limit/);
  });
});

describe('ProxyHeaderParser', () => {
  it('joins the chunks of a slow-drip v2 header once, not once per chunk', (t) => {
    const header = v2(
      0x21,
      0x11,
      Buffer.concat([ipv4Block([1, 2, 3, 4], [5, 6, 7, 8], 1, 2), Buffer.alloc(4000)]),
    );
    const concat = t.mock.method(Buffer, 'concat');
    const events = feed(byteByByte(header));
    assert.equal(events[0]?.type, 'headerReceived');
    assert.ok(concat.mock.callCount() < 32, `Buffer.concat called ${concat.mock.callCount()} times`);
  });

  it('throws when fed again after the header: the caller must pass data on', () => {
    const parser = new ProxyHeaderParser();
    parser.receive(Buffer.from('PROXY UNKNOWN\r\n'));
    assert.throws(() => parser.receive(Buffer.from('x')), /after the header/);
  });

  it('never throws on arbitrary bytes and emits at most one event', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const parser = new ProxyHeaderParser();
        let events = 0;
        for (const c of chunks) {
          if (parser.state === 'done') break;
          events += parser.receive(c).length;
        }
        events += parser.receiveEof().length;
        assert.ok(events <= 1);
      }),
    );
  });

  it('never throws on bytes after a valid v2 signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        const parser = new ProxyHeaderParser();
        parser.receive(Buffer.concat([V2_SIGNATURE, tail]));
        parser.receiveEof();
      }),
    );
  });

  it('gives the same event for any chunking of a header and its trailing data', () => {
    const stream = Buffer.concat([
      v2(0x21, 0x11, ipv4Block([9, 9, 9, 9], [8, 8, 8, 8], 9, 8)),
      Buffer.from('payload'),
    ]);
    const reference = feed([stream]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 6 }),
        (cuts) => {
          const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
          const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
          const parser = new ProxyHeaderParser();
          let rest: Buffer = Buffer.alloc(0);
          let info: ProxyInfo | undefined;
          for (const c of chunks) {
            if (parser.state === 'done') rest = Buffer.concat([rest, c]);
            else
              for (const ev of parser.receive(c)) {
                assert.equal(ev.type, 'headerReceived');
                if (ev.type === 'headerReceived') {
                  info = ev.info;
                  rest = ev.rest;
                }
              }
          }
          const ref = reference[0]!;
          assert.ok(ref.type === 'headerReceived');
          assert.deepEqual(info, ref.info);
          assert.equal(rest.toString(), 'payload');
        },
      ),
    );
  });

  it('formats IPv6 addresses as text that validates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        assert.ok(isIPv6Text(formatIPv6(bytes)), formatIPv6(bytes));
      }),
    );
  });
});
