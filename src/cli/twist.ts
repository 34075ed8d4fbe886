/**
 * The `twist` command: `twist [options] PLUGIN [plugin options]` runs a plugin's service (or
 * command) from the registry in `application/plugins.ts`, as Twisted's `twist` does. `main` takes
 * everything it touches as arguments and returns the exit code: 0 done, 1 failed, 2 usage error.
 *
 * @example
 * ```ts
 * import { main } from './twist.js'; // not a package export: the bin is `twist`
 * process.exitCode = await main(['echo', '--listen', 'tcp:7000'], { stdout: process.stdout, stderr: process.stderr, env: process.env });
 * ```
 * @module
 */
import cluster from 'node:cluster';
import { formatHelp, type OptionsSchema, parseOptions, UsageError } from '../application/options.js';
import { findPlugin, twistPlugins } from '../application/plugins.js';
import { routeEngineErrorsToLogger } from '../application/route-engine-errors.js';
import {
  isServiceMaker,
  type PluginIO,
  type ServiceMakerContext,
  type TwistPlugin,
} from '../application/service-maker.js';
import { getReactor, installReactor } from '../internet/default-reactor.js';
import { EndpointStringError } from '../internet/endpoints/description.js';
import type { IReactor } from '../internet/interfaces.js';
import { NodeReactor } from '../internet/reactor.js';
// Registers the `haproxy:` endpoint prefix, so `--listen haproxy:tcp:8080` works.
import '../protocols/haproxy/index.js';
import { logLevels } from '../logger/levels.js';
import { Logger } from '../logger/logger.js';
import { type LogLevels, parseLogLevels, startLogging } from './logging.js';
import { acquirePidfile, type Pidfile, PidfileInUseError } from './pidfile.js';
import { runService, type SignalSource } from './run-service.js';
import { runPrimary, WORKER_ID_ENV, WORKER_MESSAGES, workerSignals } from './workers.js';

const log = new Logger('twisted-ts.twist');

/**
 * What `main` runs with.
 *
 * @example
 * ```ts
 * const code = await main(['echo', '--port', 'tcp:0'], { stdout, stderr, reactor: new MemoryReactor() });
 * ```
 */
export interface TwistIO extends PluginIO {
  /** The reactor to run on (default: a fresh `NodeReactor` installed as the global one). */
  readonly reactor?: IReactor;
  /** Where shutdown signals come from (default `process`). */
  readonly signals?: SignalSource;
  /** The plugins to choose from (default the registry). */
  readonly plugins?: readonly TwistPlugin[];
}

/**
 * The options of `twist` itself, before the plugin name.
 *
 * @example
 * ```ts
 * parseOptions(twistOptions, ['--workers', '4']).values.workers; // '4'
 * ```
 */
export const twistOptions = {
  options: {
    'log-level': {
      type: 'string',
      default: 'info',
      metavar: 'LEVEL',
      description: `Log events at LEVEL and above (${logLevels.join(', ')}); add ,NAMESPACE=LEVEL for a namespace and those under it.`,
    },
    'log-format': {
      type: 'string',
      default: 'text',
      metavar: 'FORMAT',
      description: 'text (one line per event) or json (one JSON object per line).',
    },
    'log-file': {
      type: 'string',
      default: '-',
      metavar: 'PATH',
      description: 'Append the log to PATH; "-" logs to standard output.',
    },
    workers: {
      type: 'string',
      default: '1',
      metavar: 'N',
      description: 'Run N processes sharing the listening sockets; a dead worker is restarted.',
    },
    'shutdown-timeout': {
      type: 'string',
      default: '10',
      metavar: 'SECONDS',
      description: 'On SIGTERM/SIGINT, let open connections finish for SECONDS, then abort them.',
    },
    pidfile: {
      type: 'string',
      metavar: 'PATH',
      description: 'Write the process id to PATH; refuse to start if a live process owns it.',
    },
  },
} as const satisfies OptionsSchema;

const USAGE = 'twist [options] PLUGIN [plugin options]';

/**
 * `twist --help`: the options and the plugins.
 *
 * @example
 * ```ts
 * stdout.write(twistHelp(twistPlugins));
 * ```
 */
