import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPeer, startServer, type TestServer } from './harness.js';

let server: TestServer;
before(() => {
  server = startServer();
});
after(() => server.stop());

describe('interop: wrk keep-alive load against twisted-ts web', () => {
  it('serves a second of keep-alive load without errors or non-2xx answers', async () => {
    const r = await runPeer('wrk', ['-t1', '-c8', '-d1s', `${server.url}/hello`], 'apt-get install -y wrk');
    const out = r.stdout.toString();
    assert.equal(r.code, 0, r.stderr);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    assert.ok(rps > 100, `too slow or broken: ${out}`);
    assert.doesNotMatch(out, /Non-2xx|Socket errors/, out);
  });
});
