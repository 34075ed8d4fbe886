/**
 * The folder-sync wire format, shared by server.ts and client.ts. Each message is one
 * Int32StringReceiver frame (a 4-byte big-endian length, then the bytes): a one-byte tag, then
 * the payload.
 *
 * | tag | message  | payload                                  | sent by |
 * | --- | -------- | ---------------------------------------- | ------- |
 * | `S` | Sync     | none: "send me the tree"                  | client  |
 * | `S` | Sync     | JSON `{ "files": number, "bytes": number }` | server  |
 * | `D` | Folder   | relative path, UTF-8, `/`-separated      | server  |
 * | `F` | File     | JSON `{ "path": string, "size": number }` | server  |
 * | `d` | data     | the next bytes of the current file       | server  |
 * | `E` | End      | none                                     | server  |
 *
 * The server answers Sync with Sync (the totals, for a progress bar), then the tree, parents
 * first. A File is followed by data messages totalling exactly `size` bytes. End closes the transfer.
 *
 * @module
 */

/** One message, decoded. */
export type Message =
  | { type: 'Sync'; totals?: Totals }
  | { type: 'Folder'; path: string }
  | { type: 'File'; path: string; size: number }
  | { type: 'data'; bytes: Buffer }
  | { type: 'End' };

/** How much a transfer carries. */
export interface Totals {
  files: number;
  bytes: number;
}

/** The largest data payload the server sends; the frame limit leaves room for the tag. */
export const CHUNK_SIZE = 32 * 1024;

/** The receivers' `maxLength`. */
export const MAX_FRAME = CHUNK_SIZE + 1024;

/**
 * Encodes a message as a frame payload.
 *
 * @example
 * ```ts
 * proto.sendString(encode({ type: 'Folder', path: 'docs/img' }));
 * ```
 */
export function encode(m: Message): Buffer {
  switch (m.type) {
    case 'Sync':
      return Buffer.from(m.totals ? `S${JSON.stringify(m.totals)}` : 'S', 'utf8');
    case 'Folder':
      return Buffer.concat([Buffer.from('D'), Buffer.from(m.path, 'utf8')]);
    case 'File':
      return Buffer.from(`F${JSON.stringify({ path: m.path, size: m.size })}`, 'utf8');
    case 'data':
      return Buffer.concat([Buffer.from('d'), m.bytes]);
    case 'End':
      return Buffer.from('E');
  }
}

/**
 * Decodes a frame payload; throws on anything malformed, including unsafe paths.
 *
 * @example
 * ```ts
 * override stringReceived(frame: Buffer) { this.handle(decode(frame)); }
 * ```
 */
export function decode(frame: Buffer): Message {
  const tag = String.fromCharCode(frame[0] ?? 0);
  const rest = frame.subarray(1);
  switch (tag) {
    case 'S': {
      if (rest.length === 0) return { type: 'Sync' };
      const { files, bytes } = JSON.parse(rest.toString('utf8')) as Totals;
      if (!Number.isSafeInteger(files) || !Number.isSafeInteger(bytes))
        throw new Error('malformed Sync message');
      return { type: 'Sync', totals: { files, bytes } };
    }
    case 'D':
      return { type: 'Folder', path: safePath(rest.toString('utf8')) };
    case 'F': {
      const { path, size } = JSON.parse(rest.toString('utf8')) as { path: unknown; size: unknown };
      if (typeof path !== 'string' || !Number.isSafeInteger(size) || (size as number) < 0) {
        throw new Error('malformed File message');
      }
      return { type: 'File', path: safePath(path), size: size as number };
    }
    case 'd':
      return { type: 'data', bytes: rest };
    case 'E':
      return { type: 'End' };
    default:
      throw new Error(`unknown message tag ${JSON.stringify(tag)}`);
  }
}

/** `path` if it stays inside the destination: relative, no `..`, no empty or `.` segments. */
export function safePath(path: string): string {
  const parts = path.split('/');
  if (path.includes('\0') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`unsafe path ${JSON.stringify(path)}`);
  }
  return path;
}
