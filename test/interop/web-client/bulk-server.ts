/**
 * A node:http server for the 1 GB tests, run in its own process so the client's memory is
 * measured alone. Prints `port N` once listening.
 *
 * - `GET /download?bytes=N` → N bytes of a repeating pattern with Content-Length, written with
 *   backpressure (so the server never buffers more than the socket takes);
 * - `PUT /upload` → `<bytes received> <sha256 hex>` of the request body.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const CHUNK = Buffer.alloc(64 * 1024, 'twisted-ts bulk body ');

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/download') {
    let left = Number(url.searchParams.get('bytes'));
    res.writeHead(200, { 'content-length': String(left), 'content-type': 'application/octet-stream' });
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        const more = res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
        if (!more) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
    return;
  }
  if (url.pathname === '/upload') {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      hash.update(c);
    });
    req.on('end', () => res.end(`${bytes} ${hash.digest('hex')}`));
    return;
  }
  res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(server.address() as { port: number }).port}\n`);
});
