/**
 * Textual IP addresses for the PROXY header codec: strict validation of v1's dotted-quad and
 * IPv6 text, and formatting of v2's binary addresses (IPv6 compressed as RFC 5952 says).
 *
 * @example
 * ```ts
 * isIPv4Text('192.168.0.1'); // true
 * formatIPv6(bytes);          // '2001:db8::1'
 * ```
 * @module
 */

/**
 * True for a dotted-quad IPv4 address with no leading zeros (`192.168.0.1`).
 *
 * @example
 * ```ts
 * isIPv4Text('010.0.0.1'); // false
 * ```
 */
export function isIPv4Text(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/**
 * True for IPv6 text: eight hex groups, or fewer with one `::`, optionally ending in a dotted quad.
 *
 * @example
 * ```ts
 * isIPv6Text('::ffff:10.0.0.1'); // true
 * ```
 */
export function isIPv6Text(text: string): boolean {
  if (text.length === 0 || text.length > 45) return false;
  let groups = 8;
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon !== -1 && body.slice(lastColon + 1).includes('.')) {
    if (!isIPv4Text(body.slice(lastColon + 1))) return false;
    body = `${body.slice(0, lastColon + 1)}0`;
    groups = 7;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const hex = /^[0-9a-fA-F]{1,4}$/;
  const count = (s: string): number | null => {
    if (s === '') return 0;
    const parts = s.split(':');
    return parts.every((p) => hex.test(p)) ? parts.length : null;
  };
  if (halves.length === 1) return count(body) === groups;
  const a = count(halves[0]!);
  const b = count(halves[1]!);
  return a !== null && b !== null && a + b <= groups - 1;
}

/**
 * Formats 4 bytes as a dotted quad.
 *
 * @example
 * ```ts
 * formatIPv4(Buffer.from([127, 0, 0, 1])); // '127.0.0.1'
 * ```
 */
export function formatIPv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

/**
 * Formats 16 bytes as compressed IPv6 text (lower case, the longest run of two or more zero
 * groups as `::`).
 *
 * @example
 * ```ts
 * formatIPv6(Buffer.from('20010db8000000000000000000000001', 'hex')); // '2001:db8::1'
 * ```
 */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
