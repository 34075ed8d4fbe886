import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTestCertificates, type TestCertificates } from '../../../src/testing/certs.js';
import { runPeer } from './harness.js';

let certs: TestCertificates;
let child: ChildProcess;
let ports: number[] = [];
const logDir = mkdtempSync(join(tmpdir(), 'twist-web-log-'));
const logFile = join(logDir, 'access.log');

/** Starts `twist web` over TLS and plain TCP on ephemeral ports; resolves with the bound ports. */
function startTwist(): Promise<number[]> {
  certs = makeTestCertificates();
  const argv = [
    '--import',
    'tsx',
    'src/cli/twist-bin.ts',
    'web',
    '--listen',
    `ssl:0:interface=127.0.0.1:privateKey=${certs.files.serverKey}:certKey=${certs.files.serverCert}`,
    '--listen',
    'tcp:0:interface=127.0.0.1',
    '--path',
    'examples/site',
    '--add-header',
    'X-Served-By: twist web',
    '--mime-type',
    '.css=text/x-test-css',
    '--logfile',
    logFile,
  ];
  child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const found: number[] = [];
    const onData = (d: Buffer): void => {
      out += d.toString();
      for (const m of out.matchAll(/Listening on 127\.0\.0\.1:(\d+)/g)) {
        const p = Number(m[1]);
        if (!found.includes(p)) found.push(p);
      }
      if (found.length === 2) resolve(found);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`twist web exited with ${code}:\n${out}`)));
  });
}

// A server that never says it listens fails here rather than hanging the suite.
before(
  async () => {
    ports = await startTwist();
  },
  { timeout: 30_000 },
);
after(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  certs.cleanup();
  rmSync(logDir, { recursive: true, force: true });
});

const curl = (...args: string[]) =>
  runPeer('curl', ['-sS', '--max-time', '10', ...args], 'apt-get install -y curl');

describe('interop: `twist web` serving examples/site', () => {
  it('serves the demo page over HTTPS and plain HTTP with the added header', async () => {
    const pages: string[] = [];
    for (const port of ports) {
      for (const scheme of ['https', 'http']) {
        const r = await curl('-i', '--cacert', certs.files.ca, `${scheme}://localhost:${port}/`);
        if (r.code === 0) pages.push(`${scheme} ${r.stdout.toString()}`);
      }
    }
    assert.equal(pages.length, 2, 'one TLS and one plain listener answered');
    assert.ok(pages.some((p) => p.startsWith('https HTTP/1.1 200 OK')));
    assert.ok(pages.some((p) => p.startsWith('http HTTP/1.1 200 OK')));
    for (const p of pages) {
      assert.match(p, /X-Served-By: twist web/);
      assert.match(p, /event-driven networking engine for TypeScript/);
    }
  });

  it('serves the stylesheet with the --mime-type override', async () => {
    const results = await Promise.all(ports.map((port) => curl('-I', `http://127.0.0.1:${port}/style.css`)));
    const ok = results.find((r) => r.stdout.toString().startsWith('HTTP/1.1 200'));
    assert.ok(ok !== undefined);
    assert.match(ok.stdout.toString(), /Content-Type: text\/x-test-css/);
  });

  it('appends each request to the --logfile in the Combined Log Format, flushed on shutdown', async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 3, lines.join('\n')); // GET / over HTTPS and HTTP, HEAD /style.css
    const clf =
      /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "(GET|HEAD) \/\S* HTTP\/1\.1" 200 (\d+|-) "-" "curl\/[^"]+"$/;
    for (const line of lines) assert.match(line, clf);
    assert.ok(lines.some((l) => l.includes('"HEAD /style.css HTTP/1.1" 200 - ')));
  });
});
