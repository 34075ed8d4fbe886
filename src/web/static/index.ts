/**
 * `twisted-ts/web` static files: `File`, its media-type table, range parsing and the directory
 * listing (Twisted's `twisted.web.static`).
 *
 * @example
 * ```ts
 * import { File } from 'twisted-ts/web';
 * root.putChild('static', new File('./public', { mimeTypes: { '.log': 'text/plain' } }));
 * ```
 * @module
 */
export * from './file.js';
export * from './file-producer.js';
export * from './listing.js';
export * from './mime.js';
export * from './range.js';
