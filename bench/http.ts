/**
 * `npm run bench -- http [seconds] [rounds]`: twisted-ts web against node:http, each server in its own
 * process (pinned to core 0 with taskset when available; wrk on core 1).
 *
 * 1. hello world (a leaf resource whose render_GET returns 12 bytes) under `wrk -t1 -c50`:
 *    req/s, p99 latency, and the server's CPU time per request (user + system, all its threads);
 * 2. a 1 MB static file (`File` vs node:http + fs.createReadStream) under `wrk -t1 -c10`: req/s,
 *    MB/s and CPU time per request;
 * 3. RSS per idle keep-alive connection: 4000 connections each served one request, server RSS
 *    delta after a GC, divided by 4000 — on a fresh pair of server processes per round.
 *
 * Fairness: both servers get the same wrk load; rounds alternate the servers and swap which goes
 * first; every figure is the median of the rounds, printed with its spread (min–max). On a small
 * machine wrk itself can saturate its core: then req/s ratios shrink towards 1 while the CPU time
 * per request still shows what each server costs.
 *
 * Prints every figure and the ratio twisted-ts / node:http.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Kind = 'twisted' | 'node';

// ------------------------------------------------------------------ server processes

async function serve(kind: Kind, dir: string): Promise<void> {
  let port: number;
  if (kind === 'twisted') {
    const { getReactor } = await import('../src/internet/default-reactor.js');
    const { Resource, Site, File } = await import('../src/web/index.js');
    class Hello extends Resource {
      override isLeaf = true;
      render_GET(): string {
        return 'Hello world!';
      }
    }
    const root = new Resource();
    root.putChild('hello', new Hello());
    root.putChild('static', new File(dir));
    const p = getReactor().listenTCP(0, new Site(root), { interface: '127.0.0.1', backlog: 4096 });
    port = (p.getHost() as { port: number }).port;
  } else {
    const { createReadStream, statSync } = await import('node:fs');
    const server = createServer((req, res) => {
      if (req.url === '/hello') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 12 });
        res.end('Hello world!');
      } else if (req.url === '/static/big.bin') {
        const path = join(dir, 'big.bin');
        const st = statSync(path);
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': st.size });
        createReadStream(path).pipe(res);
      } else {
        res.writeHead(404, { 'Content-Length': 0 });
        res.end();
      }
    });
    server.keepAliveTimeout = 60000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', 4096, r));
    port = (server.address() as net.AddressInfo).port;
  }
  process.stdout.write(`port ${port}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (cmd: string) => {
    if (cmd.includes('cpu')) {
      const u = process.cpuUsage();
      process.stdout.write(`cpu ${u.user + u.system}\n`);
    }
    if (cmd.includes('rss')) {
      (globalThis as { gc?: () => void }).gc?.();
      (globalThis as { gc?: () => void }).gc?.();
      process.stdout.write(`rss ${process.memoryUsage().rss}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

// ------------------------------------------------------------------ driver

const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const cpus = (await import('node:os')).availableParallelism();

interface Server {
  child: ChildProcess;
  port: number;
  ask(cmd: string, prefix: string): Promise<string>;
}

function startServer(kind: Kind, dir: string): Promise<Server> {
  const args = ['--import', 'tsx', '--expose-gc', new URL(import.meta.url).pathname, '--serve', kind, dir];
  const child =
    hasTaskset && cpus > 1
      ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiters: [string, (line: string) => void][] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buffered += d;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const i = waiters.findIndex(([p]) => line.startsWith(p));
      if (i >= 0) waiters.splice(i, 1)[0]![1](line);
    }
  });
  const wait = (prefix: string): Promise<string> => new Promise((r) => waiters.push([prefix, r]));
  return wait('port').then((line) => ({
    child,
    port: Number(line.split(' ')[1]),
    ask: (cmd, prefix) => {
      const p = wait(prefix);
      child.stdin!.write(`${cmd}\n`);
      return p;
    },
  }));
}

interface WrkResult {
  rps: number;
  p99ms: number;
  mbps: number;
  /** Server CPU time per request, microseconds. */
  cpuUs: number;
}

function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v);
  if (m === null) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

function toMB(v: string): number {
  const m = /^([\d.]+)(B|KB|MB|GB)$/.exec(v);
  if (m === null) return Number.NaN;
  const scale = { B: 1 / 1024 / 1024, KB: 1 / 1024, MB: 1, GB: 1024 }[m[2] as 'B'];
  return Number(m[1]) * scale;
}

async function wrk(server: Server, path: string, seconds: number, connections: number): Promise<WrkResult> {
  const url = `http://127.0.0.1:${server.port}${path}`;
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url];
  const cpu0 = Number((await server.ask('cpu', 'cpu')).split(' ')[1]);
  const r =
    hasTaskset && cpus > 1 ? spawnSync('taskset', ['-c', '1', 'wrk', ...args]) : spawnSync('wrk', args);
  if (r.error !== undefined) throw new Error('wrk is missing: apt-get install -y wrk', { cause: r.error });
  const cpu1 = Number((await server.ask('cpu', 'cpu')).split(' ')[1]);
  const out = r.stdout.toString();
  if (/Non-2xx|Socket errors/.test(out)) process.stderr.write(`warning from wrk:\n${out}\n`);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p99ms: toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
    mbps: toMB(/Transfer\/sec:\s+(\S+)/.exec(out)?.[1] ?? ''),
    cpuUs: (cpu1 - cpu0) / requests,
  };
}

