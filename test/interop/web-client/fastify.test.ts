import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { CHUNKS, describeClientAgainst, type Peer, TEXT } from './scenarios.js';

async function start(): Promise<Peer> {
  const app = Fastify({ logger: false });
  await app.register(cookie);
  await app.register(compress, { global: false });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.get('/hello', async () => 'hello');
  app.get('/chunked', (_req, reply) => {
    reply.type('text/plain').send(Readable.from(CHUNKS.map((c) => Buffer.from(c))));
  });
  app.get('/redirect', (_req, reply) => reply.redirect('/hello'));
  app.get('/login', (_req, reply) =>
    reply.setCookie('sid', 'abc123', { path: '/', httpOnly: true }).redirect('/whoami'),
  );
  app.get('/whoami', async (req) => `sid=${req.cookies.sid ?? '-'}`);
  app.get('/gzip', { compress: { encodings: ['gzip'] } }, (_req, reply) => {
    reply.type('text/plain').compress(Readable.from([Buffer.from(TEXT)]));
  });
  app.post('/echo', async (req) => req.body as Buffer);
  let connections = 0;
  app.server.on('connection', () => connections++);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    connections: () => connections,
    stop: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

describeClientAgainst('fastify', start);
