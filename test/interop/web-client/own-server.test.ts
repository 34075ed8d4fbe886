import type { AddressInfo } from 'node:net';
import type { IAddress, IListeningPort } from '../../../src/internet/interfaces.js';
import { NodeReactor } from '../../../src/internet/reactor.js';
import {
  Data,
  EncodingResourceWrapper,
  GzipEncoderFactory,
  NOT_DONE_YET,
  type Request,
  Resource,
  Site,
} from '../../../src/web/index.js';
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
  const site = new Site(root());
  let connections = 0;
  const port: IListeningPort = reactor.listenTCP(
    0,
    {
      buildProtocol: (addr: IAddress) => {
        connections++;
        return site.buildProtocol(addr);
      },
      doStart: () => site.doStart(),
      doStop: () => site.doStop(),
    },
    { interface: '127.0.0.1' },
  );
  return {
    base: `http://127.0.0.1:${(port.getHost() as unknown as AddressInfo).port}`,
    connections: () => connections,
    stop: async () => {
      await port.stopListening();
    },
  };
}

describeClientAgainst('the twisted-ts web server (Site)', start);
