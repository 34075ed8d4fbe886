/**
 * UNIX-domain and UDP transports against Python's standard `socket` module, a peer we did not
 * write: Python clients talk to our UNIX server (a file path and a Linux abstract name) and to our
 * UDP port (IPv4 and IPv6), and our UNIX client talks to a Python server. Each Python program runs
 * to its end or is stopped by the PID we started.
 *
 * Node 20 (libuv 1.46) binds and connects a Linux abstract name padded with NULs to the whole
 * 108-byte `sun_path`: a peer must use that padded name (see docs/howto/endpoints.md).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import { UNIXClientEndpoint, UNIXServerEndpoint } from '../../../src/internet/endpoints/unix.js';
import type {
  IListeningPort,
  IPv4Address,
  IPv6Address,
  UNIXAddress,
} from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { DatagramProtocol, listenUDP } from '../../../src/internet/udp.js';
import { EchoProbe, KeepingFactory, Probe } from '../../integration/tls/helpers.js';

const PYTHON = '/usr/bin/python3';
const check = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
if (check.error !== undefined || check.status !== 0) {
  throw new Error(`${PYTHON} is missing (${check.error?.message}); install it with: apt-get install python3`);
}

const reactor = new NodeReactor({ installSignalHandlers: false });
const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-pysock-'));
const ports: IListeningPort[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of ports) await p.stopListening();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a Python program to its end; resolves with its standard output. */
function python(source: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', source, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`python failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    children.push(child);
  });
}

const UNIX_CLIENT = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
name = sys.argv[1]
if name.startswith('@'):  # an abstract name, padded as Node 20 pads it
    name = ('\\0' + name[1:]).ljust(108, '\\0')
s.connect(name)
s.sendall(b'hello from python')
s.shutdown(socket.SHUT_WR)
data = b''
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode())
`;

const UNIX_SERVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
print('ready', flush=True)
conn, _ = s.accept()
conn.sendall(b'greetings from python')
conn.close()
`;

const UDP_CLIENT = `
import socket, sys
family = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.settimeout(10)
s.bind((sys.argv[1], 0))
s.sendto(b'datagram from python', (sys.argv[1], int(sys.argv[2])))
data, addr = s.recvfrom(2048)
print(s.getsockname()[1], addr[1], data.decode())
`;

/** A UNIX server that half-closes politely: echoes, and closes when the peer has sent EOF. */
class HalfCloseEcho extends EchoProbe {
  readConnectionLost(): void {
    this.transport!.loseConnection();
  }
  writeConnectionLost(): void {}
}

describe('UNIX sockets with Python', { timeout: 20_000 }, () => {
  for (const [what, path] of [
    ['a socket file', join(dir, 'echo.sock')],
    ['a Linux abstract name', `\0twisted-ts-py-${process.pid}`],
  ] as const) {
    it(`echoes to a Python client over ${what}, which half-closes`, async () => {
      const server = new KeepingFactory(() => new HalfCloseEcho());
      ports.push(await new UNIXServerEndpoint(reactor, path).listen(server));
      const out = await python(UNIX_CLIENT, [path.startsWith('\0') ? `@${path.slice(1)}` : path]);
      assert.equal(out, 'hello from python\n');
      const s = await server.first;
      assert.equal(s.data.toString(), 'hello from python');
      assert.deepEqual(s.transport!.getHost(), { type: 'UNIX', name: path });
      await s.lost;
    });
  }

  it('connects to a Python server and reports its path as the peer', async () => {
    const path = join(dir, 'py.sock');
    const child = spawn(PYTHON, ['-c', UNIX_SERVER, path]);
    children.push(child);
    const ready = new Deferred<void>();
    child.stdout.once('data', () => ready.callback(undefined));
    await ready;
    const c = (await new UNIXClientEndpoint(reactor, path).connect(
      new KeepingFactory(() => new Probe()),
    )) as Probe;
    await c.lost;
    assert.equal(c.data.toString(), 'greetings from python');
    assert.equal((c.transport!.getPeer() as UNIXAddress).name, path);
  });
});

/** Echoes datagrams and remembers who sent them. */
class UDPEcho extends DatagramProtocol {
  readonly senders: (IPv4Address | IPv6Address)[] = [];
  override datagramReceived(data: Buffer, addr: IPv4Address | IPv6Address): void {
    this.senders.push(addr);
    this.transport!.write(data, [addr.host, addr.port]);
  }
}

describe('UDP with Python', { timeout: 20_000 }, () => {
  for (const host of ['127.0.0.1', '::1']) {
    it(`echoes a datagram to a Python client over ${host.includes(':') ? 'IPv6' : 'IPv4'}`, async () => {
      const proto = new UDPEcho();
      const port = listenUDP(0, proto, { interface: host, reactor });
      ports.push(port);
      await port.whenListening();
      const out = await python(UDP_CLIENT, [host, String(port.getHost().port)]);
      const [clientPort, fromPort, ...text] = out.trim().split(' ');
      assert.equal(text.join(' '), 'datagram from python');
      assert.equal(Number(fromPort), port.getHost().port);
      assert.deepEqual(proto.senders, [
        { type: 'UDP', family: host.includes(':') ? 'IPv6' : 'IPv4', host, port: Number(clientPort) },
      ]);
    });
  }
});
