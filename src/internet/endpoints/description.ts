/**
 * The grammar of endpoint description strings, as in Twisted's `strports`: a description is a
 * list of `:`-separated fields; the first is the endpoint type (`tcp`, `ssl`, `unix`…), a field
 * with an `=` is a keyword argument `key=value`, any other field is a positional argument. A
 * backslash makes the next character literal, so `\:`, `\=` and `\\` put a colon, an equals sign
 * or a backslash into a value (Windows paths, IPv6 addresses).
 *
 * This module is pure: it knows no endpoint types, only the grammar.
 *
 * @example
 * ```ts
 * import { parseDescription } from 'twisted-ts/internet';
 * parseDescription('tcp:8080:interface=\\:\\:1');
 * // { type: 'tcp', args: ['8080'], kwargs: { interface: '::1' }, rest: '8080:interface=\\:\\:1' }
 * ```
 * @module
 */
import { TwistedError } from '../error.js';

/**
 * A malformed endpoint description; the message names the description and what is wrong.
 *
 * @example
 * ```ts
 * try { serverFromString(reactor, text); } catch (err) { if (err instanceof EndpointStringError) usage(err.message); }
 * ```
 */
export class EndpointStringError extends TwistedError {
  /** The description that failed to parse. */
  readonly description: string;
  constructor(description: string, problem: string, options?: { cause?: unknown }) {
    super(
      `Invalid endpoint description ${JSON.stringify(description)}: ${problem}`,
      'ERR_ENDPOINT_STRING',
      options,
    );
    this.description = description;
  }
}

/**
 * A description split into its parts.
 *
 * @example
 * ```ts
 * const parsed: ParsedDescription = parseDescription('tcp:8080:interface=127.0.0.1');
 * // { type: 'tcp', args: ['8080'], kwargs: { interface: '127.0.0.1' }, rest: '8080:interface=127.0.0.1' }
 * ```
 */
export interface ParsedDescription {
  /** The endpoint type: the first field, lower-cased (`'tcp'`, `'ssl'`, `'unix'`…). */
  readonly type: string;
  /** Positional arguments after the type, unescaped. */
  readonly args: readonly string[];
  /** Keyword arguments, unescaped. */
  readonly kwargs: Readonly<Record<string, string>>;
  /** The raw (still escaped) text after the type's colon, for wrappers such as `haproxy:`. */
  readonly rest: string;
}

/**
 * Splits `description` into fields and unescapes them. Throws `EndpointStringError` for an empty
 * type, a dangling backslash, a field with two unescaped `=`, an empty or repeated key.
 *
 * @example
 * ```ts
 * const { type, args, kwargs } = parseDescription('unix:/tmp/s:mode=660');
 * // type 'unix', args ['/tmp/s'], kwargs { mode: '660' }
 * ```
 */
export function parseDescription(description: string): ParsedDescription {
  const fields = splitFields(description);
  const first = fields[0];
  if (first === undefined || first.eq !== -1 || first.text === '') {
    throw new EndpointStringError(description, 'it does not start with an endpoint type such as "tcp:"');
  }
  const args: string[] = [];
  const kwargs: Record<string, string> = Object.create(null);
  for (const field of fields.slice(1)) {
    if (field.eq === -1) {
      args.push(field.text);
      continue;
    }
    const key = field.text.slice(0, field.eq);
    if (key === '')
      throw new EndpointStringError(
        description,
        `a keyword argument has no name ("=${field.text.slice(field.eq + 1)}")`,
      );
    if (key in kwargs) throw new EndpointStringError(description, `keyword "${key}" is given twice`);
    kwargs[key] = field.text.slice(field.eq + 1);
  }
  const colon = firstUnescapedColon(description);
  const rest = colon === -1 ? '' : description.slice(colon + 1);
  return { type: first.text.toLowerCase(), args, kwargs, rest };
}

/**
 * Escapes `value` so that it parses back as one field: backslash-escapes `\`, `:` and `=`.
 *
 * @example
 * ```ts
 * `unix:${quoteField('C:\\sock')}`; // 'unix:C\\:\\\\sock'
 * ```
 */
export function quoteField(value: string): string {
  return value.replace(/[\\:=]/g, (c) => `\\${c}`);
}

interface Field {
  /** Unescaped text. */
  text: string;
  /** Index in `text` of the one unescaped `=`, or -1. */
  eq: number;
}

