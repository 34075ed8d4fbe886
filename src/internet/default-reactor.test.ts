import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getReactor, installReactor, reactor } from './default-reactor.js';
import { ReactorAlreadyInstalledError } from './error.js';
import { NodeReactor } from './reactor.js';

describe('the global reactor', () => {
  it('is the installed reactor, reached through the proxy with bound methods, and cannot be replaced', () => {
    const mine = new NodeReactor({ installSignalHandlers: false });
    installReactor(mine);
    assert.equal(getReactor(), mine);
    assert.equal(reactor.running, false);
    const { seconds } = reactor;
    const before = mine.seconds();
    const viaProxy = seconds();
    assert.ok(viaProxy >= before && viaProxy <= mine.seconds());
    assert.throws(() => installReactor(new NodeReactor()), ReactorAlreadyInstalledError);
    assert.equal('listenTCP' in reactor, true);
  });

  it('is created on first use, after which installReactor throws ReactorAlreadyInstalledError', async () => {
    // A fresh instance of the module (the query makes it a distinct module): nothing installed yet.
    const specifier: string = './default-reactor.js?first-use';
    const fresh = (await import(specifier)) as typeof import('./default-reactor.js');
    assert.equal(fresh.reactor.running, false); // first use: creates the default NodeReactor
    const created = fresh.getReactor();
    assert.ok(created instanceof NodeReactor);
    assert.throws(() => fresh.installReactor(new NodeReactor()), ReactorAlreadyInstalledError);
    assert.equal(fresh.getReactor(), created);
  });
});
