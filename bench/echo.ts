/**
 * Echo benchmark: a twisted-ts echo server (`Protocol.dataReceived` → `transport.write`) against a
 * raw `node:net` echo server (`socket.on('data', d => socket.write(d))`), same load, same run.
 * Each server runs in its own child process; the load generator (raw node:net clients) runs here,
 * so server and client use different cores.
 *
 *     npm run bench -- echo [--seconds 1] [--rounds 7] [--idle 10000]
 *
 * Prints, per server: 4 KiB ping-pong messages/s over 50 connections, MB/s echoed while 50
 * connections stream 64 KiB chunks (256 KiB in flight each), short connections/s (connect, 1-byte
 * echo, reset), the server's CPU time per unit of each, and its RSS with N idle connections — then
 * the ratio twisted-ts / node:net for each. Both servers run under the same loader (tsx) and options;
 * rounds alternate which server goes first, and ratios are medians of per-round ratios. Per
 * accepted connection twisted-ts makes one system call more (`getpeername`, for `buildProtocol(addr)`
 * and `getPeer()`), which the short-connections figure includes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ITransport } from '../src/internet/interfaces.js';
import { Factory, Protocol } from '../src/internet/protocol.js';
import { NodeReactor } from '../src/internet/reactor.js';

type Kind = 'twisted' | 'net';

class Echo extends Protocol {
  override dataReceived(data: Buffer): void {
    (this.transport as ITransport).write(data);
  }
}

function rawOnError(): void {}

/** Child mode: run one echo server, print its port, answer `cpu` and `rss` requests on stdin. */
function serve(kind: Kind): void {
  // Production runs compiled JavaScript without source maps; tsx turns them on, which makes every
  // error's stack (Node reads the stack of each ECONNRESET) cost tens of µs in both servers — and
  // more in the one that loaded more TypeScript. Off for both, as in production.
  process.setSourceMapsEnabled(false);
  let count: () => number;
  if (kind === 'twisted') {
    const reactor = new NodeReactor();
    let n = 0;
    const factory = Factory.forProtocol(Echo);
    const build = factory.buildProtocol.bind(factory);
    factory.buildProtocol = (addr) => {
      n++;
      return build(addr);
    };
    const port = reactor.listenTCP(0, factory, { interface: '127.0.0.1', backlog: 511 });
    count = () => n;
    console.log(`port ${(port.getHost() as { port: number }).port}`);
    void reactor.run();
  } else {
    let n = 0;
    const server = net.createServer((socket) => {
      n++;
      socket.on('error', rawOnError);
      socket.on('data', (d) => socket.write(d));
    });
    server.listen(0, '127.0.0.1', 511, () =>
      console.log(`port ${(server.address() as net.AddressInfo).port}`),
    );
    count = () => n;
  }
  process.stdin.setEncoding('utf8').on('data', (request: string) => {
    // CPU first: a forced GC must not count as work done for the clients. Only a memory reading
    // forces one (for a stable RSS): a full GC before a timed run would shrink the young generation
    // and make the first part of the run collect far more often than a server in production does.
    const cpu = process.cpuUsage();
    if (request.startsWith('rss')) globalThis.gc?.();
    console.log(`rss ${process.memoryUsage.rss()} conns ${count()} cpu ${(cpu.user + cpu.system) / 1000}`);
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  /** `rss` forces a GC first (for a stable memory figure); `cpu` does not touch the heap. */
  ask(what: 'rss' | 'cpu'): Promise<{ rss: number; conns: number; cpuMs: number }>;
}

async function startServer(kind: Kind): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', fileURLToPath(import.meta.url), '--serve', kind],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let waiting: ((line: string) => void) | null = null;
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    partial += s;
    let i = partial.indexOf('\n');
    while (i >= 0) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w(line);
      } else lines.push(line);
      i = partial.indexOf('\n');
    }
  });
  const next = () =>
    new Promise<string>((resolve) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else waiting = resolve;
    });
  const port = Number((await next()).split(' ')[1]);
  const ask = async (what: 'rss' | 'cpu') => {
    child.stdin!.write(`${what}\n`);
    const [, rss, , conns, , cpu] = (await next()).split(' ');
    return { rss: Number(rss), conns: Number(conns), cpuMs: Number(cpu) };
  };
  return { child, port, ask };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

