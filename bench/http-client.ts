/**
 * `npm run bench -- http-client [seconds]`: HTTP client throughput. One node:http hello-world
 * server runs in a child process; in this process each client keeps 50 requests in flight over
 * keep-alive connections for a fixed time (default 4 s each, in 4 interleaved rounds, after a
 * short warm-up; the median round counts):
 *
 * - twisted-ts `Agent` with an `HTTPConnectionPool` keeping 50 connections;
 * - undici@7 `request` through an undici `Pool` of 50 connections;
 * - the global `fetch`.
 *
 * Prints req/s for each and the ratios twisted-ts / undici and twisted-ts / fetch.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';

const CONCURRENCY = 50;

function serve(): void {
  const body = Buffer.from('Hello world!');
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.((server.address() as { port: number }).port);
  });
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/http-client.ts', '--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, port: port as number }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Runs `one()` with CONCURRENCY in flight for `seconds`; returns completed requests per second. */
async function drive(seconds: number, one: () => Promise<void>): Promise<number> {
  let done = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      try {
        await one();
        done++;
      } catch (err) {
        if (errors++ === 0) console.error(err);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - start) / 1000;
  if (errors > 0) console.error(`  ${errors} errors`);
  return done / elapsed;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 4);
  const { child, port } = await startServer();
  const url = `http://127.0.0.1:${port}/`;
  const results: Record<string, number> = {};
  try {
    // twisted-ts
    const { NodeReactor } = await import('../src/internet/reactor.js');
    const { Agent, HTTPConnectionPool, readBody } = await import('../src/web/client/index.js');
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const pool = new HTTPConnectionPool(reactor, { maxPersistentPerHost: CONCURRENCY });
    const agent = new Agent(reactor, { pool });
    const twisted = async (): Promise<void> => {
      const r = await agent.request('GET', url);
      const b = await readBody(r);
      if (r.code !== 200 || b.length !== 12) throw new Error('bad response');
    };
    // undici
    const undici = await import('undici');
    const upool = new undici.Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY, pipelining: 1 });
    const und = async (): Promise<void> => {
      const r = await upool.request({ path: '/', method: 'GET' });
      const b = Buffer.from(await r.body.arrayBuffer());
      if (r.statusCode !== 200 || b.length !== 12) throw new Error('bad response');
    };
    const fet = async (): Promise<void> => {
      const r = await fetch(url);
      const b = Buffer.from(await r.arrayBuffer());
      if (r.status !== 200 || b.length !== 12) throw new Error('bad response');
    };
    const clients: [string, () => Promise<void>][] = [
      ['twisted-ts Agent', twisted],
      ['undici request', und],
      ['fetch', fet],
    ];
    for (const [, fn] of clients) await drive(0.5, fn); // warm-up
    // Interleaved rounds, so a change in machine load hits every client alike; median per client.
    const rounds = 4;
    const samples: Record<string, number[]> = {};
    for (const [name] of clients) samples[name] = [];
    for (let i = 0; i < rounds; i++) {
      for (const [name, fn] of clients) samples[name]?.push(await drive(seconds / rounds, fn));
    }
    for (const [name] of clients) {
      const sorted = (samples[name] as number[]).sort((a, b) => a - b);
      results[name] = ((sorted[1] as number) + (sorted[2] as number)) / 2;
      console.log(
        `${name.padEnd(18)} ${Math.round(results[name] as number)} req/s (rounds: ${sorted.map(Math.round).join(', ')})`,
      );
    }
    await pool.closeCachedConnections();
    await upool.close();
  } finally {
    child.kill();
  }
  const t = results['twisted-ts Agent'] as number;
  console.log(`ratio twisted-ts / undici: ${(t / (results['undici request'] as number)).toFixed(2)}x`);
  console.log(`ratio twisted-ts / fetch:  ${(t / (results.fetch as number)).toFixed(2)}x`);
  process.exit(0);
}

if (process.argv.includes('--serve')) serve();
else await main();
