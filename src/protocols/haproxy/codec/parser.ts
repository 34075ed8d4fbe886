/**
 * `ProxyHeaderParser`: the sans-IO reader of the PROXY protocol header a load balancer (HAProxy,
 * nginx, AWS NLB…) sends first on each connection. It takes bytes as they come, tells v1 from v2
 * by the first byte, and emits one event: `headerReceived` (with the bytes that followed the
 * header) or `headerInvalid` (with the reason); it never throws on peer input.
 *
 * Limits: a v1 header is at most 107 bytes (the spec's maximum); a v2 header at most `maxV2Length`
 * bytes (default 16 + 65535, the format's maximum).
 *
 * @example
 * ```ts
 * import { ProxyHeaderParser } from 'twisted-ts/protocols/haproxy';
 * const parser = new ProxyHeaderParser();
 * for (const ev of parser.receive(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\nGET /'))) {
 *   if (ev.type === 'headerReceived') console.log(ev.info.source, ev.rest.toString()); // …, 'GET /'
 * }
 * ```
 * @module
 */
import type { ProxyHeaderEvent, ProxyInfo } from './types.js';
import { decodeV1, V1_MAX_LENGTH } from './v1.js';
import { decodeV2, V2_HEADER_LENGTH, V2_SIGNATURE } from './v2.js';

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');

/**
 * Options of `ProxyHeaderParser`.
 *
 * @example
 * ```ts
 * const parser = new ProxyHeaderParser({ maxV2Length: 1024 });
 * ```
 */
export interface ProxyHeaderParserOptions {
  /** Largest v2 header accepted, in bytes (default 65551). */
  maxV2Length?: number;
}

/**
 * Reads one PROXY header (v1 or v2) off the start of a stream.
 *
 * @example
 * ```ts
 * const [ev] = new ProxyHeaderParser().receive(Buffer.from('PROXY UNKNOWN\r\n'));
 * ```
 */
export class ProxyHeaderParser {
  readonly #maxV2Length: number;
  #chunks: Buffer[] = [];
  #length = 0;
  /** How far the v1 CRLF search has looked. */
  #searched = 0;
  /** Length of the v2 header once its fixed part has been read (0 until then). */
  #v2Total = 0;
  #state: 'reading' | 'done' | 'failed' = 'reading';

  constructor(options: ProxyHeaderParserOptions = {}) {
    this.#maxV2Length = options.maxV2Length ?? V2_HEADER_LENGTH + 0xffff;
  }

  /** `'reading'` until the header is decoded (`'done'`) or rejected (`'failed'`). */
  get state(): 'reading' | 'done' | 'failed' {
    return this.#state;
  }

  /**
   * Feeds bytes; returns `[]` while the header is incomplete, then exactly one event. Calling it
   * after `headerReceived` is a misuse and throws; after `headerInvalid` it returns `[]`.
   *
   * @example
   * ```ts
   * const events = parser.receive(chunk);
   * ```
   */
  receive(data: Uint8Array): ProxyHeaderEvent[] {
    if (this.#state === 'done')
      throw new Error('ProxyHeaderParser.receive after the header: pass data on instead.');
    if (this.#state === 'failed' || data.length === 0) return [];
    this.#chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.#length += data.length;
    const first = this.#chunks[0]![0]!;
    if (first === V1_PREFIX[0]) return this.#readV1();
    if (first === V2_SIGNATURE[0]) return this.#readV2();
    return this.#fail('the connection does not start with a PROXY protocol header');
  }

  /**
   * The stream ended; a header still incomplete is invalid.
   *
   * @example
   * ```ts
   * parser.receiveEof(); // [{ type: 'headerInvalid', … }] if it ended mid-header
   * ```
   */
  receiveEof(): ProxyHeaderEvent[] {
    if (this.#state !== 'reading') return [];
    return this.#fail('the connection ended before the PROXY header was complete');
  }

  #fail(reason: string): ProxyHeaderEvent[] {
    this.#state = 'failed';
    this.#chunks = [];
    return [{ type: 'headerInvalid', reason }];
  }

  #all(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#length)];
    return this.#chunks[0]!;
  }

  #prefixMismatch(expected: Buffer): boolean {
    const data = this.#all();
    const n = Math.min(data.length, expected.length);
    return data.compare(expected, 0, n, 0, n) !== 0;
  }

  #readV1(): ProxyHeaderEvent[] {
    if (this.#prefixMismatch(V1_PREFIX)) return this.#fail('the connection does not start with "PROXY "');
    const data = this.#all();
    const lf = data.indexOf(0x0a, this.#searched);
    if (lf === -1) {
      this.#searched = data.length;
      if (data.length >= V1_MAX_LENGTH) return this.#fail(`v1 header longer than ${V1_MAX_LENGTH} bytes`);
      return [];
    }
    if (lf + 1 > V1_MAX_LENGTH) return this.#fail(`v1 header longer than ${V1_MAX_LENGTH} bytes`);
    if (lf === 0 || data[lf - 1] !== 0x0d) return this.#fail('v1 header line does not end with CRLF');
    const line = data.subarray(0, lf - 1).toString('latin1');
    if (/[^\x20-\x7e]/.test(line)) return this.#fail('v1 header has non-printable characters');
    const info = decodeV1(line);
    if (typeof info === 'string') return this.#fail(info);
    return this.#done(info, data.subarray(lf + 1));
  }

  #readV2(): ProxyHeaderEvent[] {
    if (this.#v2Total === 0) {
      if (this.#prefixMismatch(V2_SIGNATURE))
        return this.#fail('the connection does not start with the v2 signature');
      if (this.#length < V2_HEADER_LENGTH) return [];
      const total = V2_HEADER_LENGTH + this.#all().readUInt16BE(14);
      if (total > this.#maxV2Length) return this.#fail(`v2 header of ${total} bytes exceeds the limit`);
      this.#v2Total = total;
    }
    // Chunks are only joined once the whole header is there: slow-drip input stays O(n).
    const total = this.#v2Total;
    if (this.#length < total) return [];
    const data = this.#all();
    const info = decodeV2(data.subarray(0, total));
    if (typeof info === 'string') return this.#fail(info);
    return this.#done(info, data.subarray(total));
  }

  #done(info: ProxyInfo, rest: Buffer): ProxyHeaderEvent[] {
    this.#state = 'done';
    this.#chunks = [];
    return [{ type: 'headerReceived', info, rest }];
  }
}
