import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AllowAnonymousAccess, InMemoryUsernamePasswordDatabase } from '../cred/checkers.js';
import { UsernamePassword } from '../cred/credentials.js';
import { FilePasswordDB } from '../cred/file-password-db.js';
import { authOption, checkersFromAuthOption } from './auth-option.js';
import { formatHelp, type OptionsSchema, parseOptions, UsageError } from './options.js';

const schema = { options: { auth: authOption } } as const satisfies OptionsSchema;

describe('--auth (authOption, checkersFromAuthOption)', () => {
  it('turns every --auth value into a checker, in order', async () => {
    const { values } = parseOptions(schema, [
      '--auth',
      'memory:alice:secret',
      '--auth=file:/etc/app/passwd',
      '--auth',
      'anonymous',
    ]);
    const [memory, file, anonymous] = checkersFromAuthOption(values.auth);
    assert.ok(memory instanceof InMemoryUsernamePasswordDatabase);
    assert.equal(await memory.requestAvatarId(new UsernamePassword('alice', 'secret')), 'alice');
    assert.ok(file instanceof FilePasswordDB);
    assert.equal(file.path, '/etc/app/passwd');
    assert.ok(anonymous instanceof AllowAnonymousAccess);
  });

  it('gives no checker when --auth is absent', () => {
    assert.deepEqual(checkersFromAuthOption(parseOptions(schema, []).values.auth), []);
  });

  it('reports a bad description as a usage error naming it', () => {
    assert.throws(
      () => checkersFromAuthOption(['memory:alice']),
      (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(err.message, /^--auth "memory:alice": memory: needs USER:PASSWORD pairs/);
        return true;
      },
    );
    assert.throws(() => checkersFromAuthOption(['kerberos']), /unknown authentication kind "kerberos"/);
  });

  it('lists the kinds in --help', () => {
    const help = formatHelp(schema, { usage: 'twist x [options]' });
    assert.match(
      help,
      /--auth=AUTH +How users log in: memory:USER:PASSWORD.*file:PATH.*anonymous\. \(may be repeated\)/,
    );
  });
});
