import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AllowAnonymousAccess,
  ANONYMOUS,
  type AvatarId,
  InMemoryUsernamePasswordDatabase,
} from './checkers.js';
import { Anonymous, type InterfaceName, SSHPrivateKey, UsernamePassword } from './credentials.js';
import { UnauthorizedLogin, UnhandledCredentials } from './error.js';
import { type IRealm, Portal } from './portal.js';

class Avatar {
  constructor(readonly id: AvatarId) {}
}

function realm(loggedOut: AvatarId[]): IRealm<Avatar> {
  return {
    requestAvatar(id: AvatarId, _mind: unknown, ...interfaces: InterfaceName[]) {
      if (!interfaces.includes('IShell')) throw new Error('realm supports only IShell');
      return { interface: 'IShell', avatar: new Avatar(id), logout: () => loggedOut.push(id) };
    },
  };
}

describe('Portal', () => {
  it('logs in through the matching checker and returns interface, avatar and logout', async () => {
    const loggedOut: AvatarId[] = [];
    const portal = new Portal(realm(loggedOut), [new InMemoryUsernamePasswordDatabase({ alice: 'secret' })]);
    const result = await portal.login(new UsernamePassword('alice', 'secret'), null, 'IOther', 'IShell');
    assert.equal(result.interface, 'IShell');
    assert.equal(result.avatar.id, 'alice');
    result.logout();
    assert.deepEqual(loggedOut, ['alice']);
  });

  it('fails with UnauthorizedLogin when the checker refuses', async () => {
    const portal = new Portal(realm([]), [new InMemoryUsernamePasswordDatabase({ alice: 'secret' })]);
    await assert.rejects(
      portal.login(new UsernamePassword('alice', 'wrong'), null, 'IShell').asPromise(),
      UnauthorizedLogin,
    );
  });

  it('fails with UnhandledCredentials when no checker handles the credentials', async () => {
    const portal = new Portal(realm([]), [new AllowAnonymousAccess()]);
    await assert.rejects(
      portal.login(new SSHPrivateKey('a', 'ssh-ed25519', Buffer.alloc(0)), null, 'IShell').asPromise(),
      UnhandledCredentials,
    );
  });

  it('passes the anonymous avatar id to the realm', async () => {
    const portal = new Portal(realm([]));
    portal.registerChecker(new AllowAnonymousAccess());
    const result = await portal.login(new Anonymous(), null, 'IShell');
    assert.equal(result.avatar.id, ANONYMOUS);
    assert.deepEqual(portal.listCredentialsInterfaces(), ['IAnonymous']);
  });

  it('propagates the realm error when it supports none of the interfaces', async () => {
    const portal = new Portal(realm([]), [new AllowAnonymousAccess()]);
    await assert.rejects(portal.login(new Anonymous(), null, 'IFTP').asPromise(), /supports only IShell/);
  });
});
