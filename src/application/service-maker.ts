/**
 * Plugin contracts of the `twist` command: an `IServiceMaker` builds the service `twist NAME`
 * runs (Twisted's `IServiceMaker`); an `ICommandMaker` is a one-shot command (`twist passwd`).
 * Both declare an `OptionsSchema` that drives parsing and `--help`.
 *
 * @example
 * ```ts
 * import type { IServiceMaker } from 'twisted-ts/application';
 * const schema = { options: { listen: { type: 'string', default: 'tcp:8000', description: 'Where to listen.' } } } as const;
 * export const hello: IServiceMaker<typeof schema> = {
 *   name: 'hello',
 *   description: 'Says hello.',
 *   options: schema,
 *   makeService: (options, { reactor }) =>
 *     new StreamServerEndpointService(serverFromString(reactor, options.values.listen), Factory.forProtocol(Hello)),
 * };
 * ```
 * @module
 */
import type { StrportsReactor } from '../internet/endpoints/strports.js';
import type { IReactor } from '../internet/interfaces.js';
import type { OptionsSchema, ParsedOptions } from './options.js';
import type { IService } from './service.js';

/**
 * Where a plugin writes and reads.
 *
 * @example
 * ```ts
 * io.stdout.write('done\n');
 * ```
 */
export interface PluginIO {
  /** Where the command's normal output goes (`process.stdout` under `twist`; a buffer in tests). */
  readonly stdout: {
    /** Writes `chunk` as is (add the newline yourself). */
    write(chunk: string): unknown;
  };
  /** Where warnings and error messages go (`process.stderr` under `twist`). */
  readonly stderr: {
    /** Writes `chunk` as is (add the newline yourself). */
    write(chunk: string): unknown;
  };
  /** Standard input, for commands that read it (`twist passwd`). */
  readonly stdin?: NodeJS.ReadableStream;
  /** The environment variables to read, instead of `process.env`, so tests can pass their own. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * What `makeService` receives besides the options.
 *
 * @example
 * ```ts
 * makeService: (parsed, { reactor }) => new StreamServerEndpointService(serverFromString(reactor, parsed.values.port), factory),
 * ```
 */
export interface ServiceMakerContext extends PluginIO {
  /** The reactor the service runs on. */
  readonly reactor: IReactor & StrportsReactor;
  /** Seconds a graceful shutdown lets open connections finish (`--shutdown-timeout`). */
  readonly shutdownTimeout: number;
}

/**
 * A service plugin: `twist NAME [options]` parses the options with `options` and runs the service
 * `makeService` returns. `makeService` may throw `UsageError` for values the schema cannot check.
 *
 * @example
 * ```ts
 * export const echo: IServiceMaker<typeof schema> = { name: 'echo', description: 'Echo server', options: schema, makeService };
 * ```
 */
export interface IServiceMaker<S extends OptionsSchema = OptionsSchema> {
  /** The command-line name (`'echo'`). */
  readonly name: string;
  /** One line for `twist --help`. */
  readonly description: string;
  /** Options of `twist NAME`. */
  readonly options: S;
  /** Builds the service (not started). */
  makeService(options: ParsedOptions<S>, context: ServiceMakerContext): IService | Promise<IService>;
}

/**
 * A command plugin: runs once and returns an exit code (`twist passwd`).
 *
 * @example
 * ```ts
 * export const hello: ICommandMaker = { name: 'hello', description: 'Says hello', options: { options: {} }, runCommand: async (_o, io) => { io.stdout.write('hello\n'); return 0; } };
 * ```
 */
export interface ICommandMaker<S extends OptionsSchema = OptionsSchema> {
  /** The command-line name (`'passwd'` for `twist passwd`). */
  readonly name: string;
  /** One line for `twist --help`. */
  readonly description: string;
  /** Options of `twist NAME`, parsed before `runCommand` is called. */
  readonly options: S;
  /** Runs the command; resolves to the exit code. */
  runCommand(options: ParsedOptions<S>, io: PluginIO): Promise<number>;
}

/**
 * Anything the `twist` registry lists.
 *
 * @example
 * ```ts
 * const plugins: readonly TwistPlugin[] = [echo, hello];
 * ```
 */
export type TwistPlugin = IServiceMaker<any> | ICommandMaker<any>;

/**
 * True for service plugins, false for command plugins.
 *
 * @example
 * ```ts
 * if (isServiceMaker(plugin)) await plugin.makeService(options, context);
 * ```
 */
export function isServiceMaker(plugin: TwistPlugin): plugin is IServiceMaker<any> {
  return typeof (plugin as IServiceMaker).makeService === 'function';
}
