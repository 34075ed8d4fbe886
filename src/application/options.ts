/**
 * Options schemas: a plugin declares its options once, and the same schema drives parsing
 * (`node:util` `parseArgs`) and the `--help` text (laid out like Twisted's `usage.Options`).
 *
 * @example
 * ```ts
 * import { type OptionsSchema, parseOptions } from 'twisted-ts/application';
 * const schema = {
 *   options: {
 *     listen: { type: 'string', multiple: true, default: ['tcp:8000'], metavar: 'STRPORT', description: 'Where to listen.' },
 *   },
 * } as const satisfies OptionsSchema;
 * parseOptions(schema, ['--listen', 'tcp:9000']).values.listen; // ['tcp:9000']
 * ```
 * @module
 */
import { parseArgs } from 'node:util';

/**
 * One option.
 *
 * @example
 * ```ts
 * const port: OptionSpec = { type: 'string', short: 'p', description: 'Port to listen on', default: '8000' };
 * ```
 */
export interface OptionSpec {
  /** `'string'` takes a value (`--port 80` or `--port=80`); `'boolean'` is a flag. */
  readonly type: 'string' | 'boolean';
  /** One-letter alias (`-p`). */
  readonly short?: string;
  /** May be repeated; the value is then an array. */
  readonly multiple?: boolean;
  /** Value when the option is absent. */
  readonly default?: string | boolean | readonly string[];
  /** One line (or a few) for `--help`. */
  readonly description: string;
  /** Placeholder of the value in `--help` (`STRPORT`); default the option name in capitals. */
  readonly metavar?: string;
}

/**
 * A positional argument, in order.
 *
 * @example
 * ```ts
 * const file: PositionalSpec = { name: 'file', description: 'The password file', optional: true };
 * ```
 */
export interface PositionalSpec {
  /** Shown in the usage line (`twist NAME [options] FILE`) and in `--help`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** May be left out (only the last ones). */
  readonly optional?: boolean;
}

/**
 * The options and positional arguments a command accepts.
 *
 * @example
 * ```ts
 * const schema = { options: { port: { type: 'string', description: 'Port' } } } satisfies OptionsSchema;
 * ```
 */
export interface OptionsSchema {
  /** The `--name` options, keyed by their long name; the key is also the key in `values`. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** The positional arguments, in order; none accepted when absent. */
  readonly positionals?: readonly PositionalSpec[];
}

/**
 * The value type of one option.
 *
 * @example
 * ```ts
 * type Port = OptionValue<{ type: 'string'; description: 'Port' }>; // string | undefined
 * ```
 */
export type OptionValue<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['multiple'] extends true
    ? string[]
    : S extends {
          /** A string default makes the value always defined. */
          readonly default: string;
        }
      ? string
      : string | undefined;

/**
 * What `parseOptions` returns for a schema.
 *
 * @example
 * ```ts
 * const { values, positionals }: ParsedOptions<typeof schema> = parseOptions(schema, argv);
 * ```
 */
export interface ParsedOptions<S extends OptionsSchema = OptionsSchema> {
  /** One typed value per option of the schema, defaults applied. */
  readonly values: { readonly [K in keyof S['options']]: OptionValue<S['options'][K]> };
  /** The positional arguments as given, checked against the schema's count. */
  readonly positionals: readonly string[];
}

/**
 * The command line is wrong; the message says what, and `twist` prints the usage (exit code 2).
 *
 * @example
 * ```ts
 * if (port > 65535) throw new UsageError('--port must be at most 65535');
 * ```
 */
export class UsageError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/**
 * Parses `argv` against `schema`; throws `UsageError` for unknown options, missing values, and
 * missing or extra positionals.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseOptions(schema, ['--password', 'pw', 'alice']);
 * ```
 */
export function parseOptions<S extends OptionsSchema>(schema: S, argv: readonly string[]): ParsedOptions<S> {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(schema.options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  let parsed: {
    values: Record<string, string | boolean | (string | boolean)[] | undefined>;
    positionals: string[];
  };
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(cleanParseError(err), { cause: err });
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema.options)) {
    const given = parsed.values[name];
    if (given !== undefined) values[name] = given;
    else if (spec.default !== undefined)
      values[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
    else if (spec.type === 'boolean') values[name] = false;
    else if (spec.multiple === true) values[name] = [];
  }
  const specs = schema.positionals ?? [];
  const required = specs.filter((p) => p.optional !== true).length;
  if (parsed.positionals.length < required) {
    const missing = specs.slice(parsed.positionals.length, required).map((p) => p.name.toUpperCase());
    throw new UsageError(`missing argument: ${missing.join(' ')}`);
  }
  if (parsed.positionals.length > specs.length) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[specs.length]}`);
  }
  return { values, positionals: parsed.positionals } as unknown as ParsedOptions<S>;
}

function cleanParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Node adds advice about `--` and positionals that does not apply to us.
  return message.split('. To specify a positional argument')[0]?.replace(/\.$/, '') ?? message;
}

/**
 * Text of `--help`: what `formatHelp` lays out.
 *
 * @example
 * ```ts
 * io.stdout.write(formatHelp(schema, { usage: 'twist echo [options]', description: 'An echo server.' }));
 * ```
 */
export interface HelpText {
  /** `Usage: …` line, without the `Usage: ` prefix. */
  readonly usage: string;
  /** Paragraph under the usage line. */
  readonly description?: string;
  /** Extra sections after the options (`['Commands:', '  echo  …']`). */
  readonly trailer?: readonly string[];
}

/**
 * The `--help` text of a schema, in Twisted's layout: usage line, description, then one line per
 * option with its default.
 *
 * @example
 * ```ts
 * stdout.write(formatHelp(schema, { usage: 'twist echo [options]', description: 'An echo server.' }));
 * ```
 */
export function formatHelp(schema: OptionsSchema, text: HelpText): string {
  const lines = [`Usage: ${text.usage}`];
  if (text.description !== undefined) lines.push(text.description);
  const entries: [string, string][] = [];
  for (const [name, spec] of Object.entries(schema.options)) {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const metavar = spec.type === 'string' ? `=${spec.metavar ?? name.toUpperCase()}` : '';
    let description = spec.description;
    if (spec.multiple === true) description += ' (may be repeated)';
    const def = spec.default;
    if (def !== undefined && def !== false && !(Array.isArray(def) && def.length === 0)) {
      description += ` [default: ${Array.isArray(def) ? def.join(', ') : String(def)}]`;
    }
    entries.push([`${short}--${name}${metavar}`, description]);
  }
  entries.push(['    --help', 'Display this help and exit.']);
  const width = Math.max(...entries.map(([left]) => left.length)) + 2;
  lines.push('Options:');
  for (const [left, right] of entries) lines.push(`  ${left.padEnd(width)}${right}`);
  const positionals = schema.positionals ?? [];
  if (positionals.length > 0) {
    lines.push('Arguments:');
    const pw = Math.max(...positionals.map((p) => p.name.length)) + 4;
    for (const p of positionals) lines.push(`  ${p.name.toUpperCase().padEnd(pw)}${p.description}`);
  }
  if (text.trailer !== undefined) lines.push(...text.trailer);
  return `${lines.join('\n')}\n`;
}
