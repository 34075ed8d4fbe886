import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killChildren, startChild } from '../test/integration/fixtures/child.js';
import { ctimeLike } from './timestamp-format.test-helpers.js';

after(killChildren);

describe('examples/timestamp-server.ts and examples/timestamp-client.ts', () => {
  it('answer each console line with a ctime() timestamp; an empty line ends the client', async () => {
    const server = startChild('examples/timestamp-server.ts', ['--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const client = startChild('examples/timestamp-client.ts', ['--port', port]);
    client.process.stdin!.write('first line\n');
    await client.line(/first line\n/);
    client.process.stdin!.write('second\n\n');
    const outcome = await client.done;
    assert.equal(outcome.code, 0, outcome.stderr);
    const lines = outcome.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, new RegExp(`^${ctimeLike} first line$`));
    assert.match(lines[1]!, new RegExp(`^${ctimeLike} second$`));
    server.process.kill('SIGTERM');
    assert.equal((await server.done).code, 0);
  });

  it('both print their usage with --help', async () => {
    for (const file of ['examples/timestamp-server.ts', 'examples/timestamp-client.ts']) {
      const { code, stdout } = await startChild(file, ['--help']).done;
      assert.equal(code, 0);
      assert.match(stdout, /^usage: /);
    }
  });
});
