/**
 * `memoryStreamSetup`: runs the stream compliance suite over in-memory `connectedServerAndClient`
 * pairs. `listen` hands out fake port numbers; `connect` builds a pair and keeps pumping it (one
 * `flush()` per event-loop turn, via `setImmediate`) until both ends are closed (which keeps the
 * process alive meanwhile: close what you open), so tests written
 * for real sockets — which `await` Deferreds — run unchanged.
 *
 * @example
 * ```ts
 * import { defineStreamTransportTests, memoryStreamSetup } from 'twisted-ts/testing';
 * defineStreamTransportTests(memoryStreamSetup());
 * ```
 * @module
 */

import { ipAddress } from '../../internet/address.js';
import { ConnectionRefusedError } from '../../internet/error.js';
import type { IClientFactory, IProtocolFactory } from '../../internet/interfaces.js';
import { connectedServerAndClient, type IOPump } from '../iosim.js';
import { FakeConnector } from '../memory-reactor.js';
import type { StreamTransportSetup } from './stream.js';

/**
 * Options of `memoryStreamSetup`.
 *
 * @example
 * ```ts
 * const options: MemoryStreamOptions = { highWaterMark: 1024 }; // producers pause after 1 KiB
 * defineStreamTransportTests(memoryStreamSetup(options));
 * ```
 */
export interface MemoryStreamOptions {
  /** Passed to `connectedServerAndClient` (default 64 KiB). */
  highWaterMark?: number;
}

/**
 * A stream compliance setup over the in-memory pair.
 *
 * @example
 * ```ts
 * defineStreamTransportTests(memoryStreamSetup({ highWaterMark: 1024 }));
 * ```
 */
export function memoryStreamSetup(options: MemoryStreamOptions = {}): StreamTransportSetup<number> {
  const listeners = new Map<number, IProtocolFactory>();
  const pumps = new Set<IOPump>();
  let nextPort = 1;
  let scheduled = false;

  const tick = (): void => {
    scheduled = false;
    for (const pump of pumps) {
      pump.flush();
      if (pump.clientTransport.disconnected && pump.serverTransport.disconnected) pumps.delete(pump);
    }
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || pumps.size === 0) return;
    scheduled = true;
    setImmediate(tick);
  };

  return {
    name: 'in-memory pair (iosim)',
    async listen(factory) {
      const port = nextPort++;
      listeners.set(port, factory);
      return port;
    },
    connect(port, clientFactory: IClientFactory) {
      const connector = new FakeConnector(ipAddress('TCP', '10.0.0.1', port));
      clientFactory.startedConnecting(connector);
      const serverFactory = listeners.get(port);
      if (serverFactory === undefined) {
        clientFactory.clientConnectionFailed(connector, new ConnectionRefusedError());
        return;
      }
      const hwm = options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark };
      const { pump } = connectedServerAndClient(serverFactory, clientFactory, {
        serverAddress: ipAddress('TCP', '10.0.0.1', port),
        ...hwm,
      });
      pumps.add(pump);
      schedule();
    },
    stopListening(port) {
      listeners.delete(port);
    },
    maxBufferedBytes: 16 * 1024 * 1024,
  };
}
