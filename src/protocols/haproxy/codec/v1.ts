/**
 * PROXY protocol version 1: one text line, at most 107 bytes with its CRLF, e.g.
 * `PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n` or `PROXY UNKNOWN\r\n`.
 *
 * @example
 * ```ts
 * decodeV1('PROXY TCP6 ::1 ::1 1 2'); // { version: 1, command: 'PROXY', source: {…}, destination: {…} }
 * ```
 * @module
 */
import { isIPv4Text, isIPv6Text } from './addresses.js';
import type { ProxyInfo } from './types.js';

/**
 * Longest v1 header, CRLF included.
 *
 * @example
 * ```ts
 * if (line.length > V1_MAX_LENGTH) reject();
 * ```
 */
export const V1_MAX_LENGTH = 107;

const portText = /^(0|[1-9][0-9]{0,4})$/;

/**
 * Decodes a v1 line (without its CRLF); returns the info, or a string saying what is wrong.
 *
 * @example
 * ```ts
 * const r = decodeV1('PROXY UNKNOWN');
 * if (typeof r === 'string') console.error(r);
 * ```
 */
export function decodeV1(line: string): ProxyInfo | string {
  const fields = line.split(' ');
  if (fields[0] !== 'PROXY') return 'v1 header does not start with "PROXY "';
  const proto = fields[1];
  if (proto === 'UNKNOWN') return { version: 1, command: 'LOCAL', source: null, destination: null };
  if (proto !== 'TCP4' && proto !== 'TCP6')
    return `v1 header has unknown protocol ${JSON.stringify(proto ?? '')}`;
  if (fields.length !== 6) return `v1 ${proto} header needs 4 address fields separated by single spaces`;
  const [, , src, dst, sport, dport] = fields as [string, string, string, string, string, string];
  const valid = proto === 'TCP4' ? isIPv4Text : isIPv6Text;
  if (!valid(src) || !valid(dst))
    return `v1 header has an invalid ${proto === 'TCP4' ? 'IPv4' : 'IPv6'} address`;
  if (!portText.test(sport) || !portText.test(dport) || Number(sport) > 65535 || Number(dport) > 65535) {
    return 'v1 header has an invalid port';
  }
  const family = proto === 'TCP4' ? 'IPv4' : 'IPv6';
  return {
    version: 1,
    command: 'PROXY',
    source: { type: 'TCP', family, host: src, port: Number(sport) },
    destination: { type: 'TCP', family, host: dst, port: Number(dport) },
  };
}
