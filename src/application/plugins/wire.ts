/**
 * The wire plugins: `echo`, `discard`, `daytime` and `qotd`, each serving its protocol from
 * `protocols/wire` on every `--listen` endpoint (default: the protocol's well-known port).
 *
 * @example
 * ```sh
 * twist echo --listen tcp:7000:interface=127.0.0.1 --listen tcp6:7000
 * ```
 * @module
 */

import { serverFromString } from '../../internet/endpoints/strports.js';
import type { IProtocolFactory } from '../../internet/interfaces.js';
import { DaytimeFactory } from '../../protocols/wire/daytime.js';
import { DiscardFactory } from '../../protocols/wire/discard.js';
import { EchoFactory } from '../../protocols/wire/echo.js';
import { QOTDFactory } from '../../protocols/wire/qotd.js';
import { MultiService } from '../multi-service.js';
import type { OptionsSchema } from '../options.js';
import type { IServiceMaker, ServiceMakerContext } from '../service-maker.js';
import { StreamServerEndpointService } from '../stream-server-endpoint-service.js';

function listenSchema(defaultPort: number) {
  return {
    options: {
      listen: {
        type: 'string',
        multiple: true,
        default: [`tcp:${defaultPort}`],
        metavar: 'STRPORT',
        description: 'Endpoint to listen on, e.g. tcp:7000:interface=127.0.0.1.',
      },
    },
  } as const satisfies OptionsSchema;
}

type ListenSchema = ReturnType<typeof listenSchema>;

/**
 * A service listening with `factory` on every endpoint of `listen`, draining on shutdown.
 *
 * @example
 * ```ts
 * makeListeningService(['tcp:7000'], Factory.forProtocol(Echo), context);
 * ```
 */
export function makeListeningService(
  listen: readonly string[],
  factory: IProtocolFactory,
  { reactor, shutdownTimeout }: ServiceMakerContext,
): MultiService {
  const top = new MultiService();
  for (const where of listen) {
    new StreamServerEndpointService(serverFromString(reactor, where), factory, {
      shutdownTimeout,
      clock: reactor,
    }).setServiceParent(top);
  }
  return top;
}

function wirePlugin(
  name: string,
  description: string,
  port: number,
  makeFactory: (context: ServiceMakerContext) => IProtocolFactory,
): IServiceMaker<ListenSchema> {
  return {
    name,
    description,
    options: listenSchema(port),
    makeService: (options, context) =>
      makeListeningService(options.values.listen, makeFactory(context), context),
  };
}

/**
 * `twist echo`: RFC 862, sends back what it receives.
 *
 * @example
 * ```ts
 * await main(['echo', '--listen', 'tcp:7000'], io);
 * ```
 */
export const echo = wirePlugin('echo', 'An echo server (RFC 862).', 7, () => new EchoFactory());

/**
 * `twist discard`: RFC 863, reads and ignores.
 *
 * @example
 * ```ts
 * await main(['discard', '--listen', 'tcp:9000'], io);
 * ```
 */
export const discard = wirePlugin('discard', 'A discard server (RFC 863).', 9, () => new DiscardFactory());

/**
 * `twist daytime`: RFC 867, sends the date and closes.
 *
 * @example
 * ```ts
 * await main(['daytime', '--listen', 'tcp:1300'], io);
 * ```
 */
export const daytime = wirePlugin('daytime', 'A daytime server (RFC 867).', 13, () => new DaytimeFactory());

/**
 * `twist qotd`: RFC 865, sends a quote and closes.
 *
 * @example
 * ```ts
 * await main(['qotd', '--listen', 'tcp:1700'], io);
 * ```
 */
export const qotd = wirePlugin('qotd', 'A Quote of the Day server (RFC 865).', 17, () => new QOTDFactory());
