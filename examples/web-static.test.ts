import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/web-static.ts', () => {
  it('serves the folder, its index page, a dynamic resource, and 404 for the rest', async () => {
    const server = startChild('examples/web-static.ts', ['--port', '0']);
    const base = `http://127.0.0.1:${(await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]}`;

    const index = await fetch(`${base}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await index.text(), readFileSync('examples/htm/index.html', 'utf8'));

    const about = await fetch(`${base}/about.html`);
    assert.equal(await about.text(), readFileSync('examples/htm/about.html', 'utf8'));

    const hello = await fetch(`${base}/hello?name=Ada`);
    assert.equal(await hello.text(), 'Hello, Ada!');

    const missing = await fetch(`${base}/missing.html`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await startChild('examples/web-static.ts', ['--help']).done;
    assert.equal(code, 0);
    assert.match(stdout, /^usage: /);
  });
});
