import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Clock } from '../testing/clock.js';
import { Data } from './data.js';
import {
  HeaderAddingResource,
  makeWebSite,
  WebOptionError,
  type WebSiteValues,
  webOptions,
} from './service.js';
import { File } from './static/file.js';
import { connect, testSite } from './test-support.js';

const values = (over: Partial<WebSiteValues> = {}): WebSiteValues => ({
  path: 'examples/site',
  index: ['index.html'],
  'add-header': [],
  'mime-type': [],
  'display-tracebacks': false,
  ...over,
});

describe('twist web site builder', () => {
  it('declares tcp:8080 and the current directory as defaults', () => {
    assert.deepEqual(webOptions.options.listen.default, ['tcp:8080']);
    assert.equal(webOptions.options.path.default, '.');
    assert.deepEqual(webOptions.options.index.default, ['index.html']);
  });

  it('serves --path with a File, wrapped to add the --add-header fields', () => {
    const plain = makeWebSite(values(), new Clock());
    assert.ok(plain.resource instanceof File);
    const site = makeWebSite(values({ 'add-header': ['X-A: 1'], 'display-tracebacks': true }), new Clock());
    assert.ok(site.resource instanceof HeaderAddingResource);
    assert.equal(site.displayTracebacks, true);
  });

  it('rejects a malformed --add-header or --mime-type and a missing --path', () => {
    assert.throws(() => makeWebSite(values({ 'add-header': ['no colon'] }), new Clock()), WebOptionError);
    assert.throws(() => makeWebSite(values({ 'add-header': ['X: a\rb'] }), new Clock()), WebOptionError);
    assert.throws(() => makeWebSite(values({ 'mime-type': ['css'] }), new Clock()), WebOptionError);
    assert.throws(() => makeWebSite(values({ path: '/no/such/dir/anywhere' }), new Clock()), /no such file/);
  });

  it('tries the --index names in order and serves the --mime-type types', async () => {
    const site = makeWebSite(
      values({ index: ['missing.html', 'style.css'], 'mime-type': ['.css=text/x-test'] }),
      new Clock(),
    );
    const logged = new Promise<void>((resolve) => {
      site.log = () => resolve();
    });
    const conn = connect(site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    await logged;
    const [r] = conn.responses();
    assert.equal(r?.status, 200);
    assert.deepEqual(r?.headers.get('content-type'), ['text/x-test']);
    assert.equal(r?.body.toString(), readFileSync('examples/site/style.css', 'utf8'));
  });

  it('adds the --add-header fields to every response', () => {
    const root = new HeaderAddingResource(new Data('x', 'text/plain'), [['X-A', '1']]);
    const conn = connect(testSite(root).site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.deepEqual(conn.responses()[0]?.headers.get('x-a'), ['1']);
  });
});
