/**
 * Response compression, Twisted's `EncodingResourceWrapper` + `GzipEncoderFactory`: wrap a
 * resource and its responses are gzip-compressed when the client accepts gzip and the content
 * type is worth compressing (text, JSON, XML, JavaScript, SVG). The compressed body is streamed
 * (chunked over HTTP/1.1) and `Vary: Accept-Encoding` is added. A streaming producer (a big
 * file) is paused while the compressor's input queue is full, as it is while the client reads
 * slowly: compressing never buffers the body.
 *
 * @example
 * ```ts
 * import { EncodingResourceWrapper, File, GzipEncoderFactory } from 'twisted-ts/web';
 * root.putChild('static', new EncodingResourceWrapper(new File('./public'), [new GzipEncoderFactory()]));
 * ```
 * @module
 */
import { createGzip, type Gzip } from 'node:zlib';
import type { HTTPRequest } from './http-request.js';
import type { Request } from './request.js';
import type { IResource, RenderResult } from './resource.js';
import { isCompressible } from './static/mime.js';

/**
 * Compresses one response body.
 *
 * @example
 * ```ts
 * class BrotliEncoder implements IResponseEncoder {
 *   readonly name = 'br';
 *   #out: (chunk: Buffer) => void = () => {};
 *   readonly #br = createBrotliCompress().on('data', (chunk: Buffer) => this.#out(chunk));
 *   encode(data: Uint8Array, out: (chunk: Buffer) => void) { this.#out = out; return this.#br.write(data); }
 *   onDrain(callback: () => void) { this.#br.once('drain', callback); }
 *   finish(out: (b: Buffer) => void, done: () => void) { this.#out = out; this.#br.once('end', done).end(); }
 * }
 * ```
 */
export interface IResponseEncoder {
  /** The `Content-Encoding` token (`gzip`). */
  readonly name: string;
  /**
   * Compresses `data` (kept by reference until compressed); compressed bytes go to `out`, possibly
   * later. Returns false when its input queue is full: the request then pauses its producer until
   * `onDrain`'s callback.
   */
  encode(data: Uint8Array, out: (chunk: Buffer) => void): boolean;
  /** Calls `callback` once, when the encoder takes input again. */
  onDrain(callback: () => void): void;
  /** Flushes the rest to `out`, then calls `done`. */
  finish(out: (chunk: Buffer) => void, done: () => void): void;
}

/**
 * Decides, per response, whether and how to encode it.
 *
 * @example
 * ```ts
 * const brotli: IEncoderFactory = {
 *   encoderForRequest: (request) =>
 *     acceptsEncoding(request.getHeader('accept-encoding'), 'br') ? new BrotliEncoder() : null,
 * };
 * const site = new Site(new EncodingResourceWrapper(root, [brotli, new GzipEncoderFactory()]));
 * // BrotliEncoder: see IResponseEncoder
 * ```
 */
export interface IEncoderFactory {
  /** An encoder for this response (status and headers are set), or null to leave it alone. */
  encoderForRequest(request: HTTPRequest): IResponseEncoder | null;
}

/**
 * True when `Accept-Encoding` accepts `coding` (q > 0, or `*`).
 *
 * @example
 * ```ts
 * acceptsEncoding('gzip;q=0.5, br', 'gzip'); // true
 * ```
 */
export function acceptsEncoding(header: string | undefined, coding: string): boolean {
  if (header === undefined) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const ok = q === undefined || Number(q.slice(2)) > 0;
    if (name === coding) return ok;
    if (name === '*') star = ok;
  }
  return star;
}

class GzipEncoder implements IResponseEncoder {
  readonly name = 'gzip';
  readonly #gzip: Gzip;
  #out: ((chunk: Buffer) => void) | null = null;

  constructor(level: number) {
    this.#gzip = createGzip({ level });
    this.#gzip.on('data', (chunk: Buffer) => this.#out?.(chunk));
  }

  encode(data: Uint8Array, out: (chunk: Buffer) => void): boolean {
    this.#out = out;
    return this.#gzip.write(data);
  }

  onDrain(callback: () => void): void {
    this.#gzip.once('drain', callback);
  }

  finish(out: (chunk: Buffer) => void, done: () => void): void {
    this.#out = out;
    this.#gzip.once('end', done);
    this.#gzip.end();
  }
}

/**
 * Gzip for clients that accept it, for compressible types and 200 responses.
 *
 * @example
 * ```ts
 * new GzipEncoderFactory({ compressLevel: 6 });
 * ```
 */
export class GzipEncoderFactory implements IEncoderFactory {
  /** zlib level 1–9 (default 6). */
  readonly compressLevel: number;

  constructor(options: { compressLevel?: number } = {}) {
    this.compressLevel = options.compressLevel ?? 6;
  }

  /**
   * A gzip encoder when the client accepts gzip and the body is worth compressing.
   *
   * @example
   * ```ts
   * factory.encoderForRequest(request); // null for an image or without Accept-Encoding: gzip
   * ```
   */
  encoderForRequest(request: HTTPRequest): IResponseEncoder | null {
    if (request.code !== 200) return null;
    if (!acceptsEncoding(request.getHeader('accept-encoding'), 'gzip')) return null;
    const type = request.responseHeaders.getHeader('content-type') ?? 'text/html';
    if (!isCompressible(type) || request.responseHeaders.hasHeader('content-encoding')) return null;
    return new GzipEncoder(this.compressLevel);
  }
}

/**
 * Wraps a resource so its responses (and its children's) may be encoded by `factories`.
 *
 * @example
 * ```ts
 * new Site(new EncodingResourceWrapper(root, [new GzipEncoderFactory()]));
 * ```
 */
export class EncodingResourceWrapper implements IResource {
  /**
   * @param original the resource (and tree) whose responses may be encoded.
   * @param factories the encodings offered, in order of preference.
   */
  constructor(
    readonly original: IResource,
    readonly factories: readonly IEncoderFactory[],
  ) {}

  /** A leaf when the original is. */
  get isLeaf(): boolean {
    return this.original.isLeaf;
  }

  /** Enables the encoders, then traverses the original. */
  getChildWithDefault(name: string, request: Request): IResource {
    request.addEncoderFactories(this.factories);
    return this.original.getChildWithDefault(name, request);
  }

  /** Adds a child to the original. */
  putChild(name: string, child: IResource): void {
    this.original.putChild(name, child);
  }

  /** Enables the encoders, then renders the original. */
  render(request: Request): RenderResult {
    request.addEncoderFactories(this.factories);
    return this.original.render(request);
  }
}
