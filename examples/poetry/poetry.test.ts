import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { after, describe, it } from 'node:test';
import { type Child, killChildren, startChild } from '../../test/integration/fixtures/child.js';
import { formatElapsed, parseAddress } from './common.js';

after(killChildren);

const POEM = 'examples/poetry/poems/shakespeare-sonnet-18.txt';
const POEM_BYTES = readFileSync(POEM).length;
const CLIENTS = ['sequential-client', 'select-client', 'client', 'deferred-client'] as const;

/** Starts a slow server and returns it with its port. */
async function slowServer(args: string[]): Promise<{ server: Child; port: string }> {
  const server = startChild('examples/poetry/slow-server.ts', ['--port', '0', ...args]);
  const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
  return { server, port };
}

/** Seconds from a `Got N poems in H:MM:SS.ss` line. */
function elapsed(stdout: string, poems: number): number {
  const m = new RegExp(`^Got ${poems} poems in (\\d+):(\\d\\d):(\\d\\d\\.\\d\\d)$`, 'm').exec(stdout);
  assert.ok(m, `no "Got ${poems} poems" line in:\n${stdout}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Bytes per task, summed from the progress lines. */
function bytesPerTask(stdout: string): Map<number, number> {
  const total = new Map<number, number>();
  for (const m of stdout.matchAll(/^Task (\d+): got (\d+) bytes of poetry from 127\.0\.0\.1:\d+$/gm)) {
    total.set(Number(m[1]), (total.get(Number(m[1])) ?? 0) + Number(m[2]));
  }
  return total;
}

describe('examples/poetry', () => {
  it('the sequential client takes about the sum of three downloads, the asynchronous ones about the longest', async () => {
    // Three equal servers: 4 pieces of 165 bytes, 0.25 s apart, so about 0.75 s per poem.
    const servers = await Promise.all(
      [0, 1, 2].map(() => slowServer(['--num-bytes', '165', '--delay', '0.25'])),
    );
    const ports = servers.map((s) => s.port);
    const runs = await Promise.all(
      CLIENTS.map(async (c) => ({ client: c, ...(await startChild(`examples/poetry/${c}.ts`, ports).done) })),
    );
    const times: Record<string, number> = {};
    for (const run of runs) {
      assert.equal(run.code, 0, `${run.client}: ${run.stderr}`);
      assert.deepEqual(
        bytesPerTask(run.stdout),
        new Map([
          [1, POEM_BYTES],
          [2, POEM_BYTES],
          [3, POEM_BYTES],
        ]),
        run.client,
      );
      times[run.client] = elapsed(run.stdout, 3);
    }
    // The figures quoted in docs/tutorial/01-models.md come from this line.
    console.log(`poetry timings (s): ${JSON.stringify(times)}`);
    assert.ok(times['sequential-client']! >= 2.0, `sequential took ${times['sequential-client']} s`);
    for (const c of CLIENTS.slice(1)) {
      assert.ok(times[c]! >= 0.6, `${c} took ${times[c]} s`);
      assert.ok(
        times['sequential-client']! / times[c]! > 1.8,
        `sequential/${c} = ${times['sequential-client']! / times[c]!}`,
      );
    }
  });

  it('every client reports a server that refuses the connection and still gets the other poem', async () => {
    const { port } = await slowServer(['--num-bytes', '400', '--delay', '0.01']);
    const closed = await slowServer([]);
    closed.server.process.kill('SIGINT');
    await closed.server.done;
    const runs = await Promise.all(
      CLIENTS.map((c) => startChild(`examples/poetry/${c}.ts`, [port, `127.0.0.1:${closed.port}`]).done),
    );
    for (const [i, run] of runs.entries()) {
      const c = CLIENTS[i];
      assert.equal(run.code, 0, `${c}: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`127\\.0\\.0\\.1:${closed.port}.*ECONNREFUSED`), c);
      elapsed(run.stdout, 1);
    }
  });

  it('the server sends the poem file byte for byte in pieces of --num-bytes', async () => {
    const { port } = await slowServer(['--num-bytes', '50', '--delay', '0', POEM]);
    const socket = createConnection(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of socket as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.deepEqual(Buffer.concat(chunks), readFileSync(POEM));
  });

  it('formats elapsed times as H:MM:SS.ss and reads host:port or port arguments', () => {
    assert.equal(formatElapsed(10_130), '0:00:10.13');
    assert.equal(formatElapsed(59_999), '0:01:00.00');
    assert.equal(formatElapsed(3_723_456), '1:02:03.46');
    assert.deepEqual(parseAddress('10000'), { host: '127.0.0.1', port: 10000 });
    assert.deepEqual(parseAddress('localhost:10001'), { host: 'localhost', port: 10001 });
    assert.throws(() => parseAddress('localhost:http'), /not a port/);
  });

  it('every program prints its usage with --help', async () => {
    const files = ['slow-server', ...CLIENTS];
    const runs = await Promise.all(files.map((f) => startChild(`examples/poetry/${f}.ts`, ['--help']).done));
    for (const [i, { code, stdout }] of runs.entries()) {
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /, files[i]);
    }
  });
});
