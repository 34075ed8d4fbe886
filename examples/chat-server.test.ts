import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import type { IAddress } from '../src/internet/interfaces.js';
import { StringTransport } from '../src/testing/string-transport.js';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';
import { ChatFactory } from './chat-server.js';

after(killChildren);

const addr = { type: 'TCP', family: 'IPv4', host: '127.0.0.1', port: 1 } as IAddress;

function join(room: ChatFactory, nick?: string) {
  const p = room.buildProtocol(addr);
  const tr = new StringTransport();
  p.makeConnection(tr);
  if (nick !== undefined) p.dataReceived(Buffer.from(`${nick}\r\n`));
  tr.clear();
  return { p, tr, said: (line: string) => p.dataReceived(Buffer.from(`${line}\r\n`)) };
}

describe('examples/chat-server.ts in memory', () => {
  it('asks for a nickname, then relays each line to every other client', () => {
    const room = new ChatFactory();
    const alice = join(room, 'alice');
    const bob = join(room, 'bob');
    const carol = join(room, 'carol');
    alice.tr.clear();
    bob.tr.clear();
    alice.said('hello all');
    assert.equal(alice.tr.value().toString(), '');
    assert.equal(bob.tr.value().toString(), '<alice> hello all\r\n');
    assert.equal(carol.tr.value().toString(), '<alice> hello all\r\n');
  });

  it('refuses a taken or invalid nickname and accepts another', () => {
    const room = new ChatFactory();
    join(room, 'alice');
    const second = join(room);
    second.said('alice');
    second.said('two words');
    second.said('bob');
    const out = second.tr.value().toString();
    assert.match(out, /alice is taken/);
    assert.match(out, /Nicknames are/);
    assert.match(out, /Hello bob! 1 other\(s\) here/);
    assert.equal(second.p.name, 'bob');
  });

  it('renames with /nick and tells the others', () => {
    const room = new ChatFactory();
    const alice = join(room, 'alice');
    const bob = join(room, 'bob');
    alice.tr.clear();
    bob.said('/nick robert');
    assert.equal(alice.tr.value().toString(), '* bob is now robert\r\n');
    assert.deepEqual([...room.users.keys()].sort(), ['alice', 'robert']);
  });

  it('says goodbye on /quit and announces the departure when the connection is lost', () => {
    const room = new ChatFactory();
    const alice = join(room, 'alice');
    const bob = join(room, 'bob');
    alice.tr.clear();
    bob.said('/quit');
    assert.equal(bob.tr.value().toString(), 'Bye!\r\n');
    assert.equal(bob.tr.disconnecting, true);
    bob.p.connectionLost();
    assert.equal(alice.tr.value().toString(), '* bob has left\r\n');
    assert.equal(room.users.has('bob'), false);
  });
});

/** A line-oriented socket client. */
function client(port: number) {
  const sock: Socket = connect({ port, host: '127.0.0.1' });
  let buffered = '';
  const waiting: { re: RegExp; resolve: (s: string) => void }[] = [];
  sock.setEncoding('utf8').on('data', (s: string) => {
    buffered += s;
    for (const w of [...waiting]) {
      const m = w.re.exec(buffered);
      if (m) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(m[0]);
      }
    }
  });
  return {
    sock,
    send: (line: string) => sock.write(`${line}\r\n`),
    expect: (re: RegExp) =>
      new Promise<string>((resolve) => {
        const m = re.exec(buffered);
        if (m) resolve(m[0]);
        else waiting.push({ re, resolve });
      }),
    closed: new Promise<void>((resolve) => sock.on('close', () => resolve())),
  };
}

describe('examples/chat-server.ts as a program', { timeout: 30_000 }, () => {
  it('relays lines between three clients over loopback and stops on SIGINT', async () => {
    const server = startChild('examples/chat-server.ts', ['--port', '0']);
    const port = Number((await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]);
    const a = client(port);
    const b = client(port);
    const c = client(port);
    for (const [x, nick] of [
      [a, 'alice'],
      [b, 'bob'],
      [c, 'carol'],
    ] as const) {
      await x.expect(/nickname\?/);
      x.send(nick);
      await x.expect(new RegExp(`Hello ${nick}!`));
    }
    a.send('hi everyone');
    assert.equal(await b.expect(/<alice> hi everyone\r\n/), '<alice> hi everyone\r\n');
    assert.equal(await c.expect(/<alice> hi everyone\r\n/), '<alice> hi everyone\r\n');
    c.send('/quit');
    await c.expect(/Bye!/);
    await c.closed;
    await a.expect(/\* carol has left/);
    a.sock.destroy();
    b.sock.destroy();
    server.process.kill('SIGINT');
    const outcome = await server.done;
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /chat server stopped\n$/);
  });

  it('prints its usage with --help and exits 2 on a bad port', async () => {
    const help = await startChild('examples/chat-server.ts', ['--help']).done;
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: /);
    const bad = await startChild('examples/chat-server.ts', ['--port', 'nope']).done;
    assert.equal(bad.code, 2);
  });
});
