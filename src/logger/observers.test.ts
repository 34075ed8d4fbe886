import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from './event.js';
import { jsonFileLogObserver, textFileLogObserver } from './observers.js';

const base: LogEvent = { logLevel: 'info', logNamespace: 'ns', logTime: 1_795_469_585 };

function sink(): { write(s: string): void; text: string } {
  return {
    text: '',
    write(s: string) {
      this.text += s;
    },
  };
}

describe('textFileLogObserver', () => {
  it('writes one classic text line per event', () => {
    const out = sink();
    const observe = textFileLogObserver(out);
    observe({ ...base, logFormat: 'a {x}', x: 1 });
    observe({ ...base, logLevel: 'warn', logFormat: 'b' });
    assert.equal(out.text, '2026-11-23T21:33:05+0000 [ns#info] a 1\n2026-11-23T21:33:05+0000 [ns#warn] b\n');
  });

  it('uses a custom time format when given one', () => {
    const out = sink();
    textFileLogObserver(out, { timeFormat: (s) => `T${s}` })({ ...base, logFormat: 'm' });
    assert.equal(out.text, 'T1795469585 [ns#info] m\n');
  });
});

describe('jsonFileLogObserver', () => {
  it('writes one JSON object per line with the formatted text', () => {
    const out = sink();
    const observe = jsonFileLogObserver(out);
    observe({ ...base, logFormat: 'hi {who}', who: 'ann' });
    observe({ ...base, logFormat: 'second' });
    const lines = out.text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0] ?? '');
    assert.equal(first.logText, 'hi ann');
    assert.equal(first.who, 'ann');
    assert.equal(first.logNamespace, 'ns');
  });

  it('serialises errors with name, message, stack, code and cause', () => {
    const out = sink();
    const cause = new Error('root');
    const err = Object.assign(new Error('outer', { cause }), { code: 'E_OUTER' });
    jsonFileLogObserver(out)({ ...base, logFormat: 'failed', logFailure: err });
    const parsed = JSON.parse(out.text);
    assert.equal(parsed.logFailure.message, 'outer');
    assert.equal(parsed.logFailure.code, 'E_OUTER');
    assert.match(parsed.logFailure.stack, /Error: outer/);
    assert.equal(parsed.logFailure.cause.message, 'root');
  });

  it('survives cycles, bigints, functions and buffers', () => {
    const out = sink();
    const cyclic: Record<string, unknown> = { n: 1n, f: () => 1, b: Buffer.from('hi') };
    cyclic.self = cyclic;
    jsonFileLogObserver(out)({ ...base, logFormat: 'x', data: cyclic });
    const parsed = JSON.parse(out.text);
    assert.deepEqual(parsed.data, { n: '1', b: 'aGk=', self: '[Circular]' });
  });
});
