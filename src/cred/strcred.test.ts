import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowAnonymousAccess, ANONYMOUS, InMemoryUsernamePasswordDatabase } from './checkers.js';
import { Anonymous, UsernamePassword } from './credentials.js';
import { InvalidAuthDescription } from './error.js';
import { FilePasswordDB } from './file-password-db.js';
import { checkerFromString } from './strcred.js';

describe('checkerFromString', () => {
  it('builds an in-memory database from memory:USER:PW pairs', async () => {
    const checker = checkerFromString('memory:alice:secret:bob:pw');
    assert.ok(checker instanceof InMemoryUsernamePasswordDatabase);
    assert.equal(await checker.requestAvatarId(new UsernamePassword('bob', 'pw')), 'bob');
  });

  it('builds a FilePasswordDB from file:PATH, keeping colons in the path', () => {
    const checker = checkerFromString('file:/tmp/a:b');
    assert.ok(checker instanceof FilePasswordDB);
    assert.equal(checker.path, '/tmp/a:b');
  });

  it('builds anonymous access from anonymous', () => {
    const checker = checkerFromString('anonymous');
    assert.ok(checker instanceof AllowAnonymousAccess);
    assert.equal(checker.requestAvatarId(new Anonymous()), ANONYMOUS);
  });

  it('rejects unknown kinds and malformed arguments', () => {
    for (const bad of ['unix', 'memory:alice', 'memory:', 'file:', 'anonymous:x']) {
      assert.throws(() => checkerFromString(bad), InvalidAuthDescription, bad);
    }
  });
});
