import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'undici';
import { startServer, type TestServer } from './harness.js';

let server: TestServer;
before(() => {
  server = startServer();
});
after(() => server.stop());

describe('interop: undici against twisted-ts web', () => {
  it('pipelines 30 requests on one connection and gets the answers in order', async () => {
    const client = new Client(server.url, { pipelining: 10 });
    try {
      const paths = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0 ? '/hello' : i % 3 === 1 ? '/data' : '/stream',
      );
      const bodies = await Promise.all(
        paths.map(async (path) => {
          const r = await client.request({ path, method: 'GET' });
          return `${r.statusCode} ${await r.body.text()}`;
        }),
      );
      assert.deepEqual(
        bodies,
        paths.map((p) =>
          p === '/hello'
            ? '200 Hello world!'
            : p === '/data'
              ? '200 {"ok":true}'
              : `200 ${[0, 1, 2, 3, 4].map((i) => `line ${i}\n`).join('')}`,
        ),
      );
    } finally {
      await client.close();
    }
  });

  it('streams a POST body and reads the echo', async () => {
    const client = new Client(server.url);
    try {
      const body = server.big.subarray(0, 300000);
      const r = await client.request({ path: '/echo', method: 'POST', body });
      const got = Buffer.from(await r.body.arrayBuffer());
      assert.ok(got.equals(body));
    } finally {
      await client.close();
    }
  });
});
