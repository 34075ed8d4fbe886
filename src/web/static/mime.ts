/**
 * A compact table of the common media types by file extension, maintained here (Node has none and
 * a dependency is not worth it for ~60 lines). `File` takes extra or overriding entries
 * (`twist web --mime-type EXT=TYPE`).
 *
 * @example
 * ```ts
 * contentTypeFor('/site/style.css'); // 'text/css; charset=utf-8'
 * ```
 * @module
 */
import { extname } from 'node:path';

const TEXT = '; charset=utf-8';

/**
 * Extension (lower case, with the dot) → media type.
 *
 * @example
 * ```ts
 * MIME_TYPES['.png']; // 'image/png'
 * ```
 */
export const MIME_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '.html': `text/html${TEXT}`,
  '.htm': `text/html${TEXT}`,
  '.css': `text/css${TEXT}`,
  '.js': `text/javascript${TEXT}`,
  '.mjs': `text/javascript${TEXT}`,
  '.json': `application/json${TEXT}`,
  '.map': `application/json${TEXT}`,
  '.txt': `text/plain${TEXT}`,
  '.md': `text/markdown${TEXT}`,
  '.csv': `text/csv${TEXT}`,
  '.xml': `application/xml${TEXT}`,
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/vnd.microsoft.icon',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.ogv': 'video/ogg',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.bz2': 'application/x-bzip2',
  '.xz': 'application/x-xz',
  '.7z': 'application/x-7z-compressed',
  '.wasm': 'application/wasm',
  '.py': `text/x-python${TEXT}`,
  '.ts': `text/plain${TEXT}`,
  '.c': `text/plain${TEXT}`,
  '.h': `text/plain${TEXT}`,
  '.sh': `text/plain${TEXT}`,
  '.yaml': `text/yaml${TEXT}`,
  '.yml': `text/yaml${TEXT}`,
  '.toml': `text/plain${TEXT}`,
  '.pem': 'application/x-pem-file',
  '.ics': 'text/calendar',
  '.epub': 'application/epub+zip',
});

/**
 * The media type of `path` by its extension, from `overrides` then the table, else `fallback`.
 *
 * @example
 * ```ts
 * contentTypeFor('a.unknown', {}, 'application/octet-stream');
 * ```
 */
export function contentTypeFor(
  path: string,
  overrides: Readonly<Record<string, string>> = {},
  fallback = 'application/octet-stream',
): string {
  const ext = extname(path).toLowerCase();
  return overrides[ext] ?? MIME_TYPES[ext] ?? fallback;
}

/**
 * True for types worth compressing (text, JSON, XML, JavaScript, SVG).
 *
 * @example
 * ```ts
 * isCompressible('text/css; charset=utf-8'); // true
 * ```
 */
export function isCompressible(type: string): boolean {
  return /^(text\/|application\/(json|xml|javascript|rss\+xml|atom\+xml)|image\/svg\+xml)/i.test(type);
}
