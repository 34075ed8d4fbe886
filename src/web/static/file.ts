/**
 * `File`: serves a file or a directory tree from disk, Twisted's `static.File`.
 *
 * - Media types from the extension (`mime.ts`, plus `mimeTypes` overrides); `index.html` (or
 *   `indexNames`) for a directory, else an HTML listing (`listing.ts`; `directoryListing: false`
 *   answers 403 instead); a directory requested without its trailing slash is redirected.
 * - Conditional requests: `Last-Modified`/`If-Modified-Since` and a weak `ETag`/`If-None-Match` → 304.
 * - `Range`: one range → 206 with `Content-Range`; several → 206 `multipart/byteranges`; none
 *   satisfiable → 416 with a `Content-Range` giving the size; `If-Range` that does not match → the whole file.
 * - HEAD answers the headers only. Bodies stream from the disk with a push producer (`file-producer.ts`).
 * - Never serves outside its root: a path segment with `/`, `\`, NUL, `.` or `..` is refused (404),
 *   and a symlink whose target lies outside the root — a file, a directory or an index file — is
 *   refused (403) unless `allowSymlinksOutsideRoot`.
 * - The event loop never waits on the disk: stats, the root checks, the listing and the reads are
 *   asynchronous; the answer is a Deferred.
 *
 * @example
 * ```ts
 * import { File, Site } from 'twisted-ts/web';
 * reactor.listenTCP(8080, new Site(new File('./public')));
 * ```
 * @module
 */
import { randomBytes } from 'node:crypto';
import { close, open, realpath, realpathSync, type Stats, stat } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Deferred } from '../../internet/defer.js';
import type { Request } from '../request.js';
import { CACHED } from '../request.js';
import {
  ForbiddenResource,
  type IResource,
  NOT_DONE_YET,
  NoResource,
  type RenderBody,
  type RenderResult,
  Resource,
} from '../resource.js';
import { FileProducer, type FileSegment } from './file-producer.js';
import { type ListingEntry, renderListing } from './listing.js';
import { contentTypeFor } from './mime.js';
import { parseRange } from './range.js';

/**
 * Options of `File`.
 *
 * @example
 * ```ts
 * const docs = new File('/srv/www', {
 *   indexNames: ['index.html', 'index.htm'],
 *   mimeTypes: { '.log': 'text/plain; charset=utf-8' },
 *   defaultType: 'text/plain',
 *   directoryListing: false,
 * });
 * ```
 */
export interface FileOptions {
  /** Names tried, in order, for a directory (default `['index.html']`). */
  indexNames?: readonly string[];
  /** Extension (`.ext`) → media type, over the built-in table. */
  mimeTypes?: Readonly<Record<string, string>>;
  /** Type of files with an unknown extension (default `application/octet-stream`). */
  defaultType?: string;
  /** List directories without an index (default true). */
  directoryListing?: boolean;
  /** Follow symlinks that leave the root (default false). */
  allowSymlinksOutsideRoot?: boolean;
}

interface Shared {
  readonly root: string;
  readonly indexNames: readonly string[];
  readonly mimeTypes: Readonly<Record<string, string>>;
  readonly defaultType: string;
  readonly directoryListing: boolean;
  readonly allowSymlinksOutsideRoot: boolean;
}

/**
 * A file or directory on disk; see the module doc.
 *
 * @example
 * ```ts
 * const root = new Resource();
 * root.putChild('static', new File('./public'));
 * reactor.listenTCP(8080, new Site(root)); // /static/css/site.css → ./public/css/site.css
 * ```
 */
export class File extends Resource {
  /** The absolute path served. */
  readonly path: string;
  readonly #shared: Shared;

  constructor(path: string, options: FileOptions | Shared = {}) {
    super();
    this.path = resolve(path);
    this.#shared =
      'root' in options
        ? options
        : {
            root: safeRealpath(this.path) ?? this.path,
            indexNames: options.indexNames ?? ['index.html'],
            mimeTypes: normalizeTypes(options.mimeTypes ?? {}),
            defaultType: options.defaultType ?? 'application/octet-stream',
            directoryListing: options.directoryListing ?? true,
            allowSymlinksOutsideRoot: options.allowSymlinksOutsideRoot ?? false,
          };
  }

  /**
   * The child file `name`: refuses anything that could leave the directory.
   *
   * @example
   * ```ts
   * new File('./public').getChild('style.css', request);
   * ```
   */
  override getChild(name: string, _request: Request): IResource {
    if (name === '') return this;
    if (name === '.' || name === '..' || /[/\\\0]/.test(name)) return new NoResource();
    return new File(join(this.path, name), this.#shared);
  }

  /**
   * Only GET and HEAD. The stat, the root check and the open are asynchronous (the event loop
   * never waits on the disk); the answer comes as a Deferred that fires when they are done.
   */
  render_GET(request: Request): RenderResult {
    const answer = new Deferred<RenderBody>();
    stat(this.path, (err, st) => {
      if (err !== null) answer.callback(notFound(request));
      else if (this.#shared.allowSymlinksOutsideRoot) this.#afterChecks(request, st, answer);
      else {
        realpath.native(this.path, (e, real) => {
          if (e !== null || !this.#inside(real)) answer.callback(forbidden(request));
          else this.#afterChecks(request, st, answer);
        });
      }
    });
    return answer;
  }

  #afterChecks(request: Request, st: Stats, answer: Deferred<RenderBody>): void {
    if (request.disconnected) answer.callback('');
    else if (st.isDirectory()) this.#renderDirectory(request, answer);
    else if (!st.isFile()) answer.callback(notFound(request));
    else this.#renderFile(request, this.path, st, answer);
  }

  #inside(real: string): boolean {
    const root = this.#shared.root;
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  /** A directory: redirect to add the slash, an index file, a listing, or 403. */
  #renderDirectory(request: Request, answer: Deferred<RenderBody>): void {
    if (!request.path.endsWith('/')) {
      const q = request.uri.indexOf('?');
      request.redirect(`${request.path}/${q < 0 ? '' : request.uri.slice(q)}`);
      answer.callback('');
      return;
    }
    this.#findIndex().then(
      (index) => {
        if (index === 'outside') answer.callback(forbidden(request));
        else if (index !== null) this.#renderFile(request, index[0], index[1], answer);
        else if (!this.#shared.directoryListing) answer.callback(forbidden(request));
        else {
          this.#listing().then(
            (entries) => {
              request.setHeader('Content-Type', 'text/html; charset=utf-8');
              answer.callback(renderListing(request.path, entries));
            },
            () => answer.callback(forbidden(request)),
          );
        }
      },
      (err: unknown) => answer.errback(err),
    );
  }

