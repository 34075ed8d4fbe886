import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  Anonymous,
  CramMD5Credentials,
  ICredentials,
  SSHPrivateKey,
  safeEqual,
  UsernameHashedPassword,
  UsernamePassword,
} from './credentials.js';

describe('credentials', () => {
  it('UsernamePassword checks its password and provides both username interfaces', () => {
    const c = new UsernamePassword('alice', 'secret');
    assert.equal(c.checkPassword('secret'), true);
    assert.equal(c.checkPassword('secreT'), false);
    assert.equal(c.checkPassword('secret!'), false);
    assert.deepEqual(c.credentialInterfaces, [
      ICredentials.IUsernamePassword,
      ICredentials.IUsernameHashedPassword,
    ]);
  });

  it('UsernameHashedPassword compares the stored value with the presented one', () => {
    const c = new UsernameHashedPassword('alice', 'abc123');
    assert.equal(c.checkPassword('abc123'), true);
    assert.equal(c.checkPassword('abc124'), false);
  });

  it('CramMD5Credentials accepts the RFC 2195 example response', () => {
    const c = new CramMD5Credentials(
      'postoffice.reston.mci.net',
      '<1896.697170952@postoffice.reston.mci.net>',
    );
    c.setResponse('tim b913a602c7eda7a495b4e6e7334d3890');
    assert.equal(c.username, 'tim');
    assert.equal(c.checkPassword('tanstaaftanstaaf'), true);
    assert.equal(c.checkPassword('wrong'), false);
    assert.equal(c.moreChallenges(), false);
  });

  it('CramMD5Credentials generates a distinct challenge naming the host', () => {
    const a = new CramMD5Credentials('mail.example.com').getChallenge();
    const b = new CramMD5Credentials('mail.example.com').getChallenge();
    assert.match(a, /^<\d+\.\d+@mail\.example\.com>$/);
    assert.notEqual(a, b);
  });

  it('SSHPrivateKey and Anonymous advertise their interfaces', () => {
    const key = new SSHPrivateKey('alice', 'ssh-ed25519', Buffer.from('blob'));
    assert.equal(key.signature, null);
    assert.deepEqual(key.credentialInterfaces, [ICredentials.ISSHPrivateKey]);
    assert.deepEqual(new Anonymous().credentialInterfaces, [ICredentials.IAnonymous]);
  });

  it('safeEqual is false for different lengths and true for equal bytes', () => {
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual('', 'a'), false);
    assert.equal(safeEqual('', ''), true);
    assert.equal(safeEqual(Buffer.from('xyz'), 'xyz'), true);
    assert.equal(safeEqual('é', Buffer.from([0xc3, 0xa9])), true);
  });

  it('safeEqual agrees with === on any two strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        assert.equal(safeEqual(a, b), a === b);
        assert.equal(safeEqual(a, a), true);
      }),
      { numRuns: 300 },
    );
  });
});
