/**
 * `npm run bench -- deferred [rounds]`: `Deferred` against native `Promise`, measured in one run.
 *
 * 1. create + 3 callbacks + fire: `new Deferred()`, three `addCallback`s, `callback(1)` (callbacks
 *    run synchronously) against `new Promise()`, three `.then`s, `resolve(1)`, with the round's
 *    chains awaited (the last one settles after all the others) so the Promise side pays for the
 *    microtasks it needs to finish;
 * 2. a 1,000-step chain: 1,000 `addCallback`s against 1,000 `.then`s, fired and awaited the same way.
 *
 * Each round runs a batch (100,000 chains for 1, 1,000 chains for 2); prints best and median
 * ops/s of several rounds and the ratio Deferred / Promise (above 1 means Deferred is faster).
 *
 * @example
 * ```sh
 * npm run bench -- deferred
 * npm run bench -- deferred 15
 * ```
 * @module
 */
import { Deferred } from '../src/internet/defer.js';

const ROUNDS = Number(process.argv[2] ?? 9);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

let sink = 0;
function inc(n: number): number {
  return n + 1;
}
function record(n: number): void {
  sink += n;
}

function deferredSmall(batch: number): void {
  for (let i = 0; i < batch; i++) {
    const d = new Deferred<number>();
    d.addCallback(inc).addCallback(inc).addCallback(record);
    d.callback(1);
  }
}

async function promiseSmall(batch: number): Promise<void> {
  let last: Promise<void> | undefined;
  for (let i = 0; i < batch; i++) {
    let resolve!: (n: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    last = p.then(inc).then(inc).then(record);
    resolve(1);
  }
  await last;
}

function deferredLong(batch: number, steps: number): void {
  for (let i = 0; i < batch; i++) {
    const d = new Deferred<number>();
    for (let s = 0; s < steps; s++) d.addCallback(inc);
    d.addCallback(record);
    d.callback(0);
  }
}

async function promiseLong(batch: number, steps: number): Promise<void> {
  let last: Promise<void> | undefined;
  for (let i = 0; i < batch; i++) {
    let resolve!: (n: number) => void;
    let p: Promise<number> = new Promise<number>((r) => {
      resolve = r;
    });
    for (let s = 0; s < steps; s++) p = p.then(inc);
    last = p.then(record);
    resolve(0);
  }
  await last;
}

/** Runs `f` for several rounds; returns best and median ops/s. */
async function measure(
  ops: number,
  f: () => void | Promise<void>,
): Promise<{ best: number; median: number }> {
  await f(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc();
    const start = process.hrtime.bigint();
    await f();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(ops / seconds);
  }
  rates.sort((a, b) => a - b);
  return { best: rates[rates.length - 1]!, median: rates[Math.floor(rates.length / 2)]! };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(13);
}

async function compare(
  title: string,
  unit: string,
  ops: number,
  deferred: () => void,
  promise: () => Promise<void>,
): Promise<void> {
  const d = await measure(ops, deferred);
  const p = await measure(ops, promise);
  console.log(`\n${title}`);
  console.log(`  ${''.padEnd(10)} ${'best'.padStart(13)} ${'median'.padStart(13)}  (${unit}/s)`);
  console.log(`  ${'Deferred'.padEnd(10)} ${fmt(d.best)} ${fmt(d.median)}`);
  console.log(`  ${'Promise'.padEnd(10)} ${fmt(p.best)} ${fmt(p.median)}`);
  console.log(
    `  ratio Deferred/Promise: best ${(d.best / p.best).toFixed(2)}x, median ${(d.median / p.median).toFixed(2)}x`,
  );
}

const SMALL_BATCH = 100_000;
const LONG_BATCH = 1_000;
const STEPS = 1_000;

console.log(`Deferred vs Promise, ${ROUNDS} rounds, node ${process.version}`);
await compare(
  `(a) create + 3 callbacks + fire, ${SMALL_BATCH.toLocaleString('en-US')} per round`,
  'chains',
  SMALL_BATCH,
  () => deferredSmall(SMALL_BATCH),
  () => promiseSmall(SMALL_BATCH),
);
await compare(
  `(b) ${STEPS.toLocaleString('en-US')}-step chain, ${LONG_BATCH.toLocaleString('en-US')} per round`,
  'chains',
  LONG_BATCH,
  () => deferredLong(LONG_BATCH, STEPS),
  () => promiseLong(LONG_BATCH, STEPS),
);
if (sink === 0) console.log('(sink unused)');
