/**
 * The folder-sync server: when a client sends Sync, it walks its `--root` folder recursively and
 * sends every folder (Folder), every file (File, then its bytes as data messages) and End, over an
 * `Int32StringReceiver` (see messages.ts for the format). Paths are relative and `/`-separated;
 * file contents are sent as they are, so binary files are safe.
 *
 *     node --import tsx examples/folder-sync/server.ts --root DIR [--port 8014] [--interface 127.0.0.1]
 *
 * @module
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Factory, type IPv4Address, reactor } from '../../src/internet/index.js';
import { Int32StringReceiver } from '../../src/protocols/basic/index.js';
import { CHUNK_SIZE, decode, encode, MAX_FRAME } from './messages.js';

/** Everything under `root`, parents before children: `[relative path, is a folder]`. */
async function walk(root: string, prefix = ''): Promise<[string, boolean][]> {
  const out: [string, boolean][] = [];
  const entries = await readdir(join(root, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push([rel, true], ...(await walk(root, rel)));
    else if (e.isFile()) out.push([rel, false]);
  }
  return out;
}

/** Answers a Sync with the whole tree. */
class SyncServer extends Int32StringReceiver {
  declare factory: SyncFactory;
  override maxLength = MAX_FRAME;

  override stringReceived(frame: Buffer): void {
    const message = decode(frame);
    if (message.type !== 'Sync') {
      this.transport!.loseConnection();
      return;
    }
    this.#sendTree().catch((err: Error) => {
      console.log(`sync failed: ${err.message}`);
      this.transport?.abortConnection();
    });
  }

  async #sendTree(): Promise<void> {
    const root = this.factory.root;
    const tree = await walk(root);
    const sizes = new Map<string, number>();
    for (const [path, isFolder] of tree) if (!isFolder) sizes.set(path, (await stat(join(root, path))).size);
    let files = 0;
    let bytes = 0;
    for (const size of sizes.values()) bytes += size;
    this.sendString(encode({ type: 'Sync', totals: { files: sizes.size, bytes } }));
    for (const [path, isFolder] of tree) {
      if (!this.connected) return;
      if (isFolder) {
        this.sendString(encode({ type: 'Folder', path }));
        continue;
      }
      const handle = await open(join(root, path));
      try {
        const size = sizes.get(path)!;
        this.sendString(encode({ type: 'File', path, size }));
        for (let sent = 0; sent < size && this.connected; ) {
          const { bytesRead, buffer } = await handle.read(Buffer.alloc(Math.min(CHUNK_SIZE, size - sent)), 0);
          if (bytesRead === 0) throw new Error(`${path} shrank while being sent`);
          this.sendString(encode({ type: 'data', bytes: buffer.subarray(0, bytesRead) }));
          sent += bytesRead;
        }
        files++;
      } finally {
        await handle.close();
      }
    }
    this.sendString(encode({ type: 'End' }));
    console.log(`sent ${files} files (${bytes} bytes)`);
    this.transport!.loseConnection();
  }
}

/** Knows the folder to serve. */
class SyncFactory extends Factory {
  constructor(readonly root: string) {
    super();
    this.protocol = SyncServer;
  }
}

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    port: { type: 'string', default: '8014' },
    interface: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
const usage =
  'usage: node --import tsx examples/folder-sync/server.ts --root DIR [--port 8014] [--interface 127.0.0.1]\n' +
  'Sends the tree under DIR to each client that asks (Sync). --port 0 picks a free port. Ctrl-C stops it.';
if (values.help) {
  console.log(usage);
} else if (values.root === undefined) {
  console.error(usage);
  process.exitCode = 2;
} else {
  const port = reactor.listenTCP(Number(values.port), new SyncFactory(values.root), {
    interface: values.interface,
  });
  const host = port.getHost() as IPv4Address;
  console.log(`folder-sync server listening on ${host.host}:${host.port}, serving ${values.root}`);
  await reactor.run();
}
