/**
 * `IRefable`: an unref'd delayed call, and the idle keep-alive connections (and sweep timer) of an
 * `HTTPConnectionPool`, never keep a process alive by themselves. Each scenario runs in a child that
 * must exit on its own; were anything still holding it, the child would wait ten minutes and the
 * test's timeout would fail it.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { killChildren, startChild } from './fixtures/child.js';

const FIXTURE = 'test/integration/fixtures/unref.ts';
const LIMIT = { timeout: 60_000 };

after(killChildren);

async function run(...args: string[]): Promise<string> {
  const outcome = await startChild(FIXTURE, args).done;
  assert.equal(outcome.code, 0, outcome.stderr);
  return outcome.stdout;
}

describe('delayed calls of NodeReactor', () => {
  it("an unref'd call lets the process exit without running", LIMIT, async () => {
    assert.equal(await run('unref'), 'scheduled\n');
  });

  it('ref() after unref() holds the process until the call has run', LIMIT, async () => {
    assert.equal(await run('ref-again'), 'ran\n');
  });

  it("a ref'd call holds the process; once it has run, an unref'd one no longer does", LIMIT, async () => {
    assert.equal(await run('mixed'), 'due\n');
  });

  it("cancelling the only ref'd call releases the process", LIMIT, async () => {
    assert.equal(await run('cancel-ref'), 'cancelled\n');
  });
});

describe('HTTPConnectionPool', () => {
  let server: Server;
  before(async () => {
    server = createServer((_req, res) => res.end('hello'));
    server.keepAliveTimeout = 0; // never closes an idle connection itself
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('keeps the idle connection, yet the process exits once the response is read', LIMIT, async () => {
    const { port } = server.address() as AddressInfo;
    assert.equal(await run('pool', `http://127.0.0.1:${port}/`), 'body hello, idle 1\n');
  });
});
