/**
 * Every benchmark still runs: `npm run bench -- NAME` with the smallest parameters exits 0 and
 * prints a ratio to its comparator. No figure is checked (a timed test on a shared machine would be
 * flaky); this only keeps the benchmarks from rotting between the sessions that run them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The smallest run of each benchmark, and the ratio line it must print. */
const quick: Record<string, { args: string[]; ratio: RegExp }> = {
  deferred: { args: ['1'], ratio: /ratio Deferred\/Promise: best [\d.]+x/ },
  echo: {
    args: ['--seconds', '0.05', '--rounds', '1', '--idle', '50'],
    ratio: /short connections \(conn\/s\)\s+[\d.]+\s+[\d.]+\s+[\d.]+/,
  },
  'http-client': { args: ['0.2'], ratio: /ratio twisted-ts \/ undici: [\d.]+x/ },
  http: { args: ['0.2', '1'], ratio: /RSS per idle keep-alive conn .* [\d.]+x \(lower is better\)/ },
  lines: { args: ['1'], ratio: /LineReceiver \/ readline: +[\d.]+x/ },
  'tls-echo': { args: ['1', '2'], ratio: /ratio twisted-ts \/ node:tls = [\d.]+/ },
};

describe('benchmarks', { concurrency: 2 }, () => {
  it('has a quick run for every benchmark in bench/', () => {
    const names = readdirSync('bench')
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(names, Object.keys(quick).sort());
  });

  for (const [name, { args, ratio }] of Object.entries(quick)) {
    it(`npm run bench -- ${name} ${args.join(' ')} prints its ratio`, async () => {
      const { stdout } = await run(process.execPath, ['scripts/bench.mjs', name, ...args], {
        timeout: 120_000,
        maxBuffer: 1 << 24,
      });
      assert.match(stdout, ratio);
    });
  }
});
