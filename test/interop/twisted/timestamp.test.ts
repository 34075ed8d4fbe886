import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ctimeLike } from '../../../examples/timestamp-format.test-helpers.js';
import { killChildren, startChild } from '../../integration/fixtures/child.js';
import { runPython } from './python.js';

after(killChildren);

describe('the timestamp server example against a Python socket client', () => {
  it('answers each CRLF line with a ctime() stamp Python agrees with, and closes on an empty line', {
    timeout: 60_000,
  }, async () => {
    const server = startChild('examples/timestamp-server.ts', ['--port', '0']);
    const port = (await server.line(/listening on 127\.0\.0\.1:(\d+)/))[1]!;
    const { code, stdout, stderr } = await runPython('timestamp_client.py', [port]).done;
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n');
    assert.match(lines[0]!, new RegExp(`^${ctimeLike} hello from python\\r?$`));
    assert.match(lines[1]!, new RegExp(`^${ctimeLike} second line\\r?$`));
    assert.equal(lines[2], 'closed');
    assert.equal(lines[3], 'ctime ok', 'Python parses each stamp as ctime() and finds the right time');
    server.process.kill('SIGINT');
    assert.equal((await server.done).code, 0);
  });
});
