/**
 * `readBody(response)`: collects a response body into one Buffer, as Twisted's `readBody`.
 * A close-delimited body (no length) errbacks with `PartialDownloadError` carrying what was read
 * in `body`, as in Twisted; `collect` (streaming) and the treq-style `content()` accept it.
 * Cancelling the Deferred stops the body (the connection is dropped).
 *
 * @example
 * ```ts
 * const body = await readBody(await agent.request('GET', 'http://127.0.0.1:8080/'));
 * console.log(body.toString());
 * ```
 * @module
 */
import { Deferred } from '../../internet/defer.js';
import type { IPushProducer, ITransport } from '../../internet/interfaces.js';
import {
  BodyTimeoutError,
  PartialDownloadError,
  PotentialDataLoss,
  ResponseDone,
  ResponseFailed,
} from './errors.js';
import type { IResponse } from './interfaces.js';

/** Gathers the body; `done` fires with it. */
class BodyCollector {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  readonly #d: Deferred<Buffer>;
  readonly #acceptPartial: boolean;
  transport: ITransport | null = null;
  constructor(d: Deferred<Buffer>, acceptPartial: boolean) {
    this.#d = d;
    this.#acceptPartial = acceptPartial;
  }
  makeConnection(transport: ITransport): void {
    this.transport = transport;
  }
  connectionMade(): void {}
  dataReceived(data: Buffer): void {
    this.#chunks.push(data);
    this.#bytes += data.length;
  }
  connectionLost(reason: Error): void {
    const d = this.#d;
    if (d.called) return;
    const c = this.#chunks;
    const body = c.length === 1 ? (c[0] as Buffer) : Buffer.concat(c, this.#bytes);
    if (reason instanceof ResponseDone || (reason instanceof PotentialDataLoss && this.#acceptPartial)) {
      d.callback(body);
    } else if (reason instanceof PotentialDataLoss) {
      const err = new PartialDownloadError('The body had no length; it may be incomplete.', {
        cause: reason,
      });
      err.body = body;
      d.errback(err);
    } else if (reason instanceof ResponseFailed && reason.reasons[0] instanceof BodyTimeoutError) {
      d.errback(reason.reasons[0]);
    } else d.errback(reason);
  }
}

/**
 * The whole body of `response` (see the module doc).
 *
 * @example
 * ```ts
 * readBody(response).addCallback((buf) => JSON.parse(buf.toString()));
 * ```
 */
export function readBody(response: IResponse): Deferred<Buffer> {
  return collectBody(response, false);
}

/**
 * Like `readBody`, but a close-delimited body counts as complete (for treq's `content()`).
 *
 * @example
 * ```ts
 * const buf = await collectBody(response, true);
 * ```
 */
export function collectBody(response: IResponse, acceptPartial: boolean): Deferred<Buffer> {
  let collector: BodyCollector | null = null;
  const d = new Deferred<Buffer>(() =>
    (collector?.transport as IPushProducer | null | undefined)?.stopProducing(),
  );
  collector = new BodyCollector(d, acceptPartial);
  response.deliverBody(collector);
  return d;
}
