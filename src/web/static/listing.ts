/**
 * The HTML directory listing of `File` (Twisted's `static.DirectoryLister`): entries sorted by
 * name, directories first, names HTML-escaped and links percent-encoded, with sizes and types.
 *
 * @example
 * ```ts
 * renderListing('/docs/', [{ name: 'a.txt', size: 3, directory: false, type: 'text/plain' }]);
 * ```
 * @module
 */
import { escapeHtml } from '../resource.js';
import { unquote } from '../url-path.js';

/**
 * A directory entry to list.
 *
 * @example
 * ```ts
 * const entries: ListingEntry[] = [
 *   { name: 'docs', size: 4096, directory: true, type: '' },
 *   { name: 'a.txt', size: 3, directory: false, type: 'text/plain' },
 * ];
 * const html = renderListing('/files/', entries);
 * ```
 */
export interface ListingEntry {
  /** The file name, as on disk. */
  readonly name: string;
  /** Its size in bytes. */
  readonly size: number;
  /** True for a subdirectory (listed first, with a trailing slash). */
  readonly directory: boolean;
  /** Its media type. */
  readonly type: string;
}

/**
 * Human-readable size (`1.5K`, `3M`), as Twisted's `formatFileSize`.
 *
 * @example
 * ```ts
 * formatFileSize(2048); // '2K'
 * ```
 */
export function formatFileSize(size: number): string {
  if (size < 1024) return `${size}B`;
  if (size < 1024 ** 2) return `${Math.round(size / 1024)}K`;
  if (size < 1024 ** 3) return `${Math.round(size / 1024 ** 2)}M`;
  return `${Math.round(size / 1024 ** 3)}G`;
}

/**
 * The listing page of the directory served at `urlPath`.
 *
 * @example
 * ```ts
 * const html = renderListing(request.path, entries);
 * ```
 */
export function renderListing(urlPath: string, entries: readonly ListingEntry[]): string {
  const sorted = [...entries].sort((a, b) =>
    a.directory !== b.directory ? (a.directory ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const title = escapeHtml(`Directory listing for ${unquote(urlPath)}`);
  const rows = sorted
    .map((e, i) => {
      const href = encodeURIComponent(e.name) + (e.directory ? '/' : '');
      const label = escapeHtml(e.name) + (e.directory ? '/' : '');
      return `<tr class="${i % 2 === 0 ? 'odd' : 'even'}"><td><a href="${href}">${label}</a></td><td>${e.directory ? '' : formatFileSize(e.size)}</td><td>${e.directory ? '[Directory]' : escapeHtml(e.type)}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif}th,td{text-align:left;padding:0 1em}tr.even{background:#eee}</style></head>
<body><h1>${title}</h1>
<table><thead><tr><th>Filename</th><th>Size</th><th>Content type</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
