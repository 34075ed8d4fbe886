import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { startTwist } from '../../integration/twist/twist-process.js';

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
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('twist echo with a Python socket client', () => {
  it('echoes what a Python client sends', async (t) => {
    const twist = startTwist(['echo', '--listen', 'tcp:0:interface=127.0.0.1']);
    t.after(() => twist.kill());
    const [, port] = await twist.waitFor(/Listening on 127\.0\.0\.1:(\d+)/);
    const result = await python([port as string]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'hello from python');
    twist.kill('SIGTERM');
    assert.equal(await twist.exited, 0);
  });
});
