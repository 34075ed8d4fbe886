/**
 * Helpers of the TLS and UNIX integration tests: a protocol that records its events and lets a
 * test await them.
 *
 * @example
 * ```ts
 * const p = new Probe(); await p.made; await p.lost;
 * ```
 * @module
 */
import { Deferred } from '../../../src/internet/defer.js';
import type { IAddress, IProtocol, IProtocolFactory } from '../../../src/internet/interfaces.js';
import { ClientFactory, Protocol } from '../../../src/internet/protocol.js';

/** Records everything; `made`, `secure`, `lost` fire on the matching event; `until(n)` on n bytes. */
export class Probe extends Protocol {
  readonly made = new Deferred<void>();
  readonly secure = new Deferred<void>();
  readonly lost = new Deferred<Error>();
  readonly chunks: Buffer[] = [];
  handshakes = 0;
  #waits: { n: number; d: Deferred<Buffer> }[] = [];

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** Fires once at least `n` bytes have arrived. */
  until(n: number): Deferred<Buffer> {
    const d = new Deferred<Buffer>();
    this.#waits.push({ n, d });
    this.#check();
    return d;
  }

  #check(): void {
    const have = this.data;
    this.#waits = this.#waits.filter((w) => {
      if (have.length < w.n) return true;
      w.d.callback(have);
      return false;
    });
  }

  override connectionMade(): void {
    this.made.callback(undefined);
  }

  handshakeCompleted(): void {
    this.handshakes++;
    this.secure.callback(undefined);
  }

  override dataReceived(data: Buffer): void {
    this.chunks.push(data);
    this.#check();
  }

  override connectionLost(reason: Error): void {
    super.connectionLost(reason);
    this.lost.callback(reason);
  }
}

/** Echoes what it receives. */
export class EchoProbe extends Probe {
  override dataReceived(data: Buffer): void {
    super.dataReceived(data);
    this.transport!.write(data);
  }
}

/** A factory that keeps every protocol it built. */
export class KeepingFactory<P extends IProtocol> extends ClientFactory implements IProtocolFactory {
  readonly built: P[] = [];
  readonly first = new Deferred<P>();
  readonly #make: () => P;

  constructor(make: () => P) {
    super();
    this.#make = make;
  }

  override buildProtocol(_addr: IAddress): P {
    const p = this.#make();
    this.built.push(p);
    if (this.built.length === 1) this.first.callback(p);
    return p;
  }
}
