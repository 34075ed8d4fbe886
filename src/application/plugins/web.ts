/**
 * The `web` plugin: `twist web` serves a directory over HTTP/1.1 and HTTPS on every `--listen`
 * endpoint. The site itself is built by `twisted-ts/web` (`makeWebSite`); this file only adds the
 * listening services.
 *
 * @example
 * ```sh
 * twist web --listen tcp:8080 --listen ssl:8443:privateKey=key.pem:certKey=cert.pem --path ./site
 * ```
 * @module
 */
import { serverFromString } from '../../internet/endpoints/strports.js';
import { makeWebSite, WebOptionError, webOptions } from '../../web/service.js';
import type { Site } from '../../web/site.js';
import { MultiService } from '../multi-service.js';
import { UsageError } from '../options.js';
import type { IServiceMaker } from '../service-maker.js';
import { StreamServerEndpointService } from '../stream-server-endpoint-service.js';

/**
 * `twist web`.
 *
 * @example
 * ```ts
 * const service = await web.makeService(parseOptions(web.options, ['--path', './site']), context);
 * ```
 */
export const web: IServiceMaker<typeof webOptions> = {
  name: 'web',
  description: 'A web server: static files from a directory, over HTTP/1.1 and HTTPS.',
  options: webOptions,
  makeService(options, context) {
    let site: Site;
    try {
      site = makeWebSite(options.values, context.reactor);
    } catch (err) {
      if (err instanceof WebOptionError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
    const top = new MultiService();
    for (const description of options.values.listen) {
      new StreamServerEndpointService(serverFromString(context.reactor, description), site, {
        shutdownTimeout: context.shutdownTimeout,
        clock: context.reactor,
      }).setServiceParent(top);
    }
    return top;
  },
};
