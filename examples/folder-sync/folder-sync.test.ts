import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { killChildren, startChild } from '../../test/integration/fixtures/child.js';
import { encode, type Message } from './messages.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'folder-sync-'));
after(() => {
  killChildren();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every path under `dir` (folders end with `/`) with the contents of the files. */
function snapshot(dir: string, prefix = ''): Map<string, Buffer | null> {
  const out = new Map<string, Buffer | null>();
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(join(dir, rel)).isDirectory()) {
      out.set(`${rel}/`, null);
      for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    } else {
      out.set(rel, readFileSync(join(dir, rel)));
    }
  }
  return out;
}

/** An Int32 frame holding `m`. */
function frame(m: Message): Buffer {
  const payload = encode(m);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(payload.length);
  return Buffer.concat([prefix, payload]);
}

describe('examples/folder-sync', () => {
  it('copies a tree of random binary files and nested (even empty) folders byte for byte', async () => {
    const src = join(scratch, 'src');
    for (const dir of ['a/b/c', 'a/empty', 'd']) mkdirSync(join(src, dir), { recursive: true });
    const files: Record<string, number> = {
      'top.bin': 100_000,
      'a/one.bin': 1,
      'a/b/two.bin': 32 * 1024,
      'a/b/c/three.bin': 70_001,
      'd/zero.bin': 0,
      'd/ünï cødé.txt': 12,
    };
    for (const [path, size] of Object.entries(files)) writeFileSync(join(src, path), randomBytes(size));

    const server = startChild('examples/folder-sync/server.ts', ['--root', src, '--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const dest = join(scratch, 'dest');
    const client = await startChild('examples/folder-sync/client.ts', ['--dest', dest, '--port', port]).done;

    assert.equal(client.code, 0, client.stderr);
    const total = Object.values(files).reduce((a, b) => a + b, 0);
    assert.equal(
      client.stdout,
      `synced 6 files (${total} bytes) into ${dest}\n`,
      'no progress bar off a terminal',
    );
    assert.deepEqual(snapshot(dest), snapshot(src));
    await server.line(/sent 6 files/);
  });

  it('draws a progress bar on a terminal, ending at 100% with every file counted', async () => {
    const src = join(scratch, 'tty-src');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'big.bin'), randomBytes(300_000));
    writeFileSync(join(src, 'sub/small.bin'), randomBytes(10));
    const server = startChild('examples/folder-sync/server.ts', ['--root', src, '--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const dest = join(scratch, 'tty-dest');
    // `script` runs the client on a pseudo-terminal, as a user at a shell would (util-linux).
    const command = [process.execPath, '--import', 'tsx', 'examples/folder-sync/client.ts', '--dest', dest];
    const { stdout } = await run('script', ['-qfec', [...command, '--port', port].join(' '), '/dev/null'], {
      timeout: 60_000,
    });
    const screen = stdout.replace(/\r\n/g, '\n');
    assert.match(screen, /^\r\[\.{30}\] {3}0% {2}0\/2 files/, 'starts empty');
    assert.match(screen, /\r\[#{30}\] 100% {2}2\/2 files\n/, 'ends full, then a newline');
    assert.match(screen, /\nsynced 2 files \(300010 bytes\) into .+\n$/);
    assert.deepEqual(snapshot(dest), snapshot(src));
  });

  it('a transfer cut in the middle of a file leaves neither that file nor its temporary copy', async () => {
    // A fake server: one complete file, then half of the next one, then the connection drops.
    const fake = createServer((socket) => {
      socket.once('data', () => {
        socket.write(frame({ type: 'Sync', totals: { files: 2, bytes: 2000 } }));
        socket.write(frame({ type: 'Folder', path: 'sub' }));
        socket.write(frame({ type: 'File', path: 'sub/whole.bin', size: 1000 }));
        socket.write(frame({ type: 'data', bytes: Buffer.alloc(1000, 1) }));
        socket.write(frame({ type: 'File', path: 'sub/half.bin', size: 1000 }));
        socket.write(frame({ type: 'data', bytes: Buffer.alloc(500, 2) }), () => socket.destroy());
      });
    });
    fake.listen(0, '127.0.0.1');
    await once(fake, 'listening');
    const dest = join(scratch, 'cut');
    const { port } = fake.address() as AddressInfo;
    const client = await startChild('examples/folder-sync/client.ts', [
      '--dest',
      dest,
      '--port',
      String(port),
    ]).done;
    fake.close();

    assert.equal(client.code, 1);
    assert.match(client.stderr, /transfer interrupted/);
    assert.deepEqual([...snapshot(dest).keys()], ['sub/', 'sub/whole.bin']);
  });

  it('refuses a path that climbs out of the destination', async () => {
    const fake = createServer((socket) => {
      socket.once('data', () => {
        socket.write(frame({ type: 'Sync', totals: { files: 1, bytes: 1 } }));
        // Built by hand: encode() itself would write it, decode() must refuse it.
        const evil = Buffer.from(`F${JSON.stringify({ path: '../evil.bin', size: 1 })}`);
        const prefix = Buffer.alloc(4);
        prefix.writeUInt32BE(evil.length);
        socket.write(Buffer.concat([prefix, evil]));
      });
    });
    fake.listen(0, '127.0.0.1');
    await once(fake, 'listening');
    const dest = join(scratch, 'evil', 'dest');
    const { port } = fake.address() as AddressInfo;
    const client = await startChild('examples/folder-sync/client.ts', [
      '--dest',
      dest,
      '--port',
      String(port),
    ]).done;
    fake.close();

    assert.equal(client.code, 1);
    assert.match(client.stderr, /unsafe path/);
    assert.deepEqual(readdirSync(join(scratch, 'evil')), ['dest']);
  });

  it('both programs print their usage with --help', async () => {
    const files = ['server', 'client'];
    const runs = await Promise.all(
      files.map((f) => startChild(`examples/folder-sync/${f}.ts`, ['--help']).done),
    );
    for (const { code, stdout } of runs) {
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /);
    }
  });
});
