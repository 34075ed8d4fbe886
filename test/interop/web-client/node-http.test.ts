import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { CHUNKS, describeClientAgainst, type Peer, TEXT } from './scenarios.js';

function route(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  switch (req.url) {
    case '/hello':
      res.end('hello');
      return;
    case '/chunked':
      for (const c of CHUNKS.slice(0, -1)) res.write(c);
      res.end(CHUNKS[CHUNKS.length - 1]);
      return;
    case '/redirect':
      res.writeHead(302, { location: '/hello' }).end();
      return;
    case '/login':
      res.writeHead(302, { location: '/whoami', 'set-cookie': 'sid=abc123; Path=/; HttpOnly' }).end();
      return;
    case '/whoami': {
      const sid = /(?:^|;\s*)sid=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
      res.end(`sid=${sid ?? '-'}`);
      return;
    }
    case '/gzip':
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
        const gz = zlib.createGzip();
        gz.pipe(res);
        gz.end(TEXT);
      } else res.end(TEXT);
      return;
    case '/echo':
      res.end(body);
      return;
    default:
      res.writeHead(404).end();
  }
}

async function start(): Promise<Peer> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => route(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    stop: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describeClientAgainst('node:http', start);
