import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { ROOT, startTwist, type TwistProcess } from '../../integration/twist/twist-process.js';

const PYTHON_CLIENT = `
import socket, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)
s.sendall(b'hello from python')
data = b''
while len(data) < 17:
    chunk = s.recv(100)
    if not chunk:
        break
    data += chunk
s.close()
sys.stdout.write(data.decode())
`;

function python(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', PYTHON_CLIENT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err) =>
      reject(new Error(`python3 is needed: apt-get install python3 (${err.message})`, { cause: err })),
    );
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Waits for the echo service, has a Python client talk to it, then stops it with SIGTERM. */
async function echoesForPython(t: TestContext, twist: TwistProcess): Promise<void> {
  const [, pid] = await twist.waitFor(/Starting echo \(pid (\d+)\)/);
  let stopped = false;
  t.after(() => {
    // Under `npx` the service is a grandchild: stop it too if the test failed before doing so.
    if (stopped) return;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
  const result = await python([port as string]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'hello from python');
  // The service's own pid: `npx` does not pass signals on to the command it runs.
  process.kill(Number(pid), 'SIGTERM');
  assert.equal(await twist.exited, 0);
  stopped = true;
}

describe('twist echo with a Python socket client', () => {
  it('echoes what a Python client sends (twist run from the sources)', async (t) => {
    const twist = startTwist(['echo', '--listen', 'tcp:0:interface=127.0.0.1']);
    t.after(() => twist.kill());
    await echoesForPython(t, twist);
  });

  it('echoes what a Python client sends (`npx twist`, the installed bin)', async (t) => {
    assert.ok(
      existsSync(join(ROOT, 'dist', 'cli', 'twist-bin.js')),
      'the twist bin is not built: run `npm run build` (npm ci and npm install do it)',
    );
    // The build makes the bin executable: a link made for an earlier build of this checkout (an
    // npx cache entry, node_modules/.bin) runs the new file as it is, and no one chmods it again.
    const mode = statSync(join(ROOT, 'dist', 'cli', 'twist-bin.js')).mode;
    assert.equal(mode & 0o111, 0o111, `the built bin has mode ${(mode & 0o777).toString(8)}, not executable`);
    // A cache of its own, as on a newcomer's machine: npx links this checkout afresh, and what
    // an earlier (or killed) run left in ~/.npm/_npx cannot change the outcome. Offline: the link
    // needs nothing from the registry.
    const cache = mkdtempSync(join(tmpdir(), 'twist-npx-cache-'));
    const twist = startTwist(
      ['echo', '--listen', 'tcp:0:interface=127.0.0.1'],
      { npm_config_cache: cache, npm_config_offline: 'true' },
      ['npx', '--no-install', 'twist'],
      120_000,
    );
    t.after(() => twist.kill());
    t.after(() => rmSync(cache, { recursive: true, force: true }));
    await echoesForPython(t, twist);
  });
});
