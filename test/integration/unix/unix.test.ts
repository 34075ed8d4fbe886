import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UNIXClientEndpoint, UNIXServerEndpoint } from '../../../src/internet/endpoints/unix.js';
import { CannotListenError, ConnectionDone } from '../../../src/internet/error.js';
import type { IListeningPort, UNIXAddress } from '../../../src/internet/interfaces.js';
import { Factory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { listenUNIX, removeStaleSocket } from '../../../src/internet/unix.js';
import { EchoProbe, KeepingFactory, Probe } from '../tls/helpers.js';

const reactor = new NodeReactor({ installSignalHandlers: false });
const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-unix-'));
const ports: IListeningPort[] = [];
after(async () => {
  for (const p of ports) await p.stopListening();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
const fresh = () => join(dir, `s${n++}.sock`);

/**
 * Leaves a socket file behind with nobody listening: a child process binds it and is killed.
 * Returns the dead child's pid.
 */
async function staleSocketAt(path: string): Promise<number> {
  const child = spawn(process.execPath, [
    '-e',
    `require('net').createServer().listen(${JSON.stringify(path)}, () => process.stdout.write('up'))`,
  ]);
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

describe('UNIX sockets', { timeout: 15_000 }, () => {
  it('echo bytes and report UNIX addresses on both ends', async () => {
    const path = fresh();
    const server = new KeepingFactory(() => new EchoProbe());
    ports.push(await new UNIXServerEndpoint(reactor, path).listen(server));
    const c = (await new UNIXClientEndpoint(reactor, path).connect(
      new KeepingFactory(() => new Probe()),
    )) as Probe;
    c.transport!.write('over unix');
    assert.equal((await c.until(9)).toString(), 'over unix');
    assert.deepEqual(c.transport!.getPeer(), { type: 'UNIX', name: path });
    const s = await server.first;
    assert.deepEqual(s.transport!.getHost(), { type: 'UNIX', name: path });
    assert.equal((s.transport!.getPeer() as UNIXAddress).type, 'UNIX');
    c.transport!.loseConnection();
    assert.ok((await s.lost) instanceof ConnectionDone);
  });

  it('listens in the Linux abstract namespace without creating a file', async () => {
    const name = `\0twisted-ts-test-${process.pid}-${n++}`;
    const server = new KeepingFactory(() => new EchoProbe());
    ports.push(await new UNIXServerEndpoint(reactor, name).listen(server));
    const c = (await new UNIXClientEndpoint(reactor, name).connect(
      new KeepingFactory(() => new Probe()),
    )) as Probe;
    c.transport!.write('abstract');
    assert.equal((await c.until(8)).toString(), 'abstract');
    assert.equal((c.transport!.getPeer() as UNIXAddress).name, name);
    c.transport!.abortConnection();
    await c.lost;
  });

  it('removes a stale socket file left by a dead server and listens', async () => {
    const path = fresh();
    await staleSocketAt(path);
    assert.ok(existsSync(path));
    assert.throws(() => listenUNIX(path, Factory.forProtocol(Protocol)), CannotListenError);
    const port = await new UNIXServerEndpoint(reactor, path).listen(Factory.forProtocol(Protocol));
    ports.push(port);
    assert.deepEqual(port.getHost(), { type: 'UNIX', name: path });
  });

  it("never removes a live server's socket: listening fails with CannotListenError", async () => {
    const path = fresh();
    const live = net.createServer((s) => s.end()).listen(path);
    await new Promise<void>((resolve) => live.once('listening', () => resolve()));
    try {
      await assert.rejects(
        new UNIXServerEndpoint(reactor, path).listen(Factory.forProtocol(Protocol)).asPromise(),
        CannotListenError,
      );
      assert.ok(existsSync(path));
      assert.equal(await removeStaleSocket(path), false);
    } finally {
      await new Promise<void>((resolve) => live.close(() => resolve()));
    }
  });

  it('leaves a regular file in the way alone', async () => {
    const path = fresh();
    writeFileSync(path, 'not a socket');
    await assert.rejects(
      new UNIXServerEndpoint(reactor, path).listen(Factory.forProtocol(Protocol)).asPromise(),
      CannotListenError,
    );
    assert.ok(existsSync(path));
  });

  it('does not probe when lockfile is false', async () => {
    const path = fresh();
    await staleSocketAt(path);
    const d = new UNIXServerEndpoint(reactor, path, { lockfile: false }).listen(
      Factory.forProtocol(Protocol),
    );
    await assert.rejects(d.asPromise(), CannotListenError);
  });

  it('keeps a lock file naming this process while listening with lockfile, and removes it on stop', async () => {
    const path = fresh();
    const port = listenUNIX(path, Factory.forProtocol(Protocol), { lockfile: true });
    assert.equal(readlinkSync(`${path}.lock`), String(process.pid));
    assert.throws(
      () => listenUNIX(path, Factory.forProtocol(Protocol), { lockfile: true }),
      (err: unknown) => err instanceof CannotListenError && /holds/.test(err.message),
    );
    await port.stopListening();
    assert.throws(() => lstatSync(`${path}.lock`), { code: 'ENOENT' });
    assert.equal(existsSync(path), false);
  });

  it("breaks a dead server's lock and replaces its socket file, synchronously", async () => {
    const path = fresh();
    const deadPid = await staleSocketAt(path);
    symlinkSync(String(deadPid), `${path}.lock`);
    const port = listenUNIX(path, Factory.forProtocol(Protocol), { lockfile: true });
    ports.push(port);
    assert.equal(readlinkSync(`${path}.lock`), String(process.pid));
    const c = (await new UNIXClientEndpoint(reactor, path).connect(
      new KeepingFactory(() => new Probe()),
    )) as Probe;
    c.transport!.abortConnection();
    await c.lost;
  });

  it("never breaks a live process's lock nor removes its socket", async () => {
    const path = fresh();
    const live = net.createServer((s) => s.end()).listen(path);
    await new Promise<void>((resolve) => live.once('listening', () => resolve()));
    symlinkSync(String(process.ppid), `${path}.lock`); // our parent: alive, and not us
    try {
      assert.throws(
        () => listenUNIX(path, Factory.forProtocol(Protocol), { lockfile: true }),
        (err: unknown) => err instanceof CannotListenError && err.message.includes(String(process.ppid)),
      );
      await assert.rejects(
        new UNIXServerEndpoint(reactor, path).listen(Factory.forProtocol(Protocol)).asPromise(),
        CannotListenError,
      );
      assert.ok(existsSync(path));
      assert.equal(readlinkSync(`${path}.lock`), String(process.ppid));
    } finally {
      await new Promise<void>((resolve) => live.close(() => resolve()));
      rmSync(`${path}.lock`);
    }
  });

  it('takes over a lock naming our own pid that this process does not hold (a previous life)', () => {
    const path = fresh();
    symlinkSync(String(process.pid), `${path}.lock`);
    const port = listenUNIX(path, Factory.forProtocol(Protocol), { lockfile: true });
    ports.push(port);
    assert.deepEqual(port.getHost(), { type: 'UNIX', name: path });
  });

  it('fails to connect where nothing listens', async () => {
    const d = new UNIXClientEndpoint(reactor, fresh()).connect(Factory.forProtocol(Protocol));
    await assert.rejects(d.asPromise());
  });
});
