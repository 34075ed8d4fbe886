/**
 * Run by deferred-gc.test.ts as `node --expose-gc --import tsx child.ts MODE`: makes Deferreds whose
 * errors are handled in various ways (or not), drops them, collects garbage and waits a few turns
 * so the FinalizationRegistry reports what was left unhandled.
 */
import {
  Deferred,
  fail,
  setDebugging,
  setUnhandledErrorReporter,
  succeed,
} from '../../src/internet/defer.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function makeUnhandled(): void {
  fail(new Error('boom-unhandled'));
}
function makeHandledByErrback(): void {
  fail(new Error('boom-handled')).addErrback(() => null);
}
function makeHandledLater(): Deferred<unknown> {
  const d = new Deferred();
  d.errback(new Error('boom-handled-later'));
  return d;
}
function makeRethrown(): void {
  fail(new Error('boom-rethrown')).addErrback((e) => {
    throw e;
  });
}
function makeConsumedByOuter(): void {
  const inner = fail(new Error('boom-consumed'));
  succeed(0)
    .addCallback(() => inner)
    .addErrback(() => null);
}
function makeAwaited(): void {
  void fail(new Error('boom-awaited')).then(undefined, () => null);
}
function makeDebugging(): void {
  setDebugging(true);
  fail(new Error('boom-debug'));
  setDebugging(false);
}

async function collect(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const mode = process.argv[2];
if (mode === 'default') {
  makeUnhandled();
  makeHandledByErrback();
  makeHandledLater().addErrback(() => null);
  makeRethrown();
  makeConsumedByOuter();
  makeAwaited();
  makeDebugging();
} else if (mode === 'custom') {
  setUnhandledErrorReporter((err, creationStack) => {
    process.stdout.write(`custom reporter: ${err.message} stack=${creationStack !== undefined}\n`);
  });
  makeUnhandled();
  makeDebugging();
} else {
  throw new Error(`unknown mode ${mode}`);
}
await collect();
process.stdout.write('collected\n');