async function idleRss(server: Server, count: number): Promise<number> {
  const before = Number((await server.ask('rss', 'rss')).split(' ')[1]);
  const sockets: net.Socket[] = [];
  const request = Buffer.from('GET /hello HTTP/1.1\r\nHost: b\r\n\r\n');
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from(
        { length: Math.min(100, count - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const s = net.connect(server.port, '127.0.0.1', () => s.write(request));
            s.once('data', () => resolve());
            s.once('error', reject);
            sockets.push(s);
          }),
      ),
    );
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = Number((await server.ask('rss', 'rss')).split(' ')[1]);
  for (const s of sockets) s.destroy();
  return (after - before) / count;
}

async function stop(server: Server): Promise<void> {
  server.child.stdin!.end();
  if (server.child.exitCode === null) await new Promise((r) => server.child.once('exit', r));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const IDLE_CONNECTIONS = 4000;

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 5);
  const rounds = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(1024 * 1024, 0x61));
  const runs: Record<Kind, { hello: WrkResult[]; file: WrkResult[]; rss: number[] }> = {
    node: { hello: [], file: [], rss: [] },
    twisted: { hello: [], file: [], rss: [] },
  };
  /** Round r runs node first when r is even, twisted first when odd. */
  const order = (r: number): Kind[] => (r % 2 === 0 ? ['node', 'twisted'] : ['twisted', 'node']);
  const servers: Partial<Record<Kind, Server>> = {};
  try {
    // Memory first, on a fresh pair of processes per round.
    for (let r = 0; r < rounds; r++) {
      for (const kind of order(r)) {
        const server = await startServer(kind, dir);
        try {
          runs[kind].rss.push(await idleRss(server, IDLE_CONNECTIONS));
        } finally {
          await stop(server);
        }
      }
    }
    for (const kind of order(0)) servers[kind] = await startServer(kind, dir);
    for (const kind of order(0)) {
      await wrk(servers[kind]!, '/hello', 1, 50); // warm-up
      await wrk(servers[kind]!, '/static/big.bin', 1, 10);
    }
    for (let r = 0; r < rounds; r++) {
      for (const kind of order(r)) {
        runs[kind].hello.push(await wrk(servers[kind]!, '/hello', seconds, 50));
        runs[kind].file.push(await wrk(servers[kind]!, '/static/big.bin', seconds, 10));
      }
    }
  } finally {
    for (const server of Object.values(servers)) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
  const values = (kind: Kind, which: 'hello' | 'file', f: keyof WrkResult): number[] =>
    runs[kind][which].map((x) => x[f]);
  const spread = (xs: number[], digits: number): string =>
    `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  const row = (
    label: string,
    a: number[],
    b: number[],
    unit: string,
    better: 'higher' | 'lower',
    digits = 2,
  ) => {
    const ma = median(a);
    const mb = median(b);
    console.log(
      `${label.padEnd(34)} ${ma.toFixed(digits).padStart(10)} ${mb.toFixed(digits).padStart(10)} ${unit.padEnd(6)} ` +
        `${(ma / mb).toFixed(2).padStart(5)}x (${better} is better)  spread ${spread(a, digits)} vs ${spread(b, digits)}`,
    );
  };
  console.log(
    `node ${process.version}, ${cpus} cores, taskset ${hasTaskset && cpus > 1 ? 'servers=0 wrk=1' : 'off'}, ` +
      `median of ${rounds} alternating ${seconds}s rounds`,
  );
  console.log(`${''.padEnd(34)} ${'twisted-ts'.padStart(10)} ${'node:http'.padStart(10)}        ratio`);
  const both = (which: 'hello' | 'file', f: keyof WrkResult) =>
    [values('twisted', which, f), values('node', which, f)] as const;
  row('hello world req/s (wrk -t1 -c50)', ...both('hello', 'rps'), 'req/s', 'higher', 0);
  row('hello world p99 latency', ...both('hello', 'p99ms'), 'ms', 'lower');
  row('hello world server CPU per request', ...both('hello', 'cpuUs'), 'us', 'lower', 1);
  row('1 MB static file req/s (wrk -c10)', ...both('file', 'rps'), 'req/s', 'higher', 0);
  row('1 MB static file throughput', ...both('file', 'mbps'), 'MB/s', 'higher', 0);
  row('1 MB static file server CPU per req', ...both('file', 'cpuUs'), 'us', 'lower', 0);
  row(
    `RSS per idle keep-alive conn (${IDLE_CONNECTIONS})`,
    runs.twisted.rss.map((x) => x / 1024),
    runs.node.rss.map((x) => x / 1024),
    'KiB',
    'lower',
  );
}

if (process.argv[2] === '--serve') await serve(process.argv[3] as Kind, process.argv[4] as string);
else await main();
