/**
 * The `twist web` plugin (Twisted's `twisted.web.tap`): serves a directory (or any resource tree
 * built in code) on one or more endpoints.
 *
 * ```
 * twist web [--listen STRPORT]... [--path DIR] [--index NAME]... [--add-header "Name: Value"]...
 *           [--mime-type EXT=TYPE]... [--display-tracebacks] [--logfile PATH] [--workers N]
 * ```
 * Defaults: `--listen tcp:8080`, `--path .`. HTTPS: `--listen ssl:8443:privateKey=key.pem:certKey=cert.pem`.
 * `--workers N` (N > 1) forks N processes with `node:cluster` that share the listening sockets;
 * the primary only supervises them (a worker that dies is replaced).
 *
 * @example
 * ```ts
 * import { web } from 'twisted-ts/web';
 * // `npx twist web --listen tcp:8080 --path ./site` runs:
 * const service = await web.makeService(parseOptions(web.options, ['--path', './site']), context);
 * ```
 * @module
 */
import cluster, { type Worker } from 'node:cluster';
import { statSync } from 'node:fs';
import { MultiService } from '../application/multi-service.js';
import { UsageError } from '../application/options.js';
import { Service, type StopResult } from '../application/service.js';
import type { IServiceMaker } from '../application/service-maker.js';
import { StreamServerEndpointService } from '../application/stream-server-endpoint-service.js';
import { serverFromString } from '../internet/endpoints/strports.js';
import { isFieldValue, isToken } from './http/codec/abnf.js';
import type { Request } from './request.js';
import type { IResource, RenderResult } from './resource.js';
import { Site } from './site.js';
import { File } from './static/file.js';

const schema = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:8080'],
      metavar: 'STRPORT',
      description: 'Endpoint to listen on (tcp:8080, ssl:8443:privateKey=key.pem:certKey=cert.pem, unix:/path).',
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
    logfile: { type: 'string', metavar: 'PATH', description: 'Append the access log (Combined Log Format) here.' },
    workers: { type: 'string', default: '1', metavar: 'N', description: 'Processes sharing the listening sockets.' },
  },
} as const;

/**
 * Wraps the root so every response carries the `--add-header` fields.
 *
 * @example
 * ```ts
 * new HeaderAddingResource(root, [['X-Frame-Options', 'DENY']]);
 * ```
 */
export class HeaderAddingResource implements IResource {
  constructor(
    readonly inner: IResource,
    readonly headers: readonly (readonly [string, string])[],
  ) {}

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

/** Supervises `count` worker processes (the primary of `--workers N`). */
class ClusterService extends Service {
  readonly #count: number;
  readonly #workers = new Set<Worker>();

  constructor(count: number) {
    super();
    this.#count = count;
  }

  override startService(): void {
    super.startService();
    for (let i = 0; i < this.#count; i++) this.#fork();
  }

  #fork(): void {
    const worker = cluster.fork();
    this.#workers.add(worker);
    worker.once('exit', () => {
      this.#workers.delete(worker);
      if (this.running) this.#fork();
    });
  }

  override stopService(): StopResult {
    super.stopService();
    const exits = [...this.#workers].map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    );
    return Promise.all(exits);
  }
}

function parseHeaders(values: readonly string[]): [string, string][] {
  return values.map((h) => {
    const colon = h.indexOf(':');
    const name = h.slice(0, colon).trim();
    const value = h.slice(colon + 1).trim();
    if (colon < 0 || !isToken(name) || !isFieldValue(value)) throw new UsageError(`--add-header needs "Name: Value", got ${JSON.stringify(h)}`);
    return [name, value];
  });
}

function parseMimeTypes(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0 || eq === v.length - 1) throw new UsageError(`--mime-type needs EXT=TYPE, got ${JSON.stringify(v)}`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/**
 * The `web` service maker, listed in the `twist` plugin registry.
 *
 * @example
 * ```ts
 * import { web } from 'twisted-ts/web';
 * web.name; // 'web'
 * ```
 */
export const web: IServiceMaker<typeof schema> = {
  name: 'web',
  description: 'A web server: static files from a directory, over HTTP/1.1 and HTTPS.',
  options: schema,
  makeService(options, context) {
    const v = options.values;
    const workers = Number(v.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers needs a positive integer, got ${v.workers}`);
    const headers = parseHeaders(v['add-header']);
    const mimeTypes = parseMimeTypes(v['mime-type']);
    try {
      statSync(v.path);
    } catch {
      throw new UsageError(`--path ${v.path}: no such file or directory`);
    }
    if (workers > 1 && cluster.isPrimary) return new ClusterService(workers);
    let root: IResource = new File(v.path, { indexNames: v.index, mimeTypes });
    if (headers.length > 0) root = new HeaderAddingResource(root, headers);
    const site = new Site(root, {
      clock: context.reactor,
      displayTracebacks: v['display-tracebacks'],
      ...(v.logfile === undefined ? {} : { logPath: v.logfile }),
    });
    const top = new MultiService();
    for (const description of v.listen) {
      const endpoint = serverFromString(context.reactor, description);
      new StreamServerEndpointService(endpoint, site, {
        shutdownTimeout: context.shutdownTimeout,
        clock: context.reactor,
      }).setServiceParent(top);
    }
    return top;
  },
};
