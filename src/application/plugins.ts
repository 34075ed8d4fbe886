/**
 * The plugins of the `twist` command: an explicit list, no filesystem scan. To add one, write an
 * `IServiceMaker` (see `plugins/wire.ts`) and append it here — one line.
 *
 * @example
 * ```ts
 * import { findPlugin } from './plugins.js';
 * findPlugin('echo')?.description; // 'An echo server (RFC 862).'
 * ```
 * @module
 */

import { passwd } from './plugins/passwd.js';
import { portforward } from './plugins/portforward.js';
import { web } from './plugins/web.js';
import { daytime, discard, echo, qotd } from './plugins/wire.js';
import type { TwistPlugin } from './service-maker.js';

/**
 * Every plugin `twist` knows, in `twist --help` order.
 *
 * @example
 * ```ts
 * for (const plugin of twistPlugins) console.log(plugin.name, plugin.description);
 * ```
 */
export const twistPlugins: readonly TwistPlugin[] = [echo, discard, daytime, qotd, portforward, passwd, web];

/**
 * The plugin called `name`, if any.
 *
 * @example
 * ```ts
 * const plugin = findPlugin(argv[0]);
 * ```
 */
export function findPlugin(
  name: string,
  plugins: readonly TwistPlugin[] = twistPlugins,
): TwistPlugin | undefined {
  return plugins.find((p) => p.name === name);
}
