import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  getProcessOutput,
  getProcessOutputAndValue,
  getProcessValue,
  ProcessKilledError,
  ProcessStderrError,
} from './process-output.js';
import { ProcessSpawnError } from './process-protocol.js';

const SH = '/bin/sh';
const MISSING = '/nonexistent/twisted-ts-missing';

describe('getProcessOutput', () => {
  it('fires with what the program wrote to stdout, passing args after the executable', async () => {
    const out = await getProcessOutput(SH, ['-c', 'printf "%s-%s" "$0" "$1"', 'zero', 'one']);
    assert.equal(out.toString(), 'zero-one');
  });

  it('errbacks with ProcessStderrError when the program writes to stderr', async () => {
    await assert.rejects(getProcessOutput(SH, ['-c', 'printf bad >&2']).asPromise(), (err: unknown) => {
      assert.ok(err instanceof ProcessStderrError);
      assert.equal(err.stderr.toString(), 'bad');
      return true;
    });
  });

  it('mixes stderr into the output with errortoo', async () => {
    const out = await getProcessOutput(SH, ['-c', 'printf a; printf b >&2'], { errortoo: true });
    assert.deepEqual([...out.toString()].sort(), ['a', 'b']);
  });

  it('uses env and path', async () => {
    const out = await getProcessOutput(SH, ['-c', 'printf "%s %s" "$GREETING" "$(pwd)"'], {
      env: { GREETING: 'hi' },
      path: '/',
    });
    assert.equal(out.toString(), 'hi /');
  });

  it('errbacks with ProcessSpawnError for a missing executable', async () => {
    await assert.rejects(getProcessOutput(MISSING).asPromise(), ProcessSpawnError);
  });
});

describe('getProcessValue', () => {
  it('fires with the exit code', async () => {
    assert.equal(await getProcessValue(SH, ['-c', 'exit 7']), 7);
    assert.equal(await getProcessValue(SH, ['-c', 'true']), 0);
  });

  it('fires with null when a signal killed the program', async () => {
    assert.equal(await getProcessValue(SH, ['-c', 'kill -KILL $$']), null);
  });

  it('errbacks with ProcessSpawnError for a missing executable', async () => {
    await assert.rejects(getProcessValue(MISSING).asPromise(), {
      name: 'ProcessSpawnError',
      errno: 'ENOENT',
    });
  });
});

describe('getProcessOutputAndValue', () => {
  it('fires with stdout, stderr and the exit code', async () => {
    const [out, err, code] = await getProcessOutputAndValue(SH, ['-c', 'printf o; printf e >&2; exit 2']);
    assert.equal(out.toString(), 'o');
    assert.equal(err.toString(), 'e');
    assert.equal(code, 2);
  });

  it('errbacks with ProcessKilledError carrying the outputs and the signal', async () => {
    await assert.rejects(
      getProcessOutputAndValue(SH, ['-c', 'printf o; printf e >&2; kill -TERM $$']).asPromise(),
      (err: unknown) => {
        assert.ok(err instanceof ProcessKilledError);
        assert.equal(err.signal, 'SIGTERM');
        assert.equal(err.stdout.toString(), 'o');
        assert.equal(err.stderr.toString(), 'e');
        return true;
      },
    );
  });

  it('errbacks with ProcessSpawnError for a missing executable', async () => {
    await assert.rejects(getProcessOutputAndValue(MISSING).asPromise(), ProcessSpawnError);
  });
});
