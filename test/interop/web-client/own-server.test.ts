import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { Deferred } from '../../../src/internet/defer.js';
import { TCP4ClientEndpoint, TCP4ServerEndpoint } from '../../../src/internet/endpoints/tcp.js';
import type { IProtocol, ITransport } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import { HAProxyServerEndpoint } from '../../../src/protocols/haproxy/index.js';
import { connectWrapped } from '../../../src/web/client/connect-wrapped.js';
import { Agent, HTTPConnectionPool, readBody } from '../../../src/web/client/index.js';
import {
  Data,
  EncodingResourceWrapper,
  GzipEncoderFactory,
  NOT_DONE_YET,
  type Request,
  Resource,
  Site,
} from '../../../src/web/index.js';
import { listenCountingSite } from '../../integration/fixtures/counting-site.js';
import { CHUNKS, describeClientAgainst, type Peer, TEXT } from './scenarios.js';

/** A leaf answering with `answer(request)`. */
class Leaf extends Resource {
  override isLeaf = true;
  constructor(readonly answer: (request: Request) => string | Buffer | typeof NOT_DONE_YET) {
    super();
  }
  render_GET(request: Request): string | Buffer | typeof NOT_DONE_YET {
    return this.answer(request);
  }
  render_POST(request: Request): string | Buffer | typeof NOT_DONE_YET {
    return this.answer(request);
  }
}

function root(): Resource {
  const r = new Resource();
  r.putChild('hello', new Data('hello', 'text/plain'));
  r.putChild(
    'chunked',
    new Leaf((request) => {
      for (const c of CHUNKS) request.write(c);
      request.finish();
      return NOT_DONE_YET;
    }),
  );
  r.putChild(
    'redirect',
    new Leaf((request) => {
      request.redirect('/hello');
      return '';
    }),
  );
  r.putChild(
    'login',
    new Leaf((request) => {
      request.addCookie('sid', 'abc123', { path: '/', httpOnly: true });
      request.redirect('/whoami');
      return '';
    }),
  );
  r.putChild('whoami', new Leaf((request) => `sid=${request.getCookie('sid') ?? '-'}`));
  r.putChild('gzip', new EncodingResourceWrapper(new Data(TEXT, 'text/plain'), [new GzipEncoderFactory()]));
  r.putChild('echo', new Leaf((request) => request.content));
  return r;
}

async function start(): Promise<Peer> {
  const reactor = new NodeReactor({ installSignalHandlers: false });
  const served = listenCountingSite(reactor, new Site(root()));
  return {
    base: served.url,
    connections: served.connections,
    stop: async () => {
      await served.port.stopListening();
    },
  };
}

describeClientAgainst('the twisted-ts web server (Site)', start);

/** Writes a PROXY protocol v1 header, then hands the connection to the HTTP protocol. */
class ProxyHeaderProtocol implements IProtocol {
  transport: ITransport | null = null;
  constructor(
    readonly user: IProtocol,
    readonly done: Deferred<IProtocol>,
  ) {}
  makeConnection(transport: ITransport): void {
    this.transport = transport;
    transport.write('PROXY TCP4 203.0.113.7 127.0.0.1 56324 80\r\n');
    this.user.makeConnection(transport);
    this.done.callback(this.user);
  }
  connectionMade(): void {}
  dataReceived(data: Buffer): void {
    this.user.dataReceived(data);
  }
  connectionLost(reason: Error): void {
    this.user.connectionLost(reason);
  }
}

class WhoIsThere extends Resource {
  override isLeaf = true;
  render_GET(request: Request): string {
    const peer = request.getClientAddress() as { host?: string; port?: number };
    return `client ${peer.host}:${peer.port}`;
  }
}

describe('Agent.usingEndpointFactory over a PROXY-protocol endpoint, to the Site behind haproxy:', () => {
  it('carries requests over connections that start with a PROXY header', async () => {
    const reactor = new NodeReactor({ installSignalHandlers: false });
    const port = await new HAProxyServerEndpoint(
      new TCP4ServerEndpoint(reactor, 0, { interface: '127.0.0.1' }),
    ).listen(new Site(new WhoIsThere()));
    const tcp = new TCP4ClientEndpoint(reactor, '127.0.0.1', (port.getHost() as unknown as AddressInfo).port);
    const pool = new HTTPConnectionPool(reactor);
    const agent = Agent.usingEndpointFactory(
      reactor,
      {
        endpointForURI: () => ({
          connect: (factory) =>
            connectWrapped(tcp, factory, (user, done) => new ProxyHeaderProtocol(user, done)),
        }),
      },
      pool,
    );
    try {
      for (let i = 0; i < 2; i++) {
        const r = await agent.request('GET', 'http://app.example/');
        assert.equal((await readBody(r)).toString(), 'client 203.0.113.7:56324');
      }
      assert.equal(pool.idleCount(), 1);
    } finally {
      await pool.closeCachedConnections();
      await port.stopListening();
    }
  });
});
