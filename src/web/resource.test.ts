import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Data, Redirect } from './data.js';
import type { Request } from './request.js';
import {
  ErrorPage,
  ForbiddenResource,
  getChildForRequest,
  type IResource,
  NoResource,
  Resource,
} from './resource.js';
import { connect, type ParsedResponse, testSite } from './test-support.js';

function get(root: IResource, path: string, method = 'GET'): ParsedResponse {
  const conn = connect(testSite(root).site);
  conn.send(`${method} ${path} HTTP/1.1\r\nHost: h\r\n\r\n`);
  return conn.responses()[0]!;
}

class Echo extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    return `${request.prepath.join('/')}|${request.postpath.join('/')}`;
  }
}

describe('Resource trees', () => {
  it('walks static children, then getChild, until a leaf takes the rest of the path', () => {
    class Users extends Resource {
      override getChild(name: string): IResource {
        return name === 'bob' ? new Echo() : new NoResource();
      }
    }
    const root = new Resource();
    const users = new Users();
    root.putChild('users', users);
    assert.equal(root.getStaticEntity('users'), users);
    assert.deepEqual([...root.listStaticNames()], ['users']);
    assert.equal(get(root, '/users/bob/a/b%20c').body.toString(), 'users/bob|a/b c');
    assert.equal(get(root, '/users/alice').status, 404);
    assert.equal(get(root, '/nothing').status, 404);
  });

  it('prefers a static child over getChild, and reaches the trailing-slash child', () => {
    class Dynamic extends Resource {
      override getChild(name: string): IResource {
        return new Data(`dynamic ${name}`, 'text/plain');
      }
    }
    const root = new Dynamic();
    root.putChild('fixed', new Data('static', 'text/plain'));
    root.putChild('', new Data('home', 'text/plain'));
    assert.equal(get(root, '/fixed').body.toString(), 'static');
    assert.equal(get(root, '/other').body.toString(), 'dynamic other');
    assert.equal(get(root, '/').body.toString(), 'home');
    const request = { prepath: [] as string[], postpath: ['fixed', 'x'] } as unknown as Request;
    assert.ok(getChildForRequest(root, request) instanceof Data);
    assert.deepEqual([request.prepath, request.postpath], [['fixed'], ['x']], 'a leaf stops the walk');
  });

  it('lists the methods it renders, HEAD with GET', () => {
    class Form extends Resource {
      override isLeaf = true;
      render_GET(): string {
        return '';
      }
      render_POST(): string {
        return '';
      }
    }
    assert.deepEqual(new Form().allowedMethods(), ['GET', 'HEAD', 'POST']);
    const r = get(new Form(), '/', 'DELETE');
    assert.equal(r.status, 405);
    assert.deepEqual(r.headers.get('allow'), ['GET, HEAD, POST']);
    assert.match(r.body.toString(), /method &#34;DELETE&#34;/);
  });

  it('answers ErrorPage, NoResource and ForbiddenResource with their status and an escaped page', () => {
    const page = get(new ErrorPage(410, 'Gone <now>', 'moved to <b>x</b>'), '/any/path');
    assert.equal(page.status, 410);
    assert.match(page.body.toString(), /<title>410 - Gone &#60;now&#62;<\/title>/);
    assert.match(page.body.toString(), /moved to &#60;b&#62;x&#60;\/b&#62;/);
    assert.deepEqual(page.headers.get('content-type'), ['text/html; charset=utf-8']);
    assert.equal(get(new NoResource(), '/').status, 404);
    assert.equal(get(new ForbiddenResource(), '/x').status, 403);
  });

  it('serves Data with its type and Redirect with 302, Location and an escaped link', () => {
    const data = get(new Data(Buffer.from([1, 2, 3]), 'application/octet-stream'), '/');
    assert.deepEqual([...data.body], [1, 2, 3]);
    assert.deepEqual(data.headers.get('content-type'), ['application/octet-stream']);
    const r = get(new Redirect('/next?a=1&b="2"'), '/old');
    assert.equal(r.status, 302);
    assert.deepEqual(r.headers.get('location'), ['/next?a=1&b="2"']);
    assert.match(r.body.toString(), /href="\/next\?a=1&#38;b=&#34;2&#34;"/);
  });

  it('answers 500 when a render method returns something that is not a body', () => {
    class Wrong extends Resource {
      override isLeaf = true;
      render_GET(): string {
        return 42 as unknown as string;
      }
    }
    const { site } = testSite(new Wrong());
    const logged: unknown[] = [];
    site.logRenderError = (_r, err) => logged.push(err);
    const conn = connect(site);
    conn.send('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    assert.equal(conn.responses()[0]?.status, 500);
    assert.match(String(logged[0]), /a render method returned 42/);
  });
});
