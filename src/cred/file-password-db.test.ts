import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { capturedLogs } from '../logger/capture.js';
import { UsernamePassword } from './credentials.js';
import { UnauthorizedLogin } from './error.js';
import { FilePasswordDB, parsePasswordFile } from './file-password-db.js';
import { hashPassword } from './password-hash.js';

describe('parsePasswordFile', () => {
  it('skips comments and blank lines and splits at the first colon', () => {
    const users = parsePasswordFile('# users\n\nalice:$scrypt$a:b\r\nnocolon\n:empty\n');
    assert.deepEqual([...users], [['alice', '$scrypt$a:b']]);
  });
});

describe('FilePasswordDB', () => {
  let dir = '';
  let path = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'twisted-ts-cred-'));
    path = join(dir, 'passwd');
    const alice = await hashPassword('secret', { N: 1024 });
    writeFileSync(path, `alice:${alice}\nplain:secret\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the password matching the stored scrypt hash', async () => {
    assert.equal(
      await new FilePasswordDB(path).requestAvatarId(new UsernamePassword('alice', 'secret')),
      'alice',
    );
  });

  it('gives the same UnauthorizedLogin for an unknown user and a wrong password', async () => {
    const db = new FilePasswordDB(path);
    const wrong = await db.requestAvatarId(new UsernamePassword('alice', 'nope')).catch((e: unknown) => e);
    const unknown = await db.requestAvatarId(new UsernamePassword('bob', 'secret')).catch((e: unknown) => e);
    assert.ok(wrong instanceof UnauthorizedLogin);
    assert.ok(unknown instanceof UnauthorizedLogin);
    assert.equal(wrong.message, unknown.message);
  });

  it('never accepts a plaintext password stored in the file', async () => {
    await assert.rejects(
      new FilePasswordDB(path).requestAvatarId(new UsernamePassword('plain', 'secret')),
      UnauthorizedLogin,
    );
  });

  it('refuses logins and logs an error when the file cannot be read', async () => {
    const logs = capturedLogs();
    try {
      await assert.rejects(
        new FilePasswordDB(join(dir, 'missing')).requestAvatarId(new UsernamePassword('alice', 'secret')),
        UnauthorizedLogin,
      );
    } finally {
      logs.restore();
    }
    assert.match(logs.messages().join('\n'), /Unable to read password file .*missing/);
  });

  it('re-reads the file unless cache is set', async () => {
    const p2 = join(dir, 'passwd2');
    writeFileSync(p2, '');
    const live = new FilePasswordDB(p2);
    const cached = new FilePasswordDB(p2, { cache: true });
    await assert.rejects(cached.requestAvatarId(new UsernamePassword('carol', 'pw')), UnauthorizedLogin);
    writeFileSync(p2, `carol:${await hashPassword('pw', { N: 1024 })}\n`);
    assert.equal(await live.requestAvatarId(new UsernamePassword('carol', 'pw')), 'carol');
    await assert.rejects(cached.requestAvatarId(new UsernamePassword('carol', 'pw')), UnauthorizedLogin);
  });
});
