/**
 * What the poetry clients share: reading `host:port` / `port` arguments and printing the elapsed
 * time the way the tutorial does (`0:00:10.13`, hours:minutes:seconds).
 *
 * @module
 */

/** Where one poetry server listens. */
export interface PoetryAddress {
  host: string;
  port: number;
}

/**
 * Parses `host:port` or a bare `port` (host 127.0.0.1).
 *
 * @example
 * ```ts
 * parseAddress('10000'); // { host: '127.0.0.1', port: 10000 }
 * ```
 */
export function parseAddress(arg: string): PoetryAddress {
  const colon = arg.lastIndexOf(':');
  const host = colon === -1 ? '127.0.0.1' : arg.slice(0, colon);
  const port = Number(colon === -1 ? arg : arg.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`not a port: ${arg}`);
  return { host, port };
}

/** `host:port`, as printed in the progress lines. */
export function formatAddress(a: PoetryAddress): string {
  return `${a.host}:${a.port}`;
}

/**
 * Formats milliseconds as `H:MM:SS.ss`.
 *
 * @example
 * ```ts
 * formatElapsed(10_130); // '0:00:10.13'
 * ```
 */
export function formatElapsed(ms: number): string {
  const centis = Math.round(ms / 10);
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6000);
  const seconds = (centis % 6000) / 100;
  return `${hours}:${String(minutes).padStart(2, '0')}:${seconds.toFixed(2).padStart(5, '0')}`;
}

/** The usage line shared by the four clients. */
export function clientUsage(file: string, what: string): string {
  return `usage: node --import tsx examples/poetry/${file} [HOST:]PORT ...\n${what}`;
}
