/**
 * An HTTP load generator on the twisted-ts client: N requests in flight over pooled keep-alive
 * connections, bounded by a request count or a duration; a live progress bar on a TTY (quiet
 * otherwise); then requests/s, status-code counts, errors by kind and latency percentiles.
 *
 *     node --import tsx examples/http-load.ts URL [--concurrency 50] [--requests 10000] [--duration SECONDS]
 *
 * With `--duration`, it runs for that long (the request count is then unbounded unless given).
 */
import { parseArgs } from 'node:util';
import { type IDelayedCall, reactor } from '../src/internet/index.js';
import { Agent, HTTPConnectionPool, readBody } from '../src/web/client/index.js';

const USAGE =
  'usage: node --import tsx examples/http-load.ts URL [--concurrency N] [--requests N] [--duration SECONDS]\n' +
  'Sends GET requests to URL with N in flight over keep-alive connections and prints a summary.';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    concurrency: { type: 'string', short: 'c', default: '50' },
    requests: { type: 'string', short: 'n' },
    duration: { type: 'string', short: 'd' },
    help: { type: 'boolean', short: 'h' },
  },
});

/** The `p`-th percentile (0–100) of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<number> {
  const url = positionals[0];
  const concurrency = Number(values.concurrency);
  const duration = values.duration === undefined ? Number.POSITIVE_INFINITY : Number(values.duration);
  const total =
    values.requests !== undefined
      ? Number(values.requests)
      : duration === Number.POSITIVE_INFINITY
        ? 10_000
        : Infinity;
  if (url === undefined || !(concurrency > 0) || !(total > 0) || !(duration > 0)) {
    console.error(USAGE);
    return 2;
  }
  const pool = new HTTPConnectionPool(reactor, { maxPersistentPerHost: concurrency });
  const agent = new Agent(reactor, { pool, connectTimeout: 10 });
  const codes = new Map<number, number>();
  const errors = new Map<string, number>();
  const latencies: number[] = [];
  let started = 0;
  let finished = 0;
  const t0 = performance.now();
  const deadline = t0 + duration * 1000;
  const tty = process.stdout.isTTY === true;

  const progress = (): void => {
    const elapsed = (performance.now() - t0) / 1000;
    const frac = Number.isFinite(total) ? finished / total : Math.min(1, elapsed / duration);
    const width = 30;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
    process.stdout.write(
      `\r[${bar}] ${finished} done, ${Math.round(finished / Math.max(elapsed, 1e-3))} req/s `,
    );
  };
  let ticker: IDelayedCall | null = null;
  const tick = (): void => {
    progress();
    ticker = reactor.callLater(0.1, tick);
  };
  if (tty) ticker = reactor.callLater(0.1, tick);

  const worker = async (): Promise<void> => {
    while (started < total && performance.now() < deadline) {
      started++;
      const t = performance.now();
      try {
        const response = await agent.request('GET', url);
        await readBody(response);
        codes.set(response.code, (codes.get(response.code) ?? 0) + 1);
      } catch (err) {
        const e = err as Error & { code?: string };
        const kind = e.code ?? e.name;
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
      }
      latencies.push(performance.now() - t);
      finished++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (tty) {
    if (ticker?.active()) ticker.cancel();
    progress();
    process.stdout.write('\n');
  }
  await pool.closeCachedConnections();

  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const ms = (v: number): string => `${v.toFixed(2)} ms`;
  console.log(`requests:    ${finished} in ${elapsed.toFixed(2)} s`);
  console.log(`requests/s:  ${(finished / elapsed).toFixed(1)}`);
  console.log(`status:      ${[...codes].map(([c, n]) => `${c}: ${n}`).join(', ') || '-'}`);
  console.log(`errors:      ${[...errors].map(([k, n]) => `${k}: ${n}`).join(', ') || '0'}`);
  console.log(
    `latency:     p50 ${ms(percentile(latencies, 50))}, p90 ${ms(percentile(latencies, 90))}, ` +
      `p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1] ?? 0)}`,
  );
  return errors.size > 0 && codes.size === 0 ? 1 : 0;
}

if (values.help) {
  console.log(USAGE);
} else {
  let code = 0;
  reactor.callWhenRunning(async () => {
    try {
      code = await main();
    } catch (err) {
      console.error(err);
      code = 1;
    }
    reactor.stop();
  });
  await reactor.run();
  process.exitCode = code;
}
