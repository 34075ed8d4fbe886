import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./child.ts', import.meta.url));

function run(mode: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', child, mode],
      { timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(Object.assign(err, { stderr })) : resolve({ stdout, stderr })),
    );
  });
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The report (from the header to the next one) that mentions `message`. */
function reportOf(stderr: string, message: string): string {
  const reports = stderr.split('Unhandled error in Deferred:').filter((r) => r.includes(message));
  assert.equal(reports.length, 1, stderr);
  return reports[0]!;
}

describe('unhandled errors in garbage-collected Deferreds', () => {
  // Both children start at once (they are slow to boot); one run serves both default-reporter tests.
  const defaultRun = run('default');
  const customRun = run('custom');
  const runDefault = () => defaultRun;

  it('reports an unhandled error once on stderr and stays quiet about handled ones', async () => {
    const { stdout, stderr } = await runDefault();
    assert.match(stdout, /collected/);
    assert.equal(count(stderr, 'boom-unhandled'), 1, stderr);
    assert.equal(count(stderr, 'Unhandled error in Deferred'), 3, stderr);
    assert.equal(count(stderr, 'boom-rethrown'), 1, stderr);
    for (const quiet of ['boom-handled', 'boom-handled-later', 'boom-consumed', 'boom-awaited'])
      assert.equal(count(stderr, `${quiet}\n`), 0, `${quiet} was reported:\n${stderr}`);
    // The report carries the error's own stack: where it was thrown.
    assert.match(reportOf(stderr, 'boom-unhandled'), /Error: boom-unhandled\n\s+at makeUnhandled /);
  });

  it('adds where the Deferred was created when debugging is on', async () => {
    const { stderr } = await runDefault();
    assert.match(reportOf(stderr, 'boom-debug'), /the Deferred was created at[\s\S]*makeDebugging/);
    assert.doesNotMatch(reportOf(stderr, 'boom-unhandled'), /created at/);
  });

  it('sends reports to the reporter set with setUnhandledErrorReporter', async () => {
    const { stdout, stderr } = await customRun;
    assert.equal(count(stdout, 'custom reporter: boom-unhandled stack=false'), 1, stdout);
    assert.equal(count(stdout, 'custom reporter: boom-debug stack=true'), 1, stdout);
    assert.equal(count(stderr, 'boom-'), 0, stderr);
  });
});
