/**
 * The `haproxy:` endpoint behind a real HAProxy: HAProxy accepts the client on a frontend port and
 * connects to our server with `send-proxy` (v1), `send-proxy-v2`, or `send-proxy-v2` then TLS; our
 * protocol must see the client's own address as `getPeer()` and the frontend as `getHost()`.
 * HAProxy runs in the foreground (`-W -db`) from a private config, and is stopped by its PID.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Deferred } from '../../../src/internet/defer.js';
import { serverFromString } from '../../../src/internet/endpoints/strports.js';
import type { IListeningPort, IPv4Address } from '../../../src/internet/interfaces.js';
import { Factory, Protocol } from '../../../src/internet/protocol.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import '../../../src/protocols/haproxy/index.js';
import { makeTestCertificates } from '../../../src/testing/certs.js';

const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
if (r.error !== undefined || r.status !== 0) {
  throw new Error(`haproxy is missing (${r.error?.message}); install it with: apt-get install haproxy`);
}

const reactor = new NodeReactor({ installSignalHandlers: false });
const certs = makeTestCertificates();
const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-haproxy-'));
const ports: IListeningPort[] = [];
let haproxy: ChildProcess | null = null;

/** Tells the client what the connection looks like from our side, then closes. */
class WhoAmI extends Protocol {
  override connectionMade(): void {
    const peer = this.transport!.getPeer() as IPv4Address;
    const host = this.transport!.getHost() as IPv4Address;
    this.transport!.write(`${peer.host}:${peer.port} ${host.host}:${host.port}\n`);
    this.transport!.loseConnection();
  }
}

/** A free loopback port for a frontend (bound by us, then released for HAProxy). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function listen(description: string): Promise<number> {
  const port = await serverFromString(reactor, description).listen(Factory.forProtocol(WhoAmI));
  ports.push(port);
  return (port.getHost() as IPv4Address).port;
}

const frontends: Record<'v1' | 'v2' | 'v2tls', number> = { v1: 0, v2: 0, v2tls: 0 };

before(async () => {
  const plain = await listen('haproxy:tcp:0:interface=127.0.0.1');
  const tls = await listen(
    `haproxy:ssl:0:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}:interface=127.0.0.1`,
  );
  for (const k of Object.keys(frontends) as (keyof typeof frontends)[]) frontends[k] = await freePort();
  const config = [
    'global',
    '  maxconn 100',
    'defaults',
    '  mode tcp',
    '  timeout connect 5s',
    '  timeout client 10s',
    '  timeout server 10s',
    'frontend v1',
    `  bind 127.0.0.1:${frontends.v1}`,
    '  default_backend v1',
    'backend v1',
    `  server s 127.0.0.1:${plain} send-proxy`,
    'frontend v2',
    `  bind 127.0.0.1:${frontends.v2}`,
    '  default_backend v2',
    'backend v2',
    `  server s 127.0.0.1:${plain} send-proxy-v2`,
    'frontend v2tls',
    `  bind 127.0.0.1:${frontends.v2tls}`,
    '  default_backend v2tls',
    'backend v2tls',
    `  server s 127.0.0.1:${tls} send-proxy-v2 ssl verify required ca-file ${certs.files.ca} verifyhost localhost sni str(localhost)`,
    '',
  ].join('\n');
  const path = join(dir, 'haproxy.cfg');
  writeFileSync(path, config);
  const child = spawn('haproxy', ['-W', '-db', '-f', path], { stdio: ['ignore', 'ignore', 'pipe'] });
  haproxy = child;
  // The master binds the frontends before forking its worker, then says "Loading success.".
  const ready = new Deferred<void>();
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    if (log.includes('Loading success.') && !ready.called) ready.callback(undefined);
  });
  child.once('exit', (code) => {
    if (!ready.called) ready.errback(new Error(`haproxy exited with ${code}: ${log}`));
  });
  await ready;
});

after(async () => {
  if (haproxy !== null && haproxy.exitCode === null) {
    const exited = new Promise<void>((resolve) => haproxy!.once('exit', () => resolve()));
    haproxy.kill('SIGTERM');
    await exited;
  }
  for (const p of ports) await p.stopListening();
  certs.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Connects to a frontend and returns our client's own port and what the server saw. */
async function ask(frontend: number): Promise<{ clientPort: number; seen: string }> {
  const socket = net.connect(frontend, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const clientPort = socket.localPort!;
  let seen = '';
  socket.on('data', (d: Buffer) => {
    seen += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('end', resolve);
    socket.once('error', reject);
  });
  socket.destroy();
  return { clientPort, seen };
}

describe('the haproxy: endpoint behind HAProxy', { timeout: 20_000 }, () => {
  for (const [name, label] of [
    ['v1', 'send-proxy (v1 text header)'],
    ['v2', 'send-proxy-v2 (binary header)'],
    ['v2tls', 'send-proxy-v2 then TLS, into haproxy:ssl:'],
  ] as const) {
    it(`reports the real client as the peer with ${label}`, async () => {
      const { clientPort, seen } = await ask(frontends[name]);
      assert.equal(seen, `127.0.0.1:${clientPort} 127.0.0.1:${frontends[name]}\n`);
    });
  }
});
