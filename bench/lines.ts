/**
 * `npm run bench -- lines [MB]`: `LineReceiver` (and the leaner `LineOnlyReceiver`) splitting a
 * stream of 80-byte CRLF lines delivered in 64 KiB chunks, against a hand-written `indexOf(delimiter)` loop over the same chunks (the
 * practical limit), the same loop searching for the delimiter's first byte (the trick `LineCodec`
 * uses), and Node's `readline` over a `Readable` of the same chunks. Prints MB/s and lines/s for
 * each and the ratios. Runs round-robin, best of several runs each.
 *
 * @example
 * ```sh
 * npm run bench -- lines      # 100 MB
 * npm run bench -- lines 20   # 20 MB
 * ```
 * @module
 */
import { Buffer } from 'node:buffer';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { LineOnlyReceiver } from '../src/protocols/basic/line-only-receiver.js';
import { LineReceiver } from '../src/protocols/basic/line-receiver.js';
import { StringTransport } from '../src/testing/string-transport.js';

const megabytes = Number(process.argv[2] ?? 100);
const LINE = 80;
const CHUNK = 64 * 1024;
const RUNS = 7;

function makeChunks(totalBytes: number): Buffer[] {
  const lines = Math.floor(totalBytes / LINE);
  const stream = Buffer.allocUnsafe(lines * LINE);
  const body = Buffer.from('x'.repeat(LINE - 2));
  for (let i = 0; i < lines; i++) {
    body.copy(stream, i * LINE);
    stream[i * LINE + LINE - 2] = 0x0d;
    stream[i * LINE + LINE - 1] = 0x0a;
  }
  const chunks: Buffer[] = [];
  for (let off = 0; off < stream.length; off += CHUNK) chunks.push(stream.subarray(off, off + CHUNK));
  return chunks;
}

/** What a careful hand-written splitter does: carry the partial line, indexOf from an offset. */
function handWritten(chunks: readonly Buffer[]): number {
  const delim = Buffer.from('\r\n');
  let count = 0;
  let bytes = 0;
  let carry: Buffer | null = null;
  for (const chunk0 of chunks) {
    const chunk: Buffer = carry === null ? chunk0 : Buffer.concat([carry, chunk0]);
    let pos = 0;
    for (let idx = chunk.indexOf(delim, pos); idx >= 0; idx = chunk.indexOf(delim, pos)) {
      const line = chunk.subarray(pos, idx);
      count++;
      bytes += line.length;
      pos = idx + 2;
    }
    carry = pos < chunk.length ? chunk.subarray(pos) : null;
  }
  return count + (bytes & 0);
}

/** The same loop searching for the first delimiter byte (a cheaper native call) and checking the next. */
function handWrittenByte(chunks: readonly Buffer[]): number {
  let count = 0;
  let bytes = 0;
  let carry: Buffer | null = null;
  for (const chunk0 of chunks) {
    const chunk: Buffer = carry === null ? chunk0 : Buffer.concat([carry, chunk0]);
    let pos = 0;
    let from = 0;
    for (
      let idx = chunk.indexOf(0x0d, from);
      idx >= 0 && idx + 1 < chunk.length;
      idx = chunk.indexOf(0x0d, from)
    ) {
      if (chunk[idx + 1] !== 0x0a) {
        from = idx + 1;
        continue;
      }
      const line = chunk.subarray(pos, idx);
      count++;
      bytes += line.length;
      pos = idx + 2;
      from = pos;
    }
    carry = pos < chunk.length ? chunk.subarray(pos) : null;
  }
  return count + (bytes & 0);
}

class Counter extends LineReceiver {
  count = 0;
  bytes = 0;
  override lineReceived(line: Buffer): void {
    this.count++;
    this.bytes += line.length;
  }
}

function lineReceiver(chunks: readonly Buffer[]): number {
  const p = new Counter();
  p.makeConnection(new StringTransport());
  for (const c of chunks) p.dataReceived(c);
  return p.count;
}

class OnlyCounter extends LineOnlyReceiver {
  count = 0;
  bytes = 0;
  override lineReceived(line: Buffer): void {
    this.count++;
    this.bytes += line.length;
  }
}

function lineOnlyReceiver(chunks: readonly Buffer[]): number {
  const p = new OnlyCounter();
  p.makeConnection(new StringTransport());
  for (const c of chunks) p.dataReceived(c);
  return p.count;
}

async function readline(chunks: readonly Buffer[]): Promise<number> {
  const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
  let count = 0;
  for await (const _line of rl) count++;
  return count;
}

interface Contender {
  readonly name: string;
  readonly run: () => number | Promise<number>;
  bestMs: number;
}

/** Runs the contenders round-robin (so machine load hits them alike) and keeps each one's best. */
async function race(contenders: Contender[], expected: number): Promise<void> {
  for (let i = 0; i < RUNS; i++) {
    for (const c of contenders) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      const n = await c.run();
      const ms = performance.now() - t0;
      if (n !== expected) throw new Error(`${c.name}: ${n} lines, expected ${expected}`);
      c.bestMs = Math.min(c.bestMs, ms);
    }
  }
}

function report(c: Contender, totalBytes: number, lines: number): number {
  const mbps = totalBytes / 1e6 / (c.bestMs / 1000);
  const lps = lines / (c.bestMs / 1000);
  console.log(
    `${c.name.padEnd(22)} ${mbps.toFixed(0).padStart(6)} MB/s ${(lps / 1e6).toFixed(2).padStart(7)} M lines/s  (${c.bestMs.toFixed(1)} ms)`,
  );
  return mbps;
}

const chunks = makeChunks(megabytes * 1e6);
const total = chunks.reduce((n, c) => n + c.length, 0);
const expected = total / LINE;
console.log(
  `${(total / 1e6).toFixed(0)} MB of ${LINE}-byte lines in ${CHUNK / 1024} KiB chunks, best of ${RUNS}`,
);
const contenders: Contender[] = [
  { name: 'hand-written indexOf', run: () => handWritten(chunks), bestMs: Number.POSITIVE_INFINITY },
  { name: 'hand-written byte loop', run: () => handWrittenByte(chunks), bestMs: Number.POSITIVE_INFINITY },
  { name: 'LineReceiver', run: () => lineReceiver(chunks), bestMs: Number.POSITIVE_INFINITY },
  { name: 'LineOnlyReceiver', run: () => lineOnlyReceiver(chunks), bestMs: Number.POSITIVE_INFINITY },
  { name: 'node:readline', run: () => readline(chunks), bestMs: Number.POSITIVE_INFINITY },
];
await race(contenders, expected);
const [hand, handByte, ours, only, rl] = contenders.map((c) => report(c, total, expected)) as [
  number,
  number,
  number,
  number,
  number,
];
console.log(`LineReceiver / hand-written: ${(ours / hand).toFixed(2)}x (target >= 0.8x)`);
console.log(`LineReceiver / byte loop:    ${(ours / handByte).toFixed(2)}x (the same search trick by hand)`);
console.log(`LineReceiver / readline:     ${(ours / rl).toFixed(2)}x (target > 1x)`);
console.log(`LineOnlyReceiver / LineReceiver: ${(only / ours).toFixed(2)}x (no raw mode, no pausing)`);