export function twistHelp(plugins: readonly TwistPlugin[]): string {
  const width = Math.max(...plugins.map((p) => p.name.length)) + 4;
  return formatHelp(twistOptions, {
    usage: USAGE,
    description: 'Run a twisted-ts plugin. "twist PLUGIN --help" lists the options of PLUGIN.',
    trailer: ['Plugins:', ...plugins.map((p) => `  ${p.name.padEnd(width)}${p.description}`)],
  });
}

/**
 * `twist PLUGIN --help`.
 *
 * @example
 * ```ts
 * stdout.write(pluginHelp(findPlugin('echo')!));
 * ```
 */
export function pluginHelp(plugin: TwistPlugin): string {
  const positionals = (plugin.options.positionals ?? []).map((p: { name: string; optional?: boolean }) =>
    p.optional === true ? `[${p.name.toUpperCase()}]` : p.name.toUpperCase(),
  );
  return formatHelp(plugin.options, {
    usage: ['twist [options]', plugin.name, '[options]', ...positionals].join(' '),
    description: plugin.description,
  });
}

/** Splits `argv` at the plugin name: twist's options before, the plugin's after. */
function splitArgv(argv: readonly string[]): {
  own: string[];
  name: string | undefined;
  rest: string[];
  help: boolean;
} {
  const own: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { own, name: undefined, rest: [], help: true };
    if (!arg.startsWith('-')) return { own, name: arg, rest: argv.slice(i + 1), help: false };
    own.push(arg);
    const key = arg.slice(2);
    const spec = (twistOptions.options as Record<string, { type: string }>)[key];
    if (spec?.type === 'string' && i + 1 < argv.length) own.push(argv[++i] as string);
  }
  return { own, name: undefined, rest: [], help: false };
}

