/**
 * `npm run bench -- tls-echo [MB] [connections]`: TLS echo throughput of a twisted-ts `Protocol`
 * over `listenSSL` against a raw `node:tls` echo server. Each server runs in its own child process;
 * the same `node:tls` client (in this process) pushes MB megabytes (default 256) through
 * `connections` parallel connections (default 4) and reads the echo back. Each server is measured
 * twice, alternating; the best run counts. Prints MB/s and the ratio twisted-ts / node:tls.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

type Kind = 'twisted' | 'node';

async function serve(kind: Kind, certDir: string): Promise<void> {
  const key = readFileSync(`${certDir}/server.key`);
  const cert = readFileSync(`${certDir}/server.pem`);
  let port: number;
  if (kind === 'twisted') {
    const { getReactor } = await import('../src/internet/default-reactor.js');
    const { Factory, Protocol } = await import('../src/internet/protocol.js');
    const { listenSSL } = await import('../src/internet/tls-port.js');
    class Echo extends Protocol {
      override dataReceived(data: Buffer): void {
        this.transport!.write(data);
      }
    }
    const p = listenSSL(
      getReactor(),
      0,
      Factory.forProtocol(Echo),
      { key, cert },
      { interface: '127.0.0.1' },
    );
    port = (p.getHost() as { port: number }).port;
  } else {
    const server = tls.createServer({ key, cert, allowHalfOpen: true }, (socket) => {
      socket.on('data', (d) => socket.write(d));
      socket.on('end', () => socket.end());
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  }
  process.stdout.write(`${port}\n`);
}

function startServer(kind: Kind, certDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve', kind, certDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout!.once('data', (d: Buffer) => resolve({ child, port: Number(d.toString().trim()) }));
  });
}

function oneConnection(port: number, ca: Buffer, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let received = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.once('secureConnect', pump);
    socket.on('data', (d: Buffer) => {
      received += d.length;
      if (received >= bytes) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

async function measure(
  kind: Kind,
  certDir: string,
  ca: Buffer,
  megabytes: number,
  connections: number,
): Promise<number> {
  const { child, port } = await startServer(kind, certDir);
  try {
    const per = Math.ceil((megabytes * 1024 * 1024) / connections / 65536) * 65536;
    await oneConnection(port, ca, 1024 * 1024); // warm-up
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: connections }, () => oneConnection(port, ca, per)));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return (per * connections) / (1024 * 1024) / seconds;
  } finally {
    child.kill('SIGKILL');
  }
}

async function main(): Promise<void> {
  const megabytes = Number(process.argv[2] ?? 256);
  const connections = Number(process.argv[3] ?? 4);
  const { makeTestCertificates } = await import('../src/testing/certs.js');
  const certs = makeTestCertificates();
  try {
    const best: Record<Kind, number> = { twisted: 0, node: 0 };
    for (let round = 0; round < 2; round++) {
      for (const kind of ['node', 'twisted'] as const) {
        const mbps = await measure(kind, certs.dir, certs.caCert, megabytes, connections);
        best[kind] = Math.max(best[kind], mbps);
        console.log(`round ${round + 1} ${kind.padEnd(7)} ${mbps.toFixed(1)} MB/s`);
      }
    }
    console.log(`TLS echo, ${megabytes} MB over ${connections} connections (best of 2):`);
    console.log(`  node:tls   ${best.node.toFixed(1)} MB/s`);
    console.log(`  twisted-ts ${best.twisted.toFixed(1)} MB/s`);
    console.log(`  ratio twisted-ts / node:tls = ${(best.twisted / best.node).toFixed(3)}`);
  } finally {
    certs.cleanup();
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as Kind, process.argv[4]!);
} else {
  await main();
}
