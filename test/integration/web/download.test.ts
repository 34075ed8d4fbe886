import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./download-child.ts', import.meta.url));

describe('static.File download to a slow client', () => {
  it('serves 1 GiB over loopback with bounded memory: the file producer waits for the client', {
    timeout: 180_000,
  }, async () => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(1024 ** 3)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
    });
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    assert.equal(code, 0);
    const r = JSON.parse(out) as {
      received: number;
      ok: boolean;
      pauses: number;
      maxBuffered: number;
      rssGrowthMiB: number;
      arrayBuffersMiB: number;
      seconds: number;
    };
    console.log(
      `1 GiB static file to a slow client: ${r.seconds.toFixed(2)} s, file producer paused ${r.pauses} times, ` +
        `at most ${r.maxBuffered} bytes in the server transport, at most ${r.arrayBuffersMiB.toFixed(1)} MiB ` +
        `of live buffers, RSS growth ${r.rssGrowthMiB.toFixed(1)} MiB`,
    );
    assert.equal(r.received, 1024 ** 3);
    assert.equal(r.ok, true, 'the body matched the file: status 200, markers and holes in place');
    assert.ok(r.pauses > 100, 'the transport paused the file producer again and again');
    // The transport holds at most its 64 KiB high-water mark plus one 64 KiB chunk (and the head).
    assert.ok(r.maxBuffered <= 160 * 1024, `the server transport held ${r.maxBuffered} bytes`);
    // Buffers counted after a GC: a few chunks in flight, plus what V8's background sweeper has not
    // released yet (up to ~17 MiB seen on a loaded machine). Reading ahead would keep ~1 GiB.
    assert.ok(r.arrayBuffersMiB < 64, `${r.arrayBuffersMiB} MiB of buffers alive`);
    // RSS after a GC also counts the heap's and the allocator's sizing (~30 MiB here).
    assert.ok(r.rssGrowthMiB < 128, `RSS grew by ${r.rssGrowthMiB} MiB`);
  });
});
