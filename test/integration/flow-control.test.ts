import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/flow-control.ts', import.meta.url));

describe('TCP flow control', () => {
  it('moves 1 GiB from a fast producer to a slow reader in order, with bounded memory', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', fixture, String(1024 ** 3)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const result = JSON.parse(out) as {
      received: number;
      ok: boolean;
      pauses: number;
      maxBuffered: number;
      rssGrowthMiB: number;
      seconds: number;
    };
    console.log(
      `1 GiB through a slow reader: ${result.seconds.toFixed(2)} s, producer paused ${result.pauses} times, ` +
        `at most ${result.maxBuffered} bytes buffered, RSS growth ${result.rssGrowthMiB.toFixed(1)} MiB`,
    );
    assert.equal(result.received, 1024 ** 3);
    assert.equal(result.ok, true, 'every byte matched the sender stream, in order');
    assert.ok(result.pauses > 0, 'the transport paused the producer');
    // What the process holds: the sending transport never buffers more than ~1 MiB (64 KiB + a chunk).
    assert.ok(result.maxBuffered <= 1024 * 1024, `the transport buffered ${result.maxBuffered} bytes`);
    // RSS after a GC: the residue is heap and allocator sizing (~8-13 MiB here, the same for 256 MiB
    // or 1 GiB). With flow control off, the producer's copies make it grow by ~1 GiB.
    assert.ok(result.rssGrowthMiB < 32, `RSS grew by ${result.rssGrowthMiB} MiB`);
  });
});
