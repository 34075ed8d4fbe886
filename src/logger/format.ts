/**
 * Turning events into text: `formatEvent` fills an event's format string from its fields
 * (Twisted's `formatEvent`), `formatTime` renders `logTime`, and `eventAsText` builds the classic
 * `2026-11-23T21:33:05+0000 [namespace#level] message` line with the error's stack.
 *
 * @example
 * ```ts
 * import { formatEvent } from 'twisted-ts/logger';
 * formatEvent({ logFormat: 'Accepted {peer}', peer: 'x', logLevel: 'info', logNamespace: 'a', logTime: 0 });
 * // 'Accepted x'
 * ```
 * @module
 */
import { inspect } from 'node:util';
import type { LogEvent } from './event.js';

/**
 * Fills `event.logFormat`: `{name}` is replaced by the field `name` (`{a.b}` walks into objects),
 * `{{` and `}}` are literal braces. A missing field renders as `{name:MISSING}` so the gap is
 * visible; strings render as they are, other values as `util.inspect` shows them. An event without
 * a format renders as `''`. Never throws: a field whose rendering throws gives
 * `Unable to format event: …`.
 *
 * @example
 * ```ts
 * formatEvent({ ...base, logFormat: '{user} has {{braces}}, {missing}', user: 'ann' });
 * // 'ann has {braces}, {missing:MISSING}'
 * ```
 */
export function formatEvent(event: LogEvent): string {
  const format = event.logFormat;
  if (format === undefined || format === null) return '';
  try {
    return fillFormat(format, event);
  } catch (err) {
    return `Unable to format event: ${JSON.stringify(format)}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function fillFormat(format: string, event: LogEvent): string {
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    const next = format[i + 1];
    if (ch === '{' && next === '{') {
      out += '{';
      i += 2;
    } else if (ch === '}' && next === '}') {
      out += '}';
      i += 2;
    } else if (ch === '{') {
      const end = format.indexOf('}', i + 1);
      if (end < 0) {
        out += format.slice(i);
        break;
      }
      out += renderField(event, format.slice(i + 1, end));
      i = end + 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

function renderField(event: LogEvent, name: string): string {
  let value: unknown = event;
  for (const part of name.split('.')) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || !(part in value)) {
      return `{${name}:MISSING}`;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return renderValue(value);
}

/**
 * How a field value looks in a message: strings as they are, everything else through
 * `util.inspect` (one line, no colours).
 *
 * @example
 * ```ts
 * renderValue({ host: '::1' }); // "{ host: '::1' }"
 * ```
 */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return inspect(value, { breakLength: Number.POSITIVE_INFINITY, depth: 4 });
}

/**
 * Renders seconds since the epoch as `2026-11-23T21:33:05+0000` (UTC), the timestamp of the text
 * log format.
 *
 * @example
 * ```ts
 * formatTime(0); // '1970-01-01T00:00:00+0000'
 * ```
 */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  return new Date(Math.floor(seconds * 1000)).toISOString().slice(0, 19) + '+0000';
}

/**
 * The message of an event plus, for a failure, the error's stack (with `cause` and extra
 * properties such as `code`), as one string.
 *
 * @example
 * ```ts
 * eventMessage(failureEvent); // 'while doing X\nError: boom\n    at …'
 * ```
 */
export function eventMessage(event: LogEvent): string {
  let text = formatEvent(event);
  const failure = event.logFailure;
  if (failure !== undefined) {
    const detail = inspect(failure, { breakLength: Number.POSITIVE_INFINITY, depth: 4 });
    text = text === '' ? detail : `${text}\n${detail}`;
  }
  return text;
}

/**
 * The classic text line of an event, with its newline: timestamp, the worker when one emitted it,
 * `[namespace#level]`, then the message; continuation lines (a stack) are indented with a tab.
 *
 * @example
 * ```ts
 * eventAsText(event);
 * // '2026-11-23T21:33:05+0000 [echo#info] Accepted 127.0.0.1:4000\n'
 * ```
 */
export function eventAsText(event: LogEvent, timeFormat: (seconds: number) => string = formatTime): string {
  const worker = event.logWorker;
  const who = worker === undefined ? '' : `[worker ${worker.id} pid ${worker.pid}] `;
  const message = eventMessage(event).replaceAll('\n', '\n\t');
  return `${timeFormat(event.logTime)} ${who}[${event.logNamespace}#${event.logLevel}] ${message}\n`;
}
