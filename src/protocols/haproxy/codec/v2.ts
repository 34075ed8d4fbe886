/**
 * PROXY protocol version 2: a 16-byte binary header (12-byte signature, version/command,
 * family/transport, big-endian length) followed by the address block and optional TLVs, which
 * this decoder skips.
 *
 * @example
 * ```ts
 * const header = Buffer.concat([V2_SIGNATURE, Buffer.from([0x21, 0x11, 0, 12]), addresses]);
 * decodeV2(header); // { version: 2, command: 'PROXY', source: { host: '127.0.0.1', … }, … }
 * ```
 * @module
 */
import { formatIPv4, formatIPv6 } from './addresses.js';
import type { ProxyAddress, ProxyInfo, ProxyIPAddress } from './types.js';

/**
 * The 12 bytes every v2 header starts with.
 *
 * @example
 * ```ts
 * if (data.subarray(0, 12).equals(V2_SIGNATURE)) console.log('a v2 header');
 * ```
 */
export const V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

/**
 * Length of the fixed part of a v2 header.
 *
 * @example
 * ```ts
 * const total = V2_HEADER_LENGTH + header.readUInt16BE(14);
 * ```
 */
export const V2_HEADER_LENGTH = 16;

/**
 * The source (`index` 0) or destination (`index` 1) of an INET/INET6 address block: both addresses of
 * `size` bytes, then both 16-bit ports.
 */
function inetAddress(
  type: ProxyIPAddress['type'],
  family: 'IPv4' | 'IPv6',
  body: Buffer,
  index: 0 | 1,
  size: 4 | 16,
): ProxyIPAddress {
  const bytes = body.subarray(index * size, (index + 1) * size);
  const host = family === 'IPv4' ? formatIPv4(bytes) : formatIPv6(bytes);
  return { type, family, host, port: body.readUInt16BE(2 * size + 2 * index) };
}

function unixName(bytes: Buffer): string | null {
  const end = bytes.indexOf(0);
  const name = bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
  return name === '' ? null : name;
}

/**
 * Decodes one complete v2 header (`16 + length` bytes); returns the info, or what is wrong.
 *
 * @example
 * ```ts
 * const r = decodeV2(bytes);
 * if (typeof r !== 'string') console.log(r.source);
 * ```
 */
export function decodeV2(header: Buffer): ProxyInfo | string {
  const verCmd = header[12]!;
  if (verCmd >> 4 !== 2) return `v2 header has version ${verCmd >> 4}, not 2`;
  const cmd = verCmd & 0x0f;
  if (cmd !== 0 && cmd !== 1) return `v2 header has unknown command ${cmd}`;
  const famProto = header[13]!;
  const length = header.readUInt16BE(14);
  const body = header.subarray(V2_HEADER_LENGTH, V2_HEADER_LENGTH + length);
  if (cmd === 0) return { version: 2, command: 'LOCAL', source: null, destination: null };
  const type = (famProto & 0x0f) === 2 ? 'UDP' : 'TCP';
  let source: ProxyAddress;
  let destination: ProxyAddress;
  switch (famProto) {
    case 0x00:
      return { version: 2, command: 'PROXY', source: null, destination: null };
    case 0x11:
    case 0x12:
      if (length < 12) return `v2 IPv4 header needs 12 address bytes, has ${length}`;
      source = inetAddress(type, 'IPv4', body, 0, 4);
      destination = inetAddress(type, 'IPv4', body, 1, 4);
      break;
    case 0x21:
    case 0x22:
      if (length < 36) return `v2 IPv6 header needs 36 address bytes, has ${length}`;
      source = inetAddress(type, 'IPv6', body, 0, 16);
      destination = inetAddress(type, 'IPv6', body, 1, 16);
      break;
    case 0x31:
    case 0x32:
      if (length < 216) return `v2 UNIX header needs 216 address bytes, has ${length}`;
      source = { type: 'UNIX', name: unixName(body.subarray(0, 108)) };
      destination = { type: 'UNIX', name: unixName(body.subarray(108, 216)) };
      break;
    default:
      return `v2 header has unknown address family/transport 0x${famProto.toString(16).padStart(2, '0')}`;
  }
  return { version: 2, command: 'PROXY', source, destination };
}
