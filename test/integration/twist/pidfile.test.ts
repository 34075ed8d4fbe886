import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startTwist } from './twist-process.js';

const dir = mkdtempSync(join(tmpdir(), 'twist-pidfile-it-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LISTEN = ['echo', '--listen', 'tcp:0:interface=127.0.0.1'];

describe('twist --pidfile', () => {
  it('writes its pid, makes a second twist refuse to start, and removes the file on exit', async (t) => {
    const pidfile = join(dir, 'twist.pid');
    const first = startTwist(['--pidfile', pidfile, ...LISTEN]);
    t.after(() => first.kill());
    await first.waitFor(/Listening on/);
    assert.equal(readFileSync(pidfile, 'utf8'), `${first.child.pid}\n`);

    const second = startTwist(['--pidfile', pidfile, ...LISTEN]);
    t.after(() => second.kill());
    assert.equal(await second.exited, 1);
    assert.match(
      second.output(),
      new RegExp(`says process ${first.child.pid} is running: refusing to start`),
    );
    assert.equal(readFileSync(pidfile, 'utf8'), `${first.child.pid}\n`);

    first.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.equal(existsSync(pidfile), false);
  });

  it('replaces a stale pidfile', async (t) => {
    const pidfile = join(dir, 'stale.pid');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(pidfile, `${gone.stdout}\n`);
    const twist = startTwist(['--pidfile', pidfile, ...LISTEN]);
    t.after(() => twist.kill());
    await twist.waitFor(/Listening on/);
    assert.equal(readFileSync(pidfile, 'utf8'), `${twist.child.pid}\n`);
    twist.kill('SIGTERM');
    assert.equal(await twist.exited, 0);
  });
});
