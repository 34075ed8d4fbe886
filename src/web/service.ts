/**
 * What `twist web` serves (Twisted's `twisted.web.tap`): the options schema and `makeWebSite`,
 * which builds the `Site` from parsed options. The `IServiceMaker` that the `twist` registry lists
 * is `src/application/plugins/web.ts`: it adds the listening services, so this area does not
 * import `application` (the area graph stays acyclic).
 *
 * ```
 * twist web [--listen STRPORT]... [--path DIR] [--index NAME]...
 *           [--add-header "Name: Value"]... [--mime-type EXT=TYPE]... [--display-tracebacks]
 *           [--logfile PATH] [--workers N]
 * ```
 * Defaults: `--listen tcp:8080`, `--path .`. HTTPS: `--listen ssl:8443:privateKey=key.pem:certKey=cert.pem`.
 * Several processes sharing the sockets: `--workers N` (`twist` reads it, after the plugin name
 * as before it, and runs N cluster workers; `makeWebSite` ignores it).
 *
 * @example
 * ```ts
 * import { makeWebSite } from 'twisted-ts/web';
 * const site = makeWebSite({ path: './site', index: ['index.html'], 'add-header': [], 'mime-type': [], 'display-tracebacks': false }, reactor);
 * ```
 * @module
 */
import { statSync } from 'node:fs';
import { TwistedError } from '../internet/error.js';
import type { IReactorTime } from '../internet/interfaces.js';
import { isFieldValue, isToken } from './http/codec/abnf.js';
import type { Request } from './request.js';
import type { IResource, RenderResult } from './resource.js';
import { Site } from './site.js';
import { File } from './static/file.js';

/**
 * The options of `twist web` (an `OptionsSchema` of `twisted-ts/application`); the command's
 * `--help` documents each one.
 *
 * @internal Read by the `web` plugin; not part of the API reference.
 *
 * @example
 * ```ts
 * parseOptions(webOptions, ['--path', './site']).values.listen; // ['tcp:8080']
 * ```
 */
export const webOptions = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:8080'],
      metavar: 'STRPORT',
      description:
        'Endpoint to listen on (tcp:8080, ssl:8443:privateKey=key.pem:certKey=cert.pem, unix:/path).',
    },
    path: { type: 'string', default: '.', metavar: 'DIR', description: 'Directory to serve.' },
    index: {
      type: 'string',
      multiple: true,
      default: ['index.html'],
      metavar: 'NAME',
      description: 'File served for a directory, tried in order.',
    },
    'add-header': {
      type: 'string',
      multiple: true,
      metavar: 'HEADER',
      description: 'Add "Name: Value" to every response.',
    },
    'mime-type': {
      type: 'string',
      multiple: true,
      metavar: 'EXT=TYPE',
      description: 'Serve files ending in EXT as TYPE (e.g. .log=text/plain).',
    },
    'display-tracebacks': { type: 'boolean', description: 'Show the stack of render errors in 500 pages.' },
    logfile: {
      type: 'string',
      metavar: 'PATH',
      description: 'Append the access log (Combined Log Format) here.',
    },
    workers: {
      type: 'string',
      metavar: 'N',
      description:
        'Run N processes sharing the listening sockets (the same as twist\'s own --workers before "web").',
    },
  },
} as const;

/**
 * The parsed values `makeWebSite` needs.
 *
 * @example
 * ```ts
 * const values: WebSiteValues = {
 *   path: './public',
 *   index: ['index.html'],
 *   'add-header': ['X-Frame-Options: DENY'],
 *   'mime-type': ['.log=text/plain'],
 *   'display-tracebacks': false,
 * };
 * reactor.listenTCP(8080, makeWebSite(values, reactor));
 * ```
 */
