/**
 * `serverFromString` and `clientFromString`: endpoints from Twisted-style description strings, so a
 * command line or a config file can say where to listen or connect (grammar: `description.ts`).
 *
 * Servers: `tcp:PORT[:interface=IP][:backlog=N]`, `tcp6:…`,
 * `ssl:PORT:privateKey=FILE[:certKey=FILE][:extraCertChain=FILE][:interface=IP][:backlog=N]`,
 * `unix:PATH[:mode=OCTAL][:lockfile=0|1][:backlog=N]`, `stdio:`, `systemd:domain=INET|INET6|UNIX:index=N`,
 * `haproxy:<server description>`.
 *
 * Clients: `tcp:HOST:PORT` or `tcp:host=HOST:port=PORT[:timeout=S][:bindAddress=IP]`, `ssl:HOST:PORT`
 * (`caCertsFile`, `certKey`, `privateKey`, `verify=no` options), `tls:HOST:PORT[:trustRoots=FILE]
 * [:certificate=FILE][:privateKey=FILE][:timeout=S][:bindAddress=IP]`, `unix:PATH[:timeout=S]`.
 *
 * @example
 * ```ts
 * import { clientFromString, serverFromString } from 'twisted-ts/internet';
 * const port = await serverFromString(reactor, 'tcp:8080:interface=127.0.0.1').listen(factory);
 * const proto = await clientFromString(reactor, 'tcp:localhost:8080').connect(clientFactory);
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import type { IReactorTCP, IReactorTime } from '../interfaces.js';
import type { HasNameResolver } from '../resolver.js';
import { optionsForClientTLS, type TLSClientOptions, type TLSServerOptions } from '../tls-options.js';
import { DescriptionArgs, EndpointStringError, parseDescription } from './description.js';
import { HostnameEndpoint } from './hostname.js';
import type { IStreamClientEndpoint, IStreamServerEndpoint } from './interfaces.js';
import {
  registeredServerParser,
  registeredServerTypes,
  registeredServerWrapper,
  type ServerParser,
} from './server-parsers.js';
import { SSL4ClientEndpoint, SSL4ServerEndpoint, type SSLReactor } from './ssl.js';
import { StandardIOEndpoint } from './stdio.js';
import { type AdoptedFamily, AdoptedStreamServerEndpoint, inheritedDescriptors } from './systemd.js';
import { TCP4ClientEndpoint, TCP4ServerEndpoint, TCP6ServerEndpoint } from './tcp.js';
import { wrapClientTLS } from './tls-wrap.js';
import { UNIXClientEndpoint, type UNIXReactor, UNIXServerEndpoint } from './unix.js';

/**
 * What the string parsers need from a reactor: TCP, time (timeouts, happy eyeballs), optional TLS/UNIX.
 *
 * @example
 * ```ts
 * function listenOn(r: StrportsReactor, description: string, factory: IProtocolFactory) {
 *   return serverFromString(r, description).listen(factory);
 * }
 * await listenOn(reactor, 'tcp:8080:interface=127.0.0.1', factory);
 * ```
 */
export type StrportsReactor = IReactorTCP & IReactorTime & SSLReactor & UNIXReactor & HasNameResolver;

function readPem(args: DescriptionArgs, name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    return args.fail(`cannot read ${name} file "${file}": ${(err as Error).message}`);
  }
}

const serverParsers: Record<string, ServerParser> = {
  tcp: (reactor, a) => {
    const port = a.requiredPort('port', 0, 'tcp:PORT');
    const options = listenOptions(a);
    a.finish(1);
    return new TCP4ServerEndpoint(reactor, port, options);
  },
  tcp6: (reactor, a) => {
    const port = a.requiredPort('port', 0, 'tcp6:PORT');
    const options = listenOptions(a);
    a.finish(1);
    return new TCP6ServerEndpoint(reactor, port, options);
  },
  ssl: (reactor, a) => {
    const port = a.requiredPort('port', 0, 'ssl:PORT:privateKey=FILE');
    const keyFile = a.required('privateKey');
    const certFile = a.string('certKey') ?? keyFile;
    const chainFile = a.string('extraCertChain');
    const options = listenOptions(a);
    a.finish(1);
    const key = readPem(a, 'privateKey', keyFile);
    let cert = readPem(a, 'certKey', certFile);
    if (chainFile !== undefined)
      cert = Buffer.concat([cert, Buffer.from('\n'), readPem(a, 'extraCertChain', chainFile)]);
    const context: TLSServerOptions = { key, cert };
    return new SSL4ServerEndpoint(reactor, port, context, options);
  },
  stdio: (_reactor, a) => {
    if (a.string('unused', 0) === '') a.finish(1);
    else a.finish(0);
    return new StandardIOEndpoint();
  },
  systemd: (_reactor, a) => {
    const domain = a.required('domain');
    if (domain !== 'INET' && domain !== 'INET6' && domain !== 'UNIX')
      a.fail(`domain must be INET, INET6 or UNIX, not "${domain}"`);
    const index = a.integer('index') ?? a.fail('"index" is missing');
    a.finish(0);
    const fds = inheritedDescriptors();
    const env = `LISTEN_FDS=${process.env.LISTEN_FDS ?? 'unset'}, LISTEN_PID=${process.env.LISTEN_PID ?? 'unset'}`;
    const fd = fds[index] ?? a.fail(`no inherited socket number ${index} (${env})`);
    return new AdoptedStreamServerEndpoint(fd, domain as AdoptedFamily);
  },
  unix: (reactor, a) => {
    const path = a.required('address', 0);
    const mode = a.integer('mode', undefined, { radix: 8, max: 0o7777 });
    const lockfile = a.boolean('lockfile');
    const backlog = a.integer('backlog');
    a.finish(1);
    return new UNIXServerEndpoint(reactor, path, {
      ...(mode !== undefined && { mode }),
      ...(lockfile !== undefined && { lockfile }),
      ...(backlog !== undefined && { backlog }),
    });
  },
};

