import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/hello-install.ts', () => {
  it('runs on the installed logging reactor, and a second install fails', async () => {
    const { code, stdout, stderr } = await startChild('examples/hello-install.ts').done;
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        '[reactor] callWhenRunning',
        '[reactor] run',
        'Hello, world!',
        'a second installReactor fails: ReactorAlreadyInstalledError',
        '[reactor] stop',
        '',
      ].join('\n'),
    );
  });

  it('prints only the greeting and the failed install with --quiet, and its usage with --help', async () => {
    const [quiet, help] = await Promise.all([
      startChild('examples/hello-install.ts', ['--quiet']).done,
      startChild('examples/hello-install.ts', ['--help']).done,
    ]);
    assert.equal(
      quiet.stdout,
      'Hello, world!\na second installReactor fails: ReactorAlreadyInstalledError\n',
    );
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: .*hello-install\.ts/);
  });
});
