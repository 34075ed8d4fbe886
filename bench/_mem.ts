// temporary probe (helper 7): per-idle-connection memory breakdown
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import net from 'node:net';
const kind = process.argv[2]!;
const count = Number(process.argv[3] ?? 2000);
if (kind.startsWith('serve-')) {
  const k = kind.slice(6);
  let port: number;
  if (k === 'twisted') {
    const { getReactor } = await import('../src/internet/default-reactor.js');
    const { Resource, Site } = await import('../src/web/index.js');
    class Hello extends Resource {
      override isLeaf = true;
      render_GET(): string { return 'Hello world!'; }
    }
    const root = new Resource();
    root.putChild('hello', new Hello());
    const p = getReactor().listenTCP(0, new Site(root), { interface: '127.0.0.1', backlog: 4096 });
    port = (p.getHost() as { port: number }).port;
  } else if (k === 'node') {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 12 }); res.end('Hello world!'); });
    server.keepAliveTimeout = 60000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', 4096, r));
    port = (server.address() as net.AddressInfo).port;
  } else {
    const server = net.createServer((s) => { s.on('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello world!')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', 4096, r));
    port = (server.address() as net.AddressInfo).port;
  }
  process.stdout.write(`port ${port}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (cmd: string) => {
    if (cmd.includes('snap')) {
      const v8 = require('node:v8');
      process.stdout.write(`mem ${JSON.stringify({ file: v8.writeHeapSnapshot('/tmp/w7/' + k + (cmd.includes('snap0') ? '0' : '') + '.heapsnapshot') })}\n`);
    }
    if (cmd.includes('mem')) {
      (globalThis as any).gc(); (globalThis as any).gc();
      process.stdout.write(`mem ${JSON.stringify(process.memoryUsage())}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
} else {
  const child = spawn(process.execPath, ['--import', 'tsx', '--expose-gc', ...(process.argv[4] ? [process.argv[4]] : []), new URL(import.meta.url).pathname, `serve-${kind}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiters: ((l: string) => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => { buf += d; let i; while ((i = buf.indexOf('\n')) >= 0) { const l = buf.slice(0, i); buf = buf.slice(i + 1); waiters.shift()?.(l); } });
  const next = () => new Promise<string>((r) => waiters.push(r));
  const port = Number((await next()).split(' ')[1]);
  const ask = async () => { const p = next(); child.stdin!.write('mem\n'); return JSON.parse((await p).slice(4)); };
  await new Promise((r) => setTimeout(r, 300));
  const before = await ask();
  if (process.env.SNAP) { const p = next(); child.stdin!.write('snap0\n'); await p; }
  const sockets: net.Socket[] = [];
  const req = Buffer.from('GET /hello HTTP/1.1\r\nHost: b\r\n\r\n');
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: 100 }, () => new Promise<void>((res, rej) => { const s = net.connect(port, '127.0.0.1', () => s.write(req)); s.once('data', () => res()); s.once('error', rej); sockets.push(s); })));
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = await ask();
  if (process.env.SNAP) { const p = next(); child.stdin!.write('snap\n'); await p; }
  const out: Record<string, string> = {};
  for (const k of Object.keys(after)) out[k] = ((after[k] - before[k]) / count).toFixed(0);
  console.log(kind, JSON.stringify(out));
  for (const s of sockets) s.destroy();
  child.stdin!.end();
}