function splitFields(description: string): Field[] {
  const fields: Field[] = [];
  let text = '';
  let eq = -1;
  for (let i = 0; i < description.length; i++) {
    const c = description[i]!;
    if (c === '\\') {
      i++;
      if (i >= description.length)
        throw new EndpointStringError(description, 'it ends with a lone backslash');
      text += description[i];
    } else if (c === ':') {
      fields.push({ text, eq });
      text = '';
      eq = -1;
    } else if (c === '=') {
      if (eq !== -1) {
        throw new EndpointStringError(
          description,
          `field "${text.slice(0, eq)}=…" has a second "="; escape it as "\\="`,
        );
      }
      eq = text.length;
      text += c;
    } else {
      text += c;
    }
  }
  fields.push({ text, eq });
  return fields;
}

function firstUnescapedColon(description: string): number {
  for (let i = 0; i < description.length; i++) {
    const c = description[i];
    if (c === '\\') i++;
    else if (c === ':') return i;
  }
  return -1;
}

/**
 * Typed access to a parsed description's arguments, for the endpoint parsers.
 *
 * @example
 * ```ts
 * const a = new DescriptionArgs(text, parseDescription(text));
 * const port = a.requiredPort('port', 0, 'tcp:PORT');
 * a.finish(1);
 * ```
 */
export class DescriptionArgs {
  readonly #description: string;
  readonly #args: readonly string[];
  readonly #kwargs: Readonly<Record<string, string>>;
  readonly #used = new Set<string>();

  constructor(description: string, parsed: ParsedDescription) {
    this.#description = description;
    this.#args = parsed.args;
    this.#kwargs = parsed.kwargs;
  }

  /** Throws an `EndpointStringError` about this description. */
  fail(problem: string): never {
    throw new EndpointStringError(this.#description, problem);
  }

  /** The value of `name`, given as keyword or as the positional argument at `position`. */
  string(name: string, position?: number): string | undefined {
    this.#used.add(name);
    const kw = this.#kwargs[name];
    const pos = position === undefined ? undefined : this.#args[position];
    if (kw !== undefined && pos !== undefined)
      this.fail(`"${name}" is given both by position and as ${name}=`);
    return kw ?? pos;
  }

  /** Like `string`, but missing is an error. */
  required(name: string, position?: number): string {
    const v = this.string(name, position);
    if (v === undefined || v === '') this.fail(`"${name}" is missing`);
    return v;
  }

  /** A non-negative integer (a port, a backlog, a file mode in `radix`). */
  integer(
    name: string,
    position?: number,
    options: { radix?: number; max?: number } = {},
  ): number | undefined {
    const v = this.string(name, position);
    if (v === undefined) return undefined;
    const radix = options.radix ?? 10;
    const digits = radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    const n = digits.test(v) ? Number.parseInt(v, radix) : Number.NaN;
    if (!Number.isSafeInteger(n) || (options.max !== undefined && n > options.max)) {
      this.fail(
        `"${name}" must be ${radix === 8 ? 'an octal' : 'a non-negative'} integer${options.max !== undefined ? ` up to ${options.max}` : ''}, not "${v}"`,
      );
    }
    return n;
  }

  /** A port number 0–65535. */
  port(name: string, position?: number): number | undefined {
    return this.integer(name, position, { max: 65535 });
  }

  /** A port number that must be given; `usage` shows the expected form in the error. */
  requiredPort(name: string, position: number | undefined, usage: string): number {
    const port = this.port(name, position);
    if (port === undefined) this.fail(`the ${name} is missing ("${usage}")`);
    return port;
  }

  /** A non-negative number of seconds (may have a fraction). */
  seconds(name: string): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isFinite(n)) this.fail(`"${name}" must be a number of seconds, not "${v}"`);
    return n;
  }

  /** A boolean given as yes/no, true/false, 1/0, on/off. */
  boolean(name: string): boolean | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (['yes', 'true', '1', 'on'].includes(lower)) return true;
    if (['no', 'false', '0', 'off'].includes(lower)) return false;
    return this.fail(`"${name}" must be yes or no, not "${v}"`);
  }

  /** Throws if a keyword was given that no parser asked for, or more positionals than `maxArgs`. */
  finish(maxArgs: number): void {
    if (this.#args.length > maxArgs) {
      this.fail(`too many positional arguments (${this.#args.length}, at most ${maxArgs})`);
    }
    for (const key of Object.keys(this.#kwargs)) {
      if (!this.#used.has(key)) this.fail(`unknown keyword "${key}"`);
    }
  }
}