export interface WebSiteValues {
  /** The directory served (`--path`). */
  readonly path: string;
  /** The index file names, tried in order (`--index`). */
  readonly index: readonly string[];
  /** `"Name: Value"` fields added to every response (`--add-header`). */
  readonly 'add-header': readonly string[];
  /** `EXT=TYPE` media types (`--mime-type`). */
  readonly 'mime-type': readonly string[];
  /** Render errors show their stack (`--display-tracebacks`). */
  readonly 'display-tracebacks': boolean;
  /** The access log file (`--logfile`). */
  readonly logfile?: string | undefined;
}

/**
 * A `twist web` option has a bad value; `twist` reports it as a usage error (code `ERR_USAGE`).
 *
 * @example
 * ```ts
 * try {
 *   makeWebSite({ path: '.', index: [], 'add-header': ['no colon'], 'mime-type': [],
 *     'display-tracebacks': false }, reactor);
 * } catch (err) {
 *   if (err instanceof WebOptionError) console.error(err.message);
 *   // '--add-header needs "Name: Value", got "no colon"'
 * }
 * ```
 */
export class WebOptionError extends TwistedError {
  constructor(message: string) {
    super(message, 'ERR_USAGE');
  }
}

/**
 * Wraps the root so every response carries the `--add-header` fields.
 *
 * @example
 * ```ts
 * new HeaderAddingResource(root, [['X-Frame-Options', 'DENY']]);
 * ```
 */
export class HeaderAddingResource implements IResource {
  /**
   * @param inner the resource (and tree) answering.
   * @param headers the `[name, value]` fields added to every response.
   */
  constructor(
    readonly inner: IResource,
    readonly headers: readonly (readonly [string, string])[],
  ) {}

  /** A leaf when the inner resource is. */
  get isLeaf(): boolean {
    return this.inner.isLeaf;
  }

  #add(request: Request): void {
    for (const [name, value] of this.headers) request.responseHeaders.addRawHeader(name, value);
  }

  /** Adds the headers, then traverses the inner resource. */
  getChildWithDefault(name: string, request: Request): IResource {
    this.#add(request);
    return this.inner.getChildWithDefault(name, request);
  }

  /** Adds a child to the inner resource. */
  putChild(name: string, child: IResource): void {
    this.inner.putChild(name, child);
  }

  /** Adds the headers, then renders the inner resource. */
  render(request: Request): RenderResult {
    this.#add(request);
    return this.inner.render(request);
  }
}

function parseHeaders(values: readonly string[]): [string, string][] {
  return values.map((h) => {
    const colon = h.indexOf(':');
    const name = h.slice(0, colon).trim();
    const value = h.slice(colon + 1).trim();
    if (colon < 0 || !isToken(name) || !isFieldValue(value)) {
      throw new WebOptionError(`--add-header needs "Name: Value", got ${JSON.stringify(h)}`);
    }
    return [name, value];
  });
}

function parseMimeTypes(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1)
      throw new WebOptionError(`--mime-type needs EXT=TYPE, got ${JSON.stringify(v)}`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/**
 * The site `twist web` serves: a `File` on `--path` (with `--index`, `--mime-type`), wrapped to
 * add `--add-header`s. Throws `WebOptionError` for a bad value or a missing directory.
 *
 * @example
 * ```ts
 * reactor.listenTCP(8080, makeWebSite(parseOptions(webOptions, argv).values, reactor));
 * ```
 */
export function makeWebSite(values: WebSiteValues, clock: IReactorTime): Site {
  const headers = parseHeaders(values['add-header']);
  const mimeTypes = parseMimeTypes(values['mime-type']);
  try {
    statSync(values.path);
  } catch {
    throw new WebOptionError(`--path ${values.path}: no such file or directory`);
  }
  let root: IResource = new File(values.path, { indexNames: values.index, mimeTypes });
  if (headers.length > 0) root = new HeaderAddingResource(root, headers);
  return new Site(root, {
    clock,
    displayTracebacks: values['display-tracebacks'],
    ...(values.logfile === undefined ? {} : { logPath: values.logfile }),
  });
}
