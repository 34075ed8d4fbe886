/**
 * A chat server over `LineReceiver`: every line a client sends is relayed to all the other
 * clients. The first line a client sends is its nickname; `/nick NAME` changes it, `/quit` leaves.
 *
 *     node --import tsx examples/chat-server.ts [--port 8123] [--interface 127.0.0.1]
 *
 * Try it with two terminals running `nc 127.0.0.1 8123`. Stop the server with Ctrl-C.
 *
 * @example
 * ```ts
 * import { ChatFactory } from './chat-server.js';
 * reactor.listenTCP(8123, new ChatFactory());
 * ```
 * @module
 */
import type { Buffer } from 'node:buffer';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { reactor } from '../src/internet/default-reactor.js';
import type { IAddress } from '../src/internet/interfaces.js';
import { Factory } from '../src/internet/protocol.js';
import { LineReceiver } from '../src/protocols/basic/index.js';

const NICK = /^[A-Za-z0-9_\-[\]{}^`|]{1,16}$/;

/**
 * One chat client. Lines are UTF-8 text.
 *
 * @example
 * ```ts
 * const p = new ChatFactory().buildProtocol(addr);
 * ```
 */
export class Chat extends LineReceiver {
  /** The nickname, once chosen. */
  name: string | null = null;
  readonly #room: ChatFactory;

  constructor(room: ChatFactory) {
    super();
    this.#room = room;
  }

  override connectionMade(): void {
    this.sendLine('Welcome! What is your nickname?');
  }

  override lineReceived(line: Buffer): void {
    const text = line.toString('utf8');
    if (this.name === null) {
      this.#chooseNick(text.trim());
    } else if (text === '/quit') {
      this.sendLine('Bye!');
      this.transport?.loseConnection();
    } else if (text.startsWith('/nick ')) {
      this.#chooseNick(text.slice(6).trim());
    } else {
      this.#room.broadcast(this, `<${this.name}> ${text}`);
    }
  }

  override connectionLost(reason?: Error): void {
    super.connectionLost(reason);
    if (this.name !== null && this.#room.users.get(this.name) === this) {
      this.#room.users.delete(this.name);
      this.#room.broadcast(this, `* ${this.name} has left`);
    }
  }

  #chooseNick(nick: string): void {
    if (!NICK.test(nick)) {
      this.sendLine('Nicknames are 1-16 letters, digits or _-[]{}^`|; try another.');
      return;
    }
    if (this.#room.users.has(nick)) {
      this.sendLine(`${nick} is taken; try another.`);
      return;
    }
    const old = this.name;
    if (old !== null) this.#room.users.delete(old);
    this.name = nick;
    this.#room.users.set(nick, this);
    if (old === null) {
      this.sendLine(
        `Hello ${nick}! ${this.#room.users.size - 1} other(s) here. /nick NAME renames, /quit leaves.`,
      );
      this.#room.broadcast(this, `* ${nick} has joined`);
    } else {
      this.#room.broadcast(this, `* ${old} is now ${nick}`);
      this.sendLine(`You are now ${nick}.`);
    }
  }
}

/**
 * The chat room: builds a `Chat` per connection and relays lines between them.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8123, new ChatFactory());
 * ```
 */
export class ChatFactory extends Factory {
  /** Who is in the room, by nickname. */
  readonly users = new Map<string, Chat>();

  override buildProtocol(_addr: IAddress): Chat {
    const p = new Chat(this);
    p.factory = this;
    return p;
  }

  /**
   * Sends `message` to everyone in the room but `from`.
   *
   * @example
   * ```ts
   * room.broadcast(sender, '<alice> hi');
   * ```
   */
  broadcast(from: Chat, message: string): void {
    for (const user of this.users.values()) if (user !== from) user.sendLine(message);
  }
}

const USAGE =
  'usage: node --import tsx examples/chat-server.ts [--port 8123] [--interface 127.0.0.1]\n' +
  'A line-based chat room: the first line is your nickname, /nick NAME renames, /quit leaves.\n' +
  '--port 0 picks a free port. Ctrl-C stops it.';

/**
 * Runs the server until the reactor stops; returns the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['--port', '0']);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  let values: { port?: string; interface?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8123' },
        interface: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const portNumber = Number(values.port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535) {
    console.error(`bad --port ${values.port}\n${USAGE}`);
    return 2;
  }
  const port = reactor.listenTCP(portNumber, new ChatFactory(), {
    interface: values.interface ?? '127.0.0.1',
  });
  const host = port.getHost() as { host: string; port: number };
  console.log(`chat server listening on ${host.host}:${host.port}`);
  await reactor.run();
  console.log('chat server stopped');
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
