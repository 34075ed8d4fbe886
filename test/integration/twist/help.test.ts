import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTwist } from './twist-process.js';

// The help texts and usage errors are checked in detail in-process (src/cli/twist.test.ts); these
// run the real bin once each.
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

  it('exits 2 with the problem and the usage for a bad plugin option', async () => {
    const twist = startTwist(['portforward', '--dest-port', 'http']);
    assert.equal(await twist.exited, 2);
    assert.match(
      twist.output(),
      /twist: error: portforward: --dest-port must be a port number \(1-65535\), got "http"\nUsage: twist \[options\] portforward \[options\]\n/,
    );
  });
});
