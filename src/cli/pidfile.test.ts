import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { acquirePidfile, isProcessAlive, PidfileInUseError } from './pidfile.js';

const dir = mkdtempSync(join(tmpdir(), 'twist-pidfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('acquirePidfile', () => {
  it('writes our pid and removes the file on release', () => {
    const path = join(dir, 'a.pid');
    const pidfile = acquirePidfile(path);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
    pidfile.release();
    assert.equal(existsSync(path), false);
  });

  it('refuses when a live process owns the file', () => {
    const path = join(dir, 'b.pid');
    writeFileSync(path, `${process.ppid}\n`);
    assert.throws(() => acquirePidfile(path), PidfileInUseError);
    assert.equal(readFileSync(path, 'utf8'), `${process.ppid}\n`);
  });

  it('replaces a stale pidfile whose process is gone', () => {
    const path = join(dir, 'c.pid');
    const stale = deadPid();
    assert.equal(isProcessAlive(stale), false);
    writeFileSync(path, `${stale}\n`);
    const pidfile = acquirePidfile(path);
    assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`);
    pidfile.release();
  });

  it('replaces a pidfile with garbage in it', () => {
    const path = join(dir, 'd.pid');
    writeFileSync(path, 'not a pid');
    acquirePidfile(path).release();
    assert.equal(existsSync(path), false);
  });

  it('leaves a file another process took over in place on release', () => {
    const path = join(dir, 'e.pid');
    const pidfile = acquirePidfile(path);
    writeFileSync(path, `${process.ppid}\n`);
    pidfile.release();
    assert.equal(readFileSync(path, 'utf8'), `${process.ppid}\n`);
  });
});