function listenOptions(a: DescriptionArgs): { interface?: string; backlog?: number } {
  const iface = a.string('interface');
  const backlog = a.integer('backlog');
  return { ...(iface !== undefined && { interface: iface }), ...(backlog !== undefined && { backlog }) };
}

/**
 * The server endpoint a description names. Throws `EndpointStringError` (code
 * `ERR_ENDPOINT_STRING`) naming the description and the problem when it is malformed.
 *
 * @example
 * ```ts
 * serverFromString(reactor, 'tcp:8080:interface=127.0.0.1');
 * serverFromString(reactor, 'ssl:8443:privateKey=server.key:certKey=server.crt');
 * serverFromString(reactor, 'unix:/var/run/app.sock:mode=660');
 * serverFromString(reactor, 'haproxy:tcp:8080');
 * ```
 */
export function serverFromString(reactor: StrportsReactor, description: string): IStreamServerEndpoint {
  const parsed = parseDescription(description);
  const wrapper = registeredServerWrapper(parsed.type);
  if (wrapper !== undefined) {
    if (parsed.rest === '') {
      throw new EndpointStringError(description, `"${parsed.type}:" needs a server description after it`);
    }
    return wrapper(serverFromString(reactor, parsed.rest), reactor);
  }
  const args = new DescriptionArgs(description, parsed);
  const parser = serverParsers[parsed.type] ?? registeredServerParser(parsed.type);
  if (parser === undefined) {
    const known = [...Object.keys(serverParsers), ...registeredServerTypes()].join(', ');
    const hint = parsed.type === 'haproxy' ? "; import 'twisted-ts/protocols/haproxy' to enable it" : '';
    throw new EndpointStringError(
      description,
      `unknown endpoint type "${parsed.type}" (known: ${known})${hint}`,
    );
  }
  return parser(reactor, args);
}

const clientParsers: Record<string, (reactor: StrportsReactor, a: DescriptionArgs) => IStreamClientEndpoint> =
  {
    tcp: (reactor, a) => {
      const host = a.required('host', 0);
      const port = a.requiredPort('port', 1, 'tcp:HOST:PORT');
      const options = connectOptions(a);
      a.finish(2);
      return new TCP4ClientEndpoint(reactor, host, port, options);
    },
    ssl: (reactor, a) => {
      const host = a.required('host', 0);
      const port = a.requiredPort('port', 1, 'ssl:HOST:PORT');
      const caFile = a.string('caCertsFile');
      const keyFile = a.string('privateKey');
      const certFile = a.string('certKey') ?? keyFile;
      const verify = a.boolean('verify') ?? true;
      const options = connectOptions(a);
      a.finish(2);
      const context: TLSClientOptions = { ...optionsForClientTLS(host), rejectUnauthorized: verify };
      if (caFile !== undefined) context.ca = readPem(a, 'caCertsFile', caFile);
      if (keyFile !== undefined && certFile !== undefined) {
        context.key = readPem(a, 'privateKey', keyFile);
        context.cert = readPem(a, 'certKey', certFile);
      }
      return new SSL4ClientEndpoint(reactor, host, port, context, options);
    },
    tls: (reactor, a) => {
      const host = a.required('host', 0);
      const port = a.requiredPort('port', 1, 'tls:HOST:PORT');
      const trustRoots = a.string('trustRoots');
      const certFile = a.string('certificate');
      const keyFile = a.string('privateKey') ?? certFile;
      const options = connectOptions(a);
      a.finish(2);
      const context = optionsForClientTLS(host, {
        ...(trustRoots !== undefined && { trustRoot: readPem(a, 'trustRoots', trustRoots) }),
        ...(certFile !== undefined &&
          keyFile !== undefined && {
            clientCertificate: {
              cert: readPem(a, 'certificate', certFile),
              key: readPem(a, 'privateKey', keyFile),
            },
          }),
      });
      return wrapClientTLS(context, new HostnameEndpoint(reactor, host, port, options));
    },
    unix: (reactor, a) => {
      const path = a.required('path', 0);
      const timeout = a.seconds('timeout');
      a.boolean('checkPID');
      a.finish(1);
      return new UNIXClientEndpoint(reactor, path, timeout !== undefined ? { timeout } : {});
    },
  };

function connectOptions(a: DescriptionArgs): { timeout?: number; bindAddress?: readonly [string, number] } {
  const timeout = a.seconds('timeout');
  const bind = a.string('bindAddress');
  return {
    ...(timeout !== undefined && { timeout }),
    ...(bind !== undefined && { bindAddress: [bind, 0] as const }),
  };
}

/**
 * The client endpoint a description names. Throws `EndpointStringError` when it is malformed.
 *
 * @example
 * ```ts
 * clientFromString(reactor, 'tcp:example.com:80:timeout=5');
 * clientFromString(reactor, 'tls:example.com:443');
 * clientFromString(reactor, 'unix:/var/run/app.sock');
 * ```
 */
export function clientFromString(reactor: StrportsReactor, description: string): IStreamClientEndpoint {
  const parsed = parseDescription(description);
  const parser = clientParsers[parsed.type];
  if (parser === undefined) {
    throw new EndpointStringError(
      description,
      `unknown endpoint type "${parsed.type}" (known: ${Object.keys(clientParsers).join(', ')})`,
    );
  }
  return parser(reactor, new DescriptionArgs(description, parsed));
}
