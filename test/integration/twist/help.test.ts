import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTwist } from './twist-process.js';

describe('twist bin: help and usage', () => {
  it('lists its options and every registered plugin for --help and exits 0', async () => {
    const twist = startTwist(['--help']);
    assert.equal(await twist.exited, 0);
    const out = twist.output();
    assert.match(out, /^Usage: twist \[options\] PLUGIN \[plugin options\]\n/);
    for (const option of [
      '--log-level',
      '--log-format',
      '--log-file',
      '--workers',
      '--shutdown-timeout',
      '--pidfile',
    ]) {
      assert.ok(out.includes(option), option);
    }
    for (const plugin of ['echo', 'discard', 'daytime', 'qotd', 'portforward', 'passwd']) {
      assert.match(out, new RegExp(`\\n {2}${plugin} +\\S`), plugin);
    }
  });

  it('prints a plugin help with its options and defaults', async () => {
    const twist = startTwist(['portforward', '--help']);
    assert.equal(await twist.exited, 0);
    assert.match(twist.output(), /^Usage: twist \[options\] portforward \[options\]\n/);
    assert.match(twist.output(), /--dest-port=PORT/);
    assert.match(twist.output(), /--host=HOST .*\[default: localhost\]/);
  });

  it('exits 2 with the problem and the usage for a bad option', async () => {
    const twist = startTwist(['echo', '--bogus']);
    assert.equal(await twist.exited, 2);
    assert.match(
      twist.output(),
      /twist: error: echo: Unknown option '--bogus'\nUsage: twist \[options\] echo \[options\]\n/,
    );
  });
});