function positiveNumber(text: string, option: string, integer: boolean): number {
  const n = Number(text);
  if (
    text.trim() === '' ||
    !Number.isFinite(n) ||
    n < (integer ? 1 : 0) ||
    (integer && !Number.isInteger(n))
  ) {
    throw new UsageError(
      `--${option} must be ${integer ? 'a positive integer' : 'a number of seconds'}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

function makeReactor(shutdownTimeout: number): IReactor {
  const reactor = new NodeReactor({ installSignalHandlers: false, shutdownTimeout });
  try {
    installReactor(reactor);
    return reactor;
  } catch {
    return getReactor();
  }
}

/**
 * Runs `twist` with `argv` (without the node and script paths); resolves to the exit code.
 *
 * @example
 * ```ts
 * const code = await main(['--log-level', 'debug', 'echo', '--listen', 'tcp:0'], { stdout, stderr, env: {} });
 * ```
 */
export async function main(argv: readonly string[], io: TwistIO): Promise<number> {
  const plugins = io.plugins ?? twistPlugins;
  const usageError = (message: string, usage: string): number => {
    io.stderr.write(`twist: error: ${message}\nUsage: ${usage}\nRun "twist --help" for help.\n`);
    return 2;
  };
  const split = splitArgv(argv);
  if (split.help) {
    io.stdout.write(twistHelp(plugins));
    return 0;
  }
  let globals: ReturnType<typeof parseGlobals>;
  try {
    globals = parseGlobals(split.own);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message, USAGE);
    throw err;
  }
  if (split.name === undefined) return usageError('no plugin given', USAGE);
  const plugin = findPlugin(split.name, plugins);
  if (plugin === undefined) {
    return usageError(
      `unknown plugin ${JSON.stringify(split.name)}; plugins: ${plugins.map((p) => p.name).join(', ')}`,
      USAGE,
    );
  }
  const pluginUsage =
    pluginHelp(plugin)
      .split('\n')[0]
      ?.replace(/^Usage: /, '') ?? USAGE;
  const dashDash = split.rest.indexOf('--');
  if (split.rest.slice(0, dashDash < 0 ? undefined : dashDash).includes('--help')) {
    io.stdout.write(pluginHelp(plugin));
    return 0;
  }
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(plugin.options, split.rest);
  } catch (err) {
    if (err instanceof UsageError) return usageError(`${plugin.name}: ${err.message}`, pluginUsage);
    throw err;
  }
  try {
    globals = hoistPluginGlobals(globals, plugin.options, options);
  } catch (err) {
    if (err instanceof UsageError) return usageError(`${plugin.name}: ${err.message}`, pluginUsage);
    throw err;
  }
  if (!isServiceMaker(plugin)) {
    try {
      return await plugin.runCommand(options, io);
    } catch (err) {
      if (err instanceof UsageError) return usageError(`${plugin.name}: ${err.message}`, pluginUsage);
      io.stderr.write(`twist ${plugin.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }

  const workerId = cluster.isWorker ? Number(io.env[WORKER_ID_ENV]) : Number.NaN;
  const isWorker = Number.isInteger(workerId) && workerId > 0;
  const logging = startLogging({
    level: globals.level,
    namespaceLevels: globals.namespaceLevels,
    format: globals.format,
    file: globals.logFile,
    stdout: io.stdout,
    ...(isWorker ? { worker: { id: workerId, pid: process.pid } } : {}),
  });
  const restoreReporters = routeEngineErrorsToLogger();
  let pidfile: Pidfile | null = null;
  try {
    if (globals.pidfile !== undefined && !isWorker) pidfile = acquirePidfile(globals.pidfile);
    const reactor = io.reactor ?? makeReactor(globals.shutdownTimeout);
    if (globals.workers > 1 && !isWorker) {
      return await runPrimary({
        workers: globals.workers,
        argv,
        clock: reactor,
        ...(io.signals === undefined ? {} : { signals: io.signals }),
      });
    }
    const context: ServiceMakerContext = {
      ...io,
      reactor: reactor as ServiceMakerContext['reactor'],
      shutdownTimeout: globals.shutdownTimeout,
    };
    const service = await plugin.makeService(options, context);
    log.info('Starting {plugin} (pid {pid})', { plugin: plugin.name, pid: process.pid });
    return await runService(service, {
      reactor,
      shutdownTimeout: globals.shutdownTimeout,
      ...(io.signals === undefined ? {} : { signals: io.signals }),
      // A worker is stopped by its primary (IPC messages, or the channel closing) or its own
      // SIGTERM, not by the terminal's SIGINT that reaches the whole process group; the primary
      // logs where it listens.
      ...(isWorker
        ? {
            signals: io.signals ?? workerSignals(),
            shutdownOn: ['SIGTERM'],
            gracefulOn: [WORKER_MESSAGES.shutdown, 'disconnect'],
            abortOn: [WORKER_MESSAGES.abort],
            ignore: ['SIGINT'],
            announceListening: false,
          }
        : {}),
    });
  } catch (err) {
    if (err instanceof UsageError || err instanceof EndpointStringError) {
      return usageError(`${plugin.name}: ${err.message}`, pluginUsage);
    }
    if (err instanceof PidfileInUseError) {
      io.stderr.write(`twist: ${err.message}\n`);
      return 1;
    }
    log.failure('twist {plugin} failed', err, { plugin: plugin.name });
    return 1;
  } finally {
    pidfile?.release();
    restoreReporters();
    await logging.stop();
    // A cluster worker's IPC channel keeps it alive: let go of it so the process can end.
    if (isWorker && process.connected) process.disconnect();
  }
}

/**
 * Global options a plugin may also accept after its name (`twist web --workers 4`, as the issue
 * spells it): when the plugin's schema declares one and the command line gives it there, that
 * value wins over the one before the plugin name.
 */
const HOISTED_OPTIONS = ['workers'] as const;

function hoistPluginGlobals(
  globals: ReturnType<typeof parseGlobals>,
  schema: OptionsSchema,
  options: ReturnType<typeof parseOptions>,
): ReturnType<typeof parseGlobals> {
  let out = globals;
  for (const name of HOISTED_OPTIONS) {
    if (schema.options[name]?.type !== 'string') continue;
    const value = (options.values as Record<string, unknown>)[name];
    if (typeof value !== 'string') continue;
    out = { ...out, workers: positiveNumber(value, name, true) };
  }
  return out;
}

function parseGlobals(own: readonly string[]) {
  const { values } = parseOptions(twistOptions, own);
  let levels: LogLevels;
  try {
    levels = parseLogLevels(values['log-level']);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const format = values['log-format'];
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`--log-format must be text or json, got ${JSON.stringify(format)}`);
  }
  return {
    level: levels.level,
    namespaceLevels: levels.namespaces,
    format: format as 'text' | 'json',
    logFile: values['log-file'],
    workers: positiveNumber(values.workers, 'workers', true),
    shutdownTimeout: positiveNumber(values['shutdown-timeout'], 'shutdown-timeout', false),
    pidfile: values.pidfile,
  };
}
