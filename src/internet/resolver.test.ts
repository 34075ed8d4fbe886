import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { succeed } from './defer.js';
import { DNSLookupError } from './error.js';
import type { IPv4Address, IPv6Address } from './interfaces.js';

type Addr = IPv4Address | IPv6Address;

import { getResolver, type IHostnameResolver, resolve, SystemResolver, setResolver } from './resolver.js';

describe('resolve', () => {
  it('resolves localhost to 127.0.0.1', async () => {
    assert.equal(await resolve('localhost'), '127.0.0.1');
  });

  it('returns an IPv4 literal unchanged without a lookup', async () => {
    assert.equal(await resolve('10.1.2.3'), '10.1.2.3');
  });

  it('fails with DNSLookupError synchronously for a name under .invalid', () => {
    const d = resolve('nothing-here.invalid');
    let error: unknown;
    d.addErrback((err) => {
      error = err;
    });
    assert.ok(error instanceof DNSLookupError);
    assert.match((error as Error).message, /nothing-here\.invalid/);
  });

  it('uses the resolver passed in the options', async () => {
    const calls: string[] = [];
    const fake: IHostnameResolver = {
      resolveHostName(name) {
        calls.push(name);
        return succeed<Addr[]>([{ type: 'TCP', family: 'IPv4', host: '192.0.2.7', port: 0 } as IPv4Address]);
      },
    };
    assert.equal(await resolve('example.test', { resolver: fake }), '192.0.2.7');
    assert.deepEqual(calls, ['example.test']);
  });

  it("uses the reactor's nameResolver when it has one", async () => {
    const fake: IHostnameResolver = {
      resolveHostName: () =>
        succeed<Addr[]>([{ type: 'TCP', family: 'IPv4', host: '192.0.2.9', port: 0 } as IPv4Address]),
    };
    assert.equal(await resolve('x.test', { reactor: { nameResolver: fake } }), '192.0.2.9');
  });

  it('uses the resolver installed with setResolver and gives back the previous one', async () => {
    const fake: IHostnameResolver = {
      resolveHostName: () =>
        succeed<Addr[]>([{ type: 'TCP', family: 'IPv4', host: '192.0.2.1', port: 0 } as IPv4Address]),
    };
    const previous = setResolver(fake);
    try {
      assert.equal(getResolver(), fake);
      assert.equal(await resolve('anything.test'), '192.0.2.1');
    } finally {
      assert.equal(setResolver(previous), fake);
    }
  });

  it('fails with DNSLookupError when the resolver finds only IPv6 addresses', async () => {
    const fake: IHostnameResolver = {
      resolveHostName: () =>
        succeed<Addr[]>([{ type: 'TCP', family: 'IPv6', host: '::1', port: 0 } as IPv6Address]),
    };
    await assert.rejects(resolve('v6only.test', { resolver: fake }).asPromise(), DNSLookupError);
  });
});

describe('SystemResolver', () => {
  const resolver = new SystemResolver();

  it('resolves localhost to loopback addresses carrying the port and the transport type', async () => {
    const addrs = await resolver.resolveHostName('localhost', 8080, { transportSemantics: 'UDP' });
    assert.ok(addrs.length > 0);
    for (const a of addrs) {
      assert.equal(a.port, 8080);
      assert.equal(a.type, 'UDP');
      assert.ok(a.host === '127.0.0.1' || a.host === '::1', a.host);
    }
  });

  it('returns only the families asked for', async () => {
    const addrs = await resolver.resolveHostName('localhost', 1, { addressTypes: ['IPv4'] });
    assert.deepEqual(
      addrs.map((a) => a.family),
      addrs.map(() => 'IPv4'),
    );
    assert.ok(addrs.length > 0);
  });

  it('resolves an IPv6 literal to itself with the IPv6 family', async () => {
    assert.deepEqual(await resolver.resolveHostName('::1', 53), [
      { type: 'TCP', family: 'IPv6', host: '::1', port: 53 },
    ]);
  });

  it('fails for an IPv6 literal when only IPv4 is asked for', async () => {
    await assert.rejects(
      resolver.resolveHostName('::1', 53, { addressTypes: ['IPv4'] }).asPromise(),
      DNSLookupError,
    );
  });

  it('fails with DNSLookupError for the bare invalid name and a trailing-dot .invalid name', async () => {
    await assert.rejects(resolver.resolveHostName('invalid').asPromise(), DNSLookupError);
    await assert.rejects(resolver.resolveHostName('a.b.INVALID.').asPromise(), DNSLookupError);
  });

  it('errbacks with CancelledError when cancelled before the lookup answers', async () => {
    const d = resolver.resolveHostName('localhost');
    d.cancel();
    await assert.rejects(d.asPromise(), { name: 'CancelledError' });
  });
});
