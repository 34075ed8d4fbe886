import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowAnonymousAccess, ANONYMOUS, InMemoryUsernamePasswordDatabase } from './checkers.js';
import { Anonymous, CramMD5Credentials, ICredentials, UsernamePassword } from './credentials.js';
import { UnauthorizedLogin } from './error.js';

describe('InMemoryUsernamePasswordDatabase', () => {
  const db = new InMemoryUsernamePasswordDatabase({ alice: 'secret' });

  it('resolves to the username for the right password', async () => {
    assert.equal(await db.requestAvatarId(new UsernamePassword('alice', 'secret')), 'alice');
  });

  it('gives the same UnauthorizedLogin for an unknown user and a wrong password', async () => {
    const wrong = await db.requestAvatarId(new UsernamePassword('alice', 'nope')).catch((e: unknown) => e);
    const unknown = await db
      .requestAvatarId(new UsernamePassword('mallory', 'secret'))
      .catch((e: unknown) => e);
    assert.ok(wrong instanceof UnauthorizedLogin);
    assert.ok(unknown instanceof UnauthorizedLogin);
    assert.equal(wrong.message, unknown.message);
  });

  it('does the same work for an unknown user as for a known one: one password check', async () => {
    const checked: string[] = [];
    const probe = (username: string) => ({
      credentialInterfaces: [ICredentials.IUsernameHashedPassword],
      username,
      checkPassword(password: string): boolean {
        checked.push(username);
        return password === 'never';
      },
    });
    await assert.rejects(db.requestAvatarId(probe('alice')), UnauthorizedLogin);
    await assert.rejects(db.requestAvatarId(probe('mallory')), UnauthorizedLogin);
    assert.deepEqual(checked, ['alice', 'mallory']);
  });

  it('checks CRAM-MD5 responses against the stored password', async () => {
    const users = new InMemoryUsernamePasswordDatabase();
    users.addUser('tim', 'tanstaaftanstaaf');
    const c = new CramMD5Credentials('h', '<1896.697170952@postoffice.reston.mci.net>');
    c.setResponse('tim b913a602c7eda7a495b4e6e7334d3890');
    assert.equal(await users.requestAvatarId(c), 'tim');
  });

  it('refuses credentials without a username and password check', async () => {
    await assert.rejects(Promise.resolve(db.requestAvatarId(new Anonymous())), UnauthorizedLogin);
  });
});

describe('AllowAnonymousAccess', () => {
  it('resolves to ANONYMOUS', () => {
    assert.equal(new AllowAnonymousAccess().requestAvatarId(new Anonymous()), ANONYMOUS);
  });
});
