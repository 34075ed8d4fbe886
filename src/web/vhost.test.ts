import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Data } from './data.js';
import { Resource } from './resource.js';
import { connect, testSite } from './test-support.js';
import { NameVirtualHost } from './vhost.js';

describe('NameVirtualHost', () => {
  it('serves the tree of the Host header, ignoring port and case, with a default for the rest', () => {
    const vhost = new NameVirtualHost();
    const a = new Resource();
    a.putChild('page', new Data('a page', 'text/plain'));
    vhost.addHost('a.example', a);
    vhost.addHost('leaf.example', new Data('leaf', 'text/plain'));
    const conn = connect(testSite(vhost).site);
    conn.send('GET /page HTTP/1.1\r\nHost: A.Example:8080\r\n\r\n');
    conn.send('GET /any/path HTTP/1.1\r\nHost: leaf.example\r\n\r\n');
    conn.send('GET /page HTTP/1.1\r\nHost: other.example\r\n\r\n');
    vhost.default = new Data('default', 'text/plain');
    conn.send('GET /x HTTP/1.1\r\nHost: other.example\r\n\r\n');
    assert.deepEqual(
      conn.responses().map((r) => `${r.status} ${r.body.toString().slice(0, 7)}`),
      ['200 a page', '200 leaf', '404 <html><', '200 default'],
    );
  });
});
