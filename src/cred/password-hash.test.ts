import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { burnVerification, hashPassword, isPasswordHash, verifyPassword } from './password-hash.js';

const fast = { N: 1024 } as const;

describe('hashPassword / verifyPassword', () => {
  it('produces a self-describing scrypt string with the default parameters', async () => {
    const encoded = await hashPassword('secret');
    assert.match(encoded, /^\$scrypt\$N=16384,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('secret', encoded), true);
  });

  it('salts every hash differently', async () => {
    assert.notEqual(await hashPassword('same', fast), await hashPassword('same', fast));
  });

  it('rejects a wrong password', async () => {
    assert.equal(await verifyPassword('Secret', await hashPassword('secret', fast)), false);
  });

  it('never accepts plaintext or malformed strings', async () => {
    assert.equal(isPasswordHash('secret'), false);
    assert.equal(await verifyPassword('secret', 'secret'), false);
    assert.equal(await verifyPassword('x', '$scrypt$N=3,r=8,p=1$AAAA$AAAA'), false);
  });

  it('burns a verification for unknown users without throwing', async () => {
    await burnVerification('anything', await hashPassword('x', fast));
    await burnVerification('anything');
  });
});
