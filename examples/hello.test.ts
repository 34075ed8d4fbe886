import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';

after(killChildren);

describe('examples/hello.ts', () => {
  it('prints the greeting from inside the reactor and exits 0', async () => {
    const { code, stdout, stderr } = await startChild('examples/hello.ts', ['--name', 'Twisted']).done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello, Twisted!\n');
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await startChild('examples/hello.ts', ['--help']).done;
    assert.equal(code, 0);
    assert.match(stdout, /^usage: .*hello\.ts/);
  });
});
