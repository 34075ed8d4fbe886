/**
 * The folder-sync client: connects, sends Sync, and rebuilds the server's tree under `--dest`.
 * Each file is written under a temporary name in its folder and renamed to its real name only
 * once all its bytes have arrived, so a transfer cut midway never leaves a truncated file under
 * a final name (the partial one is deleted). A progress bar is drawn only when stdout is a
 * terminal; otherwise one summary line is printed.
 *
 *     node --import tsx examples/folder-sync/client.ts --dest DIR [--host 127.0.0.1] [--port 8014]
 *
 * The writes use synchronous `node:fs` calls for brevity: fine for a client that does only this,
 * not for a server with other connections to serve.
 *
 * @module
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ClientFactory,
  ConnectionDone,
  Deferred,
  type IConnector,
  type IReactor,
  react,
} from '../../src/internet/index.js';
import { Int32StringReceiver } from '../../src/protocols/basic/index.js';
import { decode, encode, MAX_FRAME, type Totals } from './messages.js';

/** The file being received. */
interface Incoming {
  path: string;
  tmp: string;
  fd: number;
  left: number;
}

/** Draws `[#####.....]  50%  3/6 files` on a terminal; silent elsewhere. */
class Progress {
  #totals: Totals = { files: 0, bytes: 0 };
  files = 0;
  bytes = 0;

  constructor(readonly tty: boolean) {}

  start(totals: Totals): void {
    this.#totals = totals;
    this.#draw();
  }

  add(bytes: number, file = false): void {
    this.bytes += bytes;
    if (file) this.files++;
    this.#draw();
  }

  done(): void {
    if (this.tty) process.stdout.write('\n');
  }

  #draw(): void {
    if (!this.tty) return;
    const ratio = this.#totals.bytes === 0 ? 1 : this.bytes / this.#totals.bytes;
    const bar = '#'.repeat(Math.round(ratio * 30)).padEnd(30, '.');
    const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
    process.stdout.write(`\r[${bar}] ${pct}  ${this.files}/${this.#totals.files} files`);
  }
}

/** Receives the tree; fires the factory's `done` on End, fails it if the connection dies first. */
class SyncClient extends Int32StringReceiver {
  declare factory: SyncClientFactory;
  override maxLength = MAX_FRAME;
  #file: Incoming | null = null;
  #ended = false;

  override connectionMade(): void {
    this.sendString(encode({ type: 'Sync' }));
  }

  override stringReceived(frame: Buffer): void {
    try {
      this.#handle(frame);
    } catch (err) {
      this.#discard();
      this.factory.finish(err as Error);
      this.transport!.abortConnection();
    }
  }

  #handle(frame: Buffer): void {
    const { dest, progress } = this.factory;
    const message = decode(frame);
    switch (message.type) {
      case 'Sync':
        progress.start(message.totals ?? { files: 0, bytes: 0 });
        break;
      case 'Folder':
        mkdirSync(join(dest, message.path), { recursive: true });
        break;
      case 'File': {
        if (this.#file) throw new Error(`File ${message.path} before the end of ${this.#file.path}`);
        const final = join(dest, message.path);
        mkdirSync(dirname(final), { recursive: true });
        const tmp = join(dirname(final), `.${basename(final)}.${process.pid}.part`);
        this.#file = { path: message.path, tmp, fd: openSync(tmp, 'w'), left: message.size };
        this.#finishFileIfComplete();
        break;
      }
      case 'data': {
        const file = this.#file;
        if (!file || message.bytes.length > file.left) throw new Error('data outside of a file');
        writeSync(file.fd, message.bytes);
        file.left -= message.bytes.length;
        progress.add(message.bytes.length);
        this.#finishFileIfComplete();
        break;
      }
      case 'End':
        if (this.#file) throw new Error(`End in the middle of ${this.#file.path}`);
        this.#ended = true;
        this.transport!.loseConnection();
        break;
    }
  }

  /** Closes and renames the current file once all its bytes are in. */
  #finishFileIfComplete(): void {
    const file = this.#file;
    if (!file || file.left > 0) return;
    closeSync(file.fd);
    renameSync(file.tmp, join(this.factory.dest, file.path));
    this.#file = null;
    this.factory.progress.add(0, true);
  }

  /** Deletes a partly received file. */
  #discard(): void {
    if (!this.#file) return;
    closeSync(this.#file.fd);
    rmSync(this.#file.tmp, { force: true });
    this.#file = null;
  }

  override connectionLost(reason: Error = new ConnectionDone()): void {
    super.connectionLost(reason);
    this.#discard();
    this.factory.finish(
      this.#ended ? null : new Error(`transfer interrupted: ${reason.message}`, { cause: reason }),
    );
  }
}

/** Holds the destination, the progress bar, and `done`. */
class SyncClientFactory extends ClientFactory {
  readonly done = new Deferred<void>();

  constructor(
    readonly dest: string,
    readonly progress: Progress,
  ) {
    super();
    this.protocol = SyncClient;
  }

  /** Fires `done` (with `error`, when not null) the first time only. */
  finish(error: Error | null): void {
    if (this.done.called) return;
    if (error) this.done.errback(error);
    else this.done.callback(undefined);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Error): void {
    this.finish(reason);
  }
}

const { values } = parseArgs({
  options: {
    dest: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8014' },
    help: { type: 'boolean', short: 'h' },
  },
});
const usage =
  'usage: node --import tsx examples/folder-sync/client.ts --dest DIR [--host 127.0.0.1] [--port 8014]\n' +
  "Copies the server's folder tree into DIR; a progress bar is shown on a terminal.";
if (values.help) {
  console.log(usage);
} else if (values.dest === undefined) {
  console.error(usage);
  process.exitCode = 2;
} else {
  const dest = values.dest;
  await react(async (reactor: IReactor) => {
    mkdirSync(dest, { recursive: true });
    const progress = new Progress(process.stdout.isTTY === true);
    const factory = new SyncClientFactory(dest, progress);
    reactor.connectTCP(values.host, Number(values.port), factory);
    try {
      await factory.done;
    } finally {
      progress.done();
    }
    console.log(`synced ${progress.files} files (${progress.bytes} bytes) into ${dest}`);
  });
}
