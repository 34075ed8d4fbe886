/**
 * `twist portforward --listen STRPORT --host H --dest-port P`: relays every accepted connection to
 * `H:P` (Twisted's `twist portforward`).
 *
 * @example
 * ```sh
 * twist portforward --listen tcp:8080:interface=127.0.0.1 --host example.com --dest-port 80
 * ```
 * @module
 */
import { ProxyFactory } from '../../protocols/portforward/portforward.js';
import { type OptionsSchema, UsageError } from '../options.js';
import type { IServiceMaker } from '../service-maker.js';
import { makeListeningService } from './wire.js';

const schema = {
  options: {
    listen: {
      type: 'string',
      multiple: true,
      default: ['tcp:8080'],
      metavar: 'STRPORT',
      description: 'Endpoint to accept connections on.',
    },
    host: { type: 'string', default: 'localhost', description: 'Host to forward to.' },
    'dest-port': { type: 'string', metavar: 'PORT', description: 'Port to forward to (required).' },
  },
} as const satisfies OptionsSchema;

/**
 * Parses a TCP port number (1–65535); throws `UsageError` otherwise.
 *
 * @example
 * ```ts
 * parsePort('8080', '--dest-port'); // 8080
 * ```
 */
export function parsePort(text: string | undefined, option: string): number {
  if (text === undefined) throw new UsageError(`${option} is required`);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new UsageError(`${option} must be a port number (1-65535), got ${JSON.stringify(text)}`);
  }
  return port;
}

/**
 * The `portforward` plugin.
 *
 * @example
 * ```ts
 * await main(['portforward', '--listen', 'tcp:8080', '--dest-port', '80'], io);
 * ```
 */
export const portforward: IServiceMaker<typeof schema> = {
  name: 'portforward',
  description: 'A port forwarder: relays each connection to HOST:DEST-PORT.',
  options: schema,
  makeService(options, context) {
    const port = parsePort(options.values['dest-port'], '--dest-port');
    const factory = new ProxyFactory(options.values.host, port, { reactor: context.reactor });
    return makeListeningService(options.values.listen, factory, context);
  },
};