/** 50 connections, each sending a 4 KiB message and waiting for its echo before the next. */
async function pingPong(port: number, seconds: number): Promise<number> {
  const message = Buffer.alloc(4096, 0x78);
  const sockets = await Promise.all(Array.from({ length: 50 }, () => connect(port)));
  let messages = 0;
  let running = true;
  for (const s of sockets) {
    let got = 0;
    s.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= message.length) {
        got -= message.length;
        messages++;
        if (running) s.write(message);
      }
    });
  }
  const start = performance.now();
  for (const s of sockets) s.write(message);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - start) / 1000;
  for (const s of sockets) s.resetAndDestroy();
  return messages / elapsed;
}

/**
 * 50 connections streaming 64 KiB chunks, each keeping 4 chunks (256 KiB) in flight: a chunk goes
 * out as soon as one has come back. Returns echoed MB/s. Neither echo server pushes back on its
 * writes, so a client writing whenever its socket drains made them queue unbounded amounts, and
 * the figure swung with GC and scheduling (medians 0.70–1.68 across runs); with a window both
 * servers run in the same steady state.
 */
async function streaming(port: number, seconds: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x79);
  const window = 4 * chunk.length;
  const sockets = await Promise.all(Array.from({ length: 50 }, () => connect(port)));
  let bytes = 0;
  let running = true;
  const start = performance.now();
  for (const s of sockets) {
    let inFlight = 0;
    const fill = () => {
      while (running && inFlight + chunk.length <= window) {
        s.write(chunk);
        inFlight += chunk.length;
      }
    };
    s.on('data', (d: Buffer) => {
      bytes += d.length;
      inFlight -= d.length;
      fill();
    });
    fill();
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - start) / 1000;
  for (const s of sockets) s.resetAndDestroy();
  return bytes / elapsed / 1e6;
}

/** 50 workers each looping: connect, echo one byte, reset. Returns connections/s. */
async function shortConnections(port: number, seconds: number): Promise<number> {
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const s = await connect(port);
      await new Promise<void>((resolve) => {
        s.once('data', () => resolve());
        s.write('x');
      });
      s.resetAndDestroy(); // RST: no TIME_WAIT eating the ephemeral ports
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: 50 }, worker));
  return done / ((performance.now() - start) / 1000);
}

/** Opens `n` idle connections and returns the server's RSS (after a GC) once it accepted them all. */
async function idleRss(server: Server, n: number): Promise<{ before: number; after: number }> {
  const before = (await server.ask('rss')).rss;
  const sockets: net.Socket[] = [];
  for (let i = 0; i < n; i += 250) {
    sockets.push(
      ...(await Promise.all(Array.from({ length: Math.min(250, n - i) }, () => connect(server.port)))),
    );
  }
  let state = await server.ask('rss');
  while (state.conns < n) state = await server.ask('rss');
  for (const s of sockets) s.resetAndDestroy();
  return { before, after: state.rss };
}

function fdLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return 1024;
  }
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One scenario run against one server: its rate and the server's CPU time per unit of work (µs). */
async function measure(
  server: Server,
  scenario: (port: number, seconds: number) => Promise<number>,
  seconds: number,
): Promise<{ rate: number; cost: number }> {
  const cpu0 = (await server.ask('cpu')).cpuMs;
  const start = performance.now();
  const rate = await scenario(server.port, seconds);
  const units = rate * ((performance.now() - start) / 1000);
  const cpuMs = (await server.ask('cpu')).cpuMs - cpu0;
  return { rate, cost: (cpuMs * 1000) / units };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      seconds: { type: 'string', default: '1' },
      idle: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '7' },
    },
  });
  if (values.serve !== undefined) {
    serve(values.serve as Kind);
    return;
  }
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const limit = fdLimit();
  const idle = Math.min(Number(values.idle), limit - 200);
  if (idle < Number(values.idle)) {
    console.log(
      `note: ulimit -n is ${limit}; using ${idle} idle connections (raise it with ulimit -n 20000)`,
    );
  }
  const scenarios = [pingPong, streaming, shortConnections];
  // The machine may be shared (other processes come and go), so: each round runs both servers back
  // to back, in alternating order (net first, then twisted first, …); the ratio reported is the
  // median of the per-round ratios, which cancels load that changes slower than a round. A first,
  // unreported round warms up both servers (JIT). The server's CPU time per unit of work is
  // reported too: it depends less on the load client than the rates do.
  const rate: Record<Kind, number[][]> = { twisted: [[], [], []], net: [[], [], []] };
  const cost: Record<Kind, number[][]> = { twisted: [[], [], []], net: [[], [], []] };
  const servers = { net: await startServer('net'), twisted: await startServer('twisted') };
  for (let round = -1; round < rounds; round++) {
    const order: Kind[] = round % 2 === 0 ? ['net', 'twisted'] : ['twisted', 'net'];
    for (const [i, scenario] of scenarios.entries()) {
      for (const kind of order) {
        const m = await measure(servers[kind], scenario, round < 0 ? seconds / 2 : seconds);
        if (round < 0) continue;
        rate[kind][i]!.push(m.rate);
        cost[kind][i]!.push(m.cost);
      }
    }
  }
  servers.net.child.kill('SIGKILL');
  servers.twisted.child.kill('SIGKILL');
  // Memory on fresh servers, so the buffers of the runs above do not count.
  const mem: Record<Kind, { rss: number; growth: number }> = {
    net: { rss: 0, growth: 0 },
    twisted: { rss: 0, growth: 0 },
  };
  for (const kind of ['net', 'twisted'] as const) {
    const server = await startServer(kind);
    const m = await idleRss(server, idle);
    mem[kind] = { rss: m.after / 1e6, growth: (m.after - m.before) / idle };
    server.child.kill('SIGKILL');
  }
  const paired = (xs: readonly number[], ys: readonly number[], f: (x: number, y: number) => number) =>
    xs.map((x, j) => f(x, ys[j]!));
  type Row = [name: string, net: number, twisted: number, ratios: number[]];
  const rows: Row[] = [];
  const names = [
    '4 KiB ping-pong, 50 conns (msg/s)',
    '64 KiB streaming, 50 conns (MB/s)',
    'short connections (conn/s)',
  ];
  const costNames = [
    'server CPU per message (µs)',
    'server CPU per MB (µs)',
    'server CPU per connection (µs)',
  ];
  for (let i = 0; i < 3; i++) {
    const [n, t] = [rate.net[i]!, rate.twisted[i]!];
    rows.push([names[i]!, median(n), median(t), paired(t, n, (a, b) => a / b)]);
  }
  for (let i = 0; i < 3; i++) {
    // Costs: lower is better, so the ratio is node:net's cost over ours (> 1: we are cheaper).
    const [n, t] = [cost.net[i]!, cost.twisted[i]!];
    rows.push([costNames[i]!, median(n), median(t), paired(n, t, (a, b) => a / b)]);
  }
  rows.push([
    `RSS with ${idle} idle conns (MB)`,
    mem.net.rss,
    mem.twisted.rss,
    [mem.twisted.rss / mem.net.rss],
  ]);
  rows.push([
    'RSS growth per idle connection (B)',
    mem.net.growth,
    mem.twisted.growth,
    [mem.twisted.growth / mem.net.growth],
  ]);
  console.log(
    `echo benchmark: ${rounds} rounds of ${seconds} s per server and scenario, alternating order, node ${process.version}`,
  );
  console.log(
    `${'measure'.padEnd(38)}${'node:net'.padStart(11)}${'twisted-ts'.padStart(11)}${'ratio'.padStart(8)}   per-round ratios`,
  );
  for (const [name, a, b, ratios] of rows) {
    const spread =
      ratios.length > 1 ? `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : '';
    console.log(
      `${name.padEnd(38)}${a.toFixed(1).padStart(11)}${b.toFixed(1).padStart(11)}${median(ratios).toFixed(3).padStart(8)}   ${spread}`,
    );
  }
  console.log(
    'figures: medians over the rounds; ratio: median of the per-round ratios. Rates: ours/net (target >= 0.95).\n' +
      'CPU costs: net/ours (> 1: we are cheaper; they explain the rates, no target). Memory: ours/net (target <= 1.2)',
  );
}

await main();
