// The code of docs/howto/writing-a-protocol.md, run as tests. The last test checks that every
// TypeScript block of the page appears in this file (line by line, indentation aside), so the page
// cannot drift from code that works.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { reactor } from '../../internet/default-reactor.js';
import type { IReactorTime } from '../../internet/interfaces.js';
import { Factory, Protocol } from '../../internet/protocol.js';
import { Clock } from '../../testing/clock.js';
import { StringTransport } from '../../testing/string-transport.js';
import { IdleTimeout } from '../policies/timeout.js';
import { LineReceiver } from './line-receiver.js';

class Shout extends Protocol {
  override dataReceived(data: Buffer): void {
    this.transport!.write(data.toString('utf8').toUpperCase());
  }
}

class KeyValue extends LineReceiver {
  override maxLength = 1024;
  readonly #store: Map<string, string>;

  constructor(store: Map<string, string>) {
    super();
    this.#store = store;
  }

  override lineReceived(line: Buffer): void {
    const [verb, key, ...rest] = line.toString('utf8').split(' ');
    switch (verb) {
      case 'SET':
        this.#store.set(key ?? '', rest.join(' '));
        this.sendLine('OK');
        break;
      case 'GET': {
        const value = this.#store.get(key ?? '');
        this.sendLine(value === undefined ? 'MISSING' : `VALUE ${value}`);
        break;
      }
      case 'QUIT':
        this.sendLine('BYE');
        this.transport!.loseConnection();
        break;
      default:
        this.sendLine('ERROR unknown command');
    }
  }

  override lineLengthExceeded(): void {
    this.sendLine('ERROR line too long');
    this.transport!.loseConnection();
  }
}

class KeyValueFactory extends Factory {
  readonly store = new Map<string, string>();

  override buildProtocol(): KeyValue {
    const p = new KeyValue(this.store);
    p.factory = this;
    return p;
  }
}

/** The page's "run it on a real port" block; not called by the tests. */
export async function serve(): Promise<void> {
  reactor.listenTCP(8124, new KeyValueFactory(), { interface: '127.0.0.1' });
  await reactor.run();
}

class PatientKeyValue extends KeyValue {
  readonly idle: IdleTimeout;

  constructor(store: Map<string, string>, clock: IReactorTime) {
    super(store);
    this.idle = IdleTimeout.forProtocol(this, 60, clock);
  }

  override connectionMade(): void {
    this.idle.start();
  }

  override dataReceived(data: Buffer): void {
    this.idle.resetTimeout();
    super.dataReceived(data);
  }

  timeoutConnection(): void {
    this.sendLine('ERROR idle for too long');
    this.transport!.loseConnection();
  }

  override connectionLost(reason: Error): void {
    this.idle.cancel();
    super.connectionLost(reason);
  }
}

describe('docs/howto/writing-a-protocol.md', () => {
  it('Shout upper-cases each chunk', () => {
    const p = new Shout();
    const tr = new StringTransport();
    p.makeConnection(tr);
    p.dataReceived(Buffer.from('hey'));
    assert.equal(tr.value().toString(), 'HEY');
  });

  it('answers GET with the value stored by SET, however the bytes are chunked', () => {
    const factory = new KeyValueFactory();
    const proto = factory.buildProtocol();
    const transport = new StringTransport();
    proto.makeConnection(transport);
    for (const chunk of ['SET colour bl', 'ue\r\nGET col', 'our\r\nGET size\r\n']) {
      proto.dataReceived(Buffer.from(chunk));
    }
    assert.equal(transport.value().toString(), 'OK\r\nVALUE blue\r\nMISSING\r\n');
  });

  it('refuses a line longer than maxLength and closes', () => {
    const proto = new KeyValueFactory().buildProtocol();
    const transport = new StringTransport();
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from(`SET k ${'x'.repeat(2000)}\r\n`));
    assert.equal(transport.value().toString(), 'ERROR line too long\r\n');
    assert.equal(transport.disconnecting, true);
  });

  it('closes after 60 idle seconds, counted from the last line', () => {
    const clock = new Clock();
    const proto = new PatientKeyValue(new Map(), clock);
    const transport = new StringTransport();
    proto.makeConnection(transport);
    clock.advance(59);
    proto.dataReceived(Buffer.from('GET a\r\n'));
    clock.advance(59);
    assert.equal(transport.disconnecting, false);
    clock.advance(1);
    assert.equal(transport.value().toString(), 'MISSING\r\nERROR idle for too long\r\n');
    assert.equal(transport.disconnecting, true);
  });

  it('QUIT says BYE and closes; unknown commands get an error', () => {
    const proto = new KeyValueFactory().buildProtocol();
    const transport = new StringTransport();
    proto.makeConnection(transport);
    proto.dataReceived(Buffer.from('NOPE\r\nQUIT\r\nGET a\r\n'));
    assert.equal(transport.value().toString(), 'ERROR unknown command\r\nBYE\r\n');
  });

  it('the page shows exactly the code of this file', () => {
    const page = readFileSync(new URL('../../../docs/howto/writing-a-protocol.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    assert.equal(blocks.length, 6);
    for (const block of blocks) {
      const lines = block
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const first = lines[0] as string;
      const found = source.some((_, i) => source[i] === first && lines.every((l, k) => source[i + k] === l));
      assert.ok(found, `docs block not found verbatim in the test file:\n${block}`);
    }
  });
});
