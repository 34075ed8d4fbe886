import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AlreadyCalledError, Deferred, fail, succeed } from './defer.js';

/**
 * A property test: any sequence of adding callbacks/errbacks (that return or throw, directly, through
 * an already-fired Deferred, or through one fired later), firing, pausing and firing the pending
 * inner Deferred gives the same calls and outcome as a plain reference model.
 */

type Handler = {
  readonly side: 'callback' | 'errback' | 'both';
  readonly action: 'return' | 'throw';
  readonly via: 'plain' | 'fired' | 'later';
};
type Op =
  | { readonly op: 'add'; readonly handler: Handler }
  | { readonly op: 'fire'; readonly ok: boolean }
  | { readonly op: 'fireInner' }
  | { readonly op: 'pause' }
  | { readonly op: 'unpause' };

const handlerArb: fc.Arbitrary<Handler> = fc.record({
  side: fc.constantFrom('callback', 'errback', 'both'),
  action: fc.constantFrom('return', 'throw'),
  via: fc.constantFrom('plain', 'fired', 'later'),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: handlerArb.map((handler) => ({ op: 'add' as const, handler })) },
  { weight: 2, arbitrary: fc.boolean().map((ok) => ({ op: 'fire' as const, ok })) },
  { weight: 2, arbitrary: fc.constant({ op: 'fireInner' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'pause' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'unpause' as const }) },
);

/** A value or an error message, as both sides log them. */
type Outcome = { readonly failed: boolean; readonly value: string };
type Log = string[];

function applies(h: Handler, failed: boolean): boolean {
  return h.side === 'both' || (h.side === 'errback') === failed;
}
function produce(index: number, input: Outcome, h: Handler): Outcome {
  const value = `${input.value}>${index}`;
  return { failed: h.action === 'throw', value };
}

/** The reference: a list walked by an index, blocked while waiting or paused. */
function runModel(ops: readonly Op[]): Log {
  const log: Log = [];
  const handlers: Handler[] = [];
  let next = 0;
  let state: Outcome | null = null;
  let waiting: Outcome | null = null;
  let paused = 0;
  const run = (): void => {
    while (state !== null && waiting === null && paused === 0 && next < handlers.length) {
      const index = next++;
      const h = handlers[index]!;
      if (!applies(h, state.failed)) continue;
      log.push(`call ${index} with ${state.failed ? 'error' : 'value'} ${state.value}`);
      const out = produce(index, state, h);
      if (h.via === 'later') waiting = out;
      else state = out;
    }
  };
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        handlers.push(op.handler);
        run();
        break;
      case 'fire':
        if (state !== null) log.push('AlreadyCalledError');
        else {
          state = { failed: !op.ok, value: op.ok ? 'v' : 'e' };
          run();
        }
        break;
      case 'fireInner':
        if (waiting !== null) {
          state = waiting;
          waiting = null;
          run();
        }
        break;
      case 'pause':
        paused++;
        break;
      case 'unpause':
        if (paused > 0) {
          paused--;
          run();
        }
        break;
    }
  }
  paused = 0;
  run();
  if (state !== null && waiting === null) log.push(`end ${state.failed ? 'error' : 'value'} ${state.value}`);
  return log;
}

function runReal(ops: readonly Op[]): Log {
  const log: Log = [];
  const d = new Deferred<string>();
  let index = 0;
  let pending: { inner: Deferred<string>; out: Outcome } | null = null;
  let paused = 0;
  const describe = (r: unknown): Outcome =>
    r instanceof Error ? { failed: true, value: r.message } : { failed: false, value: String(r) };
  for (const op of ops) {
    switch (op.op) {
      case 'add': {
        const h = op.handler;
        const me = index++;
        const fn = (r: unknown): unknown => {
          const input = describe(r);
          log.push(`call ${me} with ${input.failed ? 'error' : 'value'} ${input.value}`);
          const out = produce(me, input, h);
          if (h.via === 'later') {
            const inner = new Deferred<string>();
            pending = { inner, out };
            return inner;
          }
          if (h.via === 'fired') return out.failed ? fail(new Error(out.value)) : succeed(out.value);
          if (out.failed) throw new Error(out.value);
          return out.value;
        };
        if (h.side === 'callback') d.addCallback(fn);
        else if (h.side === 'errback') d.addErrback(fn);
        else d.addBoth(fn);
        break;
      }
      case 'fire':
        try {
          if (op.ok) d.callback('v');
          else d.errback(new Error('e'));
        } catch (e) {
          assert.ok(e instanceof AlreadyCalledError, 'expected a AlreadyCalledError');
          log.push('AlreadyCalledError');
        }
        break;
      case 'fireInner':
        if (pending !== null) {
          const { inner, out } = pending as { inner: Deferred<string>; out: Outcome };
          pending = null;
          if (out.failed) inner.errback(new Error(out.value));
          else inner.callback(out.value);
        }
        break;
      case 'pause':
        paused++;
        d.pause();
        break;
      case 'unpause':
        if (paused > 0) {
          paused--;
          d.unpause();
        }
        break;
    }
  }
  while (paused > 0) {
    paused--;
    d.unpause();
  }
  d.addBoth((r) => {
    const end = describe(r);
    log.push(`end ${end.failed ? 'error' : 'value'} ${end.value}`);
  });
  return log;
}

describe('Deferred against a reference model', () => {
  it('makes the same calls and reaches the same outcome for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        assert.deepEqual(runReal(ops), runModel(ops));
      }),
      { numRuns: 500 },
    );
  });
});
