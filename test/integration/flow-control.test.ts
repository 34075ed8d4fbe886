import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('./fixtures/flow-control.ts', import.meta.url));

describe('TCP flow control', () => {
  it('moves 1 GiB from a fast producer to a slow reader in order, with bounded memory', {
    timeout: 60_000,
  }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(1024 ** 3)], {
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
      rssGrowthMiB: number;
      seconds: number;
    };
    console.log(
      `1 GiB through a slow reader: ${result.seconds.toFixed(2)} s, RSS growth ${result.rssGrowthMiB} MiB`,
    );
    assert.equal(result.received, 1024 ** 3);
    assert.equal(result.ok, true, 'every byte matched the sender stream, in order');
    // Growth is allocator/GC slack (the same ~35 MiB for 64 MiB or 1 GiB); unbounded buffering would be ~1 GiB.
    assert.ok(result.rssGrowthMiB < 64, `RSS grew by ${result.rssGrowthMiB} MiB`);
  });
});
