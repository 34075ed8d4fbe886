import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from './event.js';
import { eventAsText, formatEvent, formatTime } from './format.js';

const base: LogEvent = { logLevel: 'info', logNamespace: 'test.ns', logTime: 1_795_469_585 };

describe('formatEvent', () => {
  it('fills {key} from the event fields', () => {
    assert.equal(
      formatEvent({ ...base, logFormat: 'Accepted {peer} on {port}', peer: 'x', port: 7 }),
      'Accepted x on 7',
    );
  });

  it('renders {{ and }} as literal braces', () => {
    assert.equal(formatEvent({ ...base, logFormat: '{{literal}} {a}}}', a: 1 }), '{literal} 1}');
  });

  it('renders a missing key visibly instead of failing', () => {
    assert.equal(formatEvent({ ...base, logFormat: 'value: {nope}' }), 'value: {nope:MISSING}');
  });

  it('walks dotted names into objects', () => {
    assert.equal(
      formatEvent({ ...base, logFormat: '{peer.host}:{peer.port}', peer: { host: '::1', port: 80 } }),
      '::1:80',
    );
  });

  it('renders non-string values with util.inspect', () => {
    assert.equal(formatEvent({ ...base, logFormat: '{v}', v: { a: [1, 2] } }), '{ a: [ 1, 2 ] }');
  });

  it('returns an empty string for an event without a format', () => {
    assert.equal(formatEvent(base), '');
  });

  it('keeps an unterminated brace as text', () => {
    assert.equal(formatEvent({ ...base, logFormat: 'open {brace' }), 'open {brace');
  });

  it('reports a field whose rendering throws instead of throwing', () => {
    const event = { ...base, logFormat: '{bad.x}' } as LogEvent & { bad: object };
    Object.defineProperty(event, 'bad', {
      enumerable: true,
      value: {
        get x() {
          throw new Error('getter broke');
        },
      },
    });
    assert.match(formatEvent(event), /^Unable to format event: .*getter broke/);
  });
});

describe('formatTime', () => {
  it('renders UTC seconds in the classic +0000 format', () => {
    assert.equal(formatTime(1_795_469_585.75), '2026-11-23T21:33:05+0000');
  });
});

describe('eventAsText', () => {
  it('prints time, [namespace#level] and the message on one line', () => {
    assert.equal(
      eventAsText({ ...base, logFormat: 'hello {who}', who: 'world' }),
      '2026-11-23T21:33:05+0000 [test.ns#info] hello world\n',
    );
  });

  it('names the worker that emitted the event', () => {
    const text = eventAsText({ ...base, logFormat: 'x', logWorker: { id: 2, pid: 1234 } });
    assert.equal(text, '2026-11-23T21:33:05+0000 [worker 2 pid 1234] [test.ns#info] x\n');
  });

  it('appends the failure stack with tab-indented continuation lines', () => {
    const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const text = eventAsText({ ...base, logLevel: 'critical', logFormat: 'while X', logFailure: error });
    const lines = text.split('\n');
    assert.equal(lines[0], '2026-11-23T21:33:05+0000 [test.ns#critical] while X');
    assert.equal(lines[1], '\tError: boom');
    assert.match(lines[2] ?? '', /^\t {4}at /);
    assert.match(text, /code: 'E_BOOM'/);
  });
});