  /** The first index file of the directory (checked like any file against the root), or null. */
  async #findIndex(): Promise<[string, Stats] | 'outside' | null> {
    for (const name of this.#shared.indexNames) {
      const p = join(this.path, name);
      let s: Stats;
      try {
        s = await fsp.stat(p);
      } catch {
        continue; // try the next index name
      }
      if (!s.isFile()) continue;
      if (!this.#shared.allowSymlinksOutsideRoot && !this.#inside(await fsp.realpath(p))) return 'outside';
      return [p, s];
    }
    return null;
  }

  /** The directory's entries with their sizes and types (unreadable ones left out). */
  async #listing(): Promise<ListingEntry[]> {
    const names = await fsp.readdir(this.path);
    const stats = await Promise.allSettled(names.map((name) => fsp.stat(join(this.path, name))));
    const entries: ListingEntry[] = [];
    stats.forEach((r, i) => {
      const name = names[i] as string;
      if (r.status === 'fulfilled') {
        const s = r.value;
        entries.push({ name, size: s.size, directory: s.isDirectory(), type: this.#typeOf(name) });
      }
    });
    return entries;
  }

  #typeOf(path: string): string {
    return contentTypeFor(path, this.#shared.mimeTypes, this.#shared.defaultType);
  }

  #renderFile(request: Request, path: string, stat: Stats, answer: Deferred<RenderBody>): void {
    const size = stat.size;
    const type = this.#typeOf(path);
    request.setHeader('Accept-Ranges', 'bytes');
    const etag = `W/"${size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    if (request.setETag(etag) === CACHED || request.setLastModified(stat.mtimeMs / 1000) === CACHED) {
      answer.callback('');
      return;
    }
    let segments: FileSegment[] = [{ start: 0, end: size }];
    let after: Buffer | undefined;
    const rangeHeader = request.getHeader('range');
    const ifRange = request.getHeader('if-range');
    const rangeApplies =
      rangeHeader !== undefined &&
      (ifRange === undefined ||
        ifRange === etag.slice(2) ||
        ifRange === etag ||
        ifRange === request.responseHeaders.getHeader('last-modified'));
    const ranges = rangeApplies ? parseRange(rangeHeader, size) : null;
    if (ranges === 'unsatisfiable') {
      request.setResponseCode(416);
      request.setHeader('Content-Range', `bytes */${size}`);
      request.setHeader('Content-Type', 'text/plain');
      answer.callback('');
      return;
    }
    let length = size;
    if (ranges !== null && ranges.length === 1) {
      const r = ranges[0]!;
      request.setResponseCode(206);
      request.setHeader('Content-Range', `bytes ${r.start}-${r.end - 1}/${size}`);
      request.setHeader('Content-Type', type);
      segments = [r];
      length = r.end - r.start;
    } else if (ranges !== null) {
      const boundary = randomBytes(12).toString('hex');
      request.setResponseCode(206);
      request.setHeader('Content-Type', `multipart/byteranges; boundary=${boundary}`);
      segments = ranges.map((r, i) => ({
        ...r,
        before: Buffer.from(
          `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: bytes ${r.start}-${r.end - 1}/${size}\r\n\r\n`,
          'latin1',
        ),
      }));
      after = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
      length = segments.reduce((n, s) => n + (s.before?.length ?? 0) + s.end - s.start, after.length);
    } else request.setHeader('Content-Type', type);
    request.setHeader('Content-Length', length);
    if (request.method === 'HEAD' || length === 0) {
      answer.callback('');
      return;
    }
    open(path, 'r', (err, fd) => {
      if (err !== null) answer.callback(forbidden(request));
      else if (request.disconnected) close(fd, ignore);
      else {
        new FileProducer(request, fd, segments, after).start();
        answer.callback(NOT_DONE_YET);
      }
    });
  }
}

function ignore(): void {}

function notFound(request: Request): RenderBody {
  return new NoResource().render(request) as RenderBody;
}

function forbidden(request: Request): RenderBody {
  return new ForbiddenResource().render(request) as RenderBody;
}

function safeRealpath(p: string): string | null {
  try {
    return realpathSync.native(p);
  } catch {
    return null;
  }
}

function normalizeTypes(types: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(types)) out[(k.startsWith('.') ? k : `.${k}`).toLowerCase()] = v;
  return out;
}
