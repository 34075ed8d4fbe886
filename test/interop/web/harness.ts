/**
 * A twisted-ts web server on a loopback port for interop tests, and a runner for peer programs
 * that fails (never skips) with the install command when the peer is missing.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getReactor } from '../../../src/internet/default-reactor.js';
import type { IListeningPort } from '../../../src/internet/interfaces.js';
import { Data } from '../../../src/web/data.js';
import type { Request } from '../../../src/web/request.js';
import { NOT_DONE_YET, Resource } from '../../../src/web/resource.js';
import { Site } from '../../../src/web/site.js';
import { File } from '../../../src/web/static/file.js';

class Hello extends Resource {
  override isLeaf = true;
  render_GET(): string {
    return 'Hello world!';
  }
}

class Echo extends Resource {
  override isLeaf = true;
  render_POST(request: Request): Buffer {
    request.setHeader('Content-Type', 'application/octet-stream');
    request.setHeader('X-Spooled', String(request.contentSpooled));
    return request.content;
  }
  render_PUT(request: Request): Buffer {
    return this.render_POST(request);
  }
}

class Stream extends Resource {
  override isLeaf = true;
  render_GET(request: Request): typeof NOT_DONE_YET {
    request.setHeader('Content-Type', 'text/plain');
    for (let i = 0; i < 5; i++) request.write(`line ${i}\n`);
    setImmediate(() => request.finish());
    return NOT_DONE_YET;
  }
}

/** A running server. */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** A directory served under /static (contains hello.txt and big.bin). */
  readonly dir: string;
  readonly big: Buffer;
  stop(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with /hello, /echo, /stream, /data and /static. */
export function startServer(): TestServer {
  const dir = mkdtempSync(join(tmpdir(), 'twisted-web-interop-'));
  const big = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 256;
  writeFileSync(join(dir, 'hello.txt'), 'hello, world\n');
  writeFileSync(join(dir, 'big.bin'), big);
  const root = new Resource();
  root.putChild('hello', new Hello());
  root.putChild('echo', new Echo());
  root.putChild('stream', new Stream());
  root.putChild('data', new Data('{"ok":true}', 'application/json'));
  root.putChild('static', new File(dir));
  const site = new Site(root);
  const port: IListeningPort = getReactor().listenTCP(0, site, { interface: '127.0.0.1' });
  const p = (port.getHost() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    dir,
    big,
    stop: async () => {
      await port.stopListening();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a peer printed. */
export interface PeerResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs a peer program without blocking the event loop (the server lives in this process). Rejects
 * with `install` in the message when the program is missing, and kills it after `timeoutMs`.
 */
export function runPeer(
  command: string,
  args: readonly string[],
  install: string,
  options: { input?: Buffer | string; timeoutMs?: number } = {},
): Promise<PeerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT' ? new Error(`peer "${command}" is not installed: ${install}`, { cause: e }) : e,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(options.input ?? '');
  });
}
