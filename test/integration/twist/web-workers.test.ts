import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ROOT, startTwist } from './twist-process.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('twist web --workers (the option after the plugin name)', () => {
  it('runs two worker processes sharing one port, each serving the directory', async (t) => {
    const twist = startTwist([
      'web',
      '--listen',
      'tcp:0:interface=127.0.0.1',
      '--path',
      `${ROOT}/examples/site`,
      '--workers',
      '2',
    ]);
    t.after(() => twist.kill());
    const listening = await twist.waitForAll(
      /Worker (\d) \(pid (\d+)\) is listening on 127\.0\.0\.1:(\d+)/g,
      2,
    );
    const ports = new Set(listening.map((m) => m[3]));
    assert.equal(ports.size, 1, 'both workers share one port');
    assert.equal(new Set(listening.map((m) => m[2])).size, 2, 'two distinct worker processes');
    const page = await get(Number([...ports][0]), '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /event-driven networking engine for TypeScript/);
    twist.kill('SIGTERM');
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /All workers stopped/);
  });

  it('refuses a --workers value after the plugin name that is not a positive integer', async () => {
    const twist = startTwist(['web', '--listen', 'tcp:0:interface=127.0.0.1', '--workers', '0']);
    assert.equal(await twist.exited, 2);
    assert.match(twist.output(), /twist: error: web: --workers must be a positive integer, got "0"/);
  });
});
