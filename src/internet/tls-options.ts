/**
 * TLS settings and the reactor contract for TLS: `IReactorSSL` (`listenSSL`/`connectSSL`), the
 * context options (Node's `tls` options: PEM `key`/`cert`/`ca` as strings or Buffers, `ALPNProtocols`,
 * `requestCert`…), and Twisted-style helpers to build them: `optionsForClientTLS` (verifies the
 * server's certificate and host name, which is also the default) and `certificateOptionsFromFiles`.
 *
 * @example
 * ```ts
 * import { certificateOptionsFromFiles, optionsForClientTLS } from 'twisted-ts/internet';
 * reactor.listenSSL(8443, factory, certificateOptionsFromFiles('server.pem', 'server.key'));
 * reactor.connectSSL('example.com', 443, clientFactory, optionsForClientTLS('example.com'));
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import type {
  ConnectTCPOptions,
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  ListenTCPOptions,
} from './interfaces.js';

/**
 * Server-side TLS settings: at least `key` and `cert` (PEM). `requestCert: true` asks for client
 * certificates (verified against `ca`; `rejectUnauthorized` defaults to true then).
 *
 * @example
 * ```ts
 * const options: TLSServerOptions = {
 *   key: readFileSync('server.key'),
 *   cert: readFileSync('server.crt'),
 *   requestCert: true, // clients must show a certificate signed by `ca`
 *   ca: readFileSync('clients-ca.pem'),
 * };
 * await new SSL4ServerEndpoint(reactor, 8443, options).listen(factory);
 * ```
 */
export type TLSServerOptions = tls.TlsOptions;

/**
 * Client-side TLS settings. The server's certificate and host name are verified by default
 * (against `ca`, or the system's roots); opting out takes an explicit `rejectUnauthorized: false`.
 * `servername` (SNI and the name checked) defaults to the host connected to.
 *
 * @example
 * ```ts
 * const verified: TLSClientOptions = optionsForClientTLS('example.com');
 * const selfSigned: TLSClientOptions = { ca: readFileSync('dev-ca.pem'), servername: 'dev.local' };
 * await new SSL4ClientEndpoint(reactor, 'example.com', 443, verified).connect(factory);
 * ```
 */
export type TLSClientOptions = Omit<tls.ConnectionOptions, 'socket' | 'host' | 'port' | 'path'>;

/**
 * TLS over TCP; Twisted's `IReactorSSL`.
 *
 * @example
 * ```ts
 * reactor.listenSSL(8443, Factory.forProtocol(Echo), { key, cert });
 * reactor.connectSSL('localhost', 8443, clientFactory, optionsForClientTLS('localhost', { trustRoot: ca }));
 * ```
 */
export interface IReactorSSL {
  /** Listens for TLS connections on `port`. */
  listenSSL(
    port: number,
    factory: IProtocolFactory,
    contextOptions: TLSServerOptions,
    options?: ListenTCPOptions,
  ): IListeningPort;
  /** Connects over TLS to `host:port`. */
  connectSSL(
    host: string,
    port: number,
    factory: IClientFactory,
    contextOptions: TLSClientOptions,
    options?: ConnectTCPOptions,
  ): IConnector;
}

/**
 * Options of `optionsForClientTLS`.
 *
 * @example
 * ```ts
 * const options: ClientTLSOptions = { trustRoot: caPem, clientCertificate: { cert, key } };
 * optionsForClientTLS('api.internal', options);
 * ```
 */
export interface ClientTLSOptions {
  /** PEM certificates of the CAs to trust instead of the system roots. */
  trustRoot?: string | Buffer | readonly (string | Buffer)[];
  /** Our certificate and key, when the server asks for one. */
  clientCertificate?: {
    /** Our certificate chain in PEM, leaf first. */
    cert: string | Buffer;
    /** The private key of `cert`, in PEM. */
    key: string | Buffer;
  };
  /** ALPN protocols to offer, most preferred first (`['h2', 'http/1.1']`). */
  acceptableProtocols?: readonly string[];
}

/**
 * Client settings that verify the server is `hostname` (SNI and certificate check), like Twisted's
 * `optionsForClientTLS`.
 *
 * @example
 * ```ts
 * const opts = optionsForClientTLS('localhost', { trustRoot: readFileSync('ca.pem') });
 * reactor.connectSSL('127.0.0.1', 8443, factory, opts);
 * ```
 */
export function optionsForClientTLS(hostname: string, options: ClientTLSOptions = {}): TLSClientOptions {
  const out: TLSClientOptions = { servername: hostname, rejectUnauthorized: true };
  if (options.trustRoot !== undefined) {
    out.ca = Array.isArray(options.trustRoot)
      ? [...options.trustRoot]
      : (options.trustRoot as string | Buffer);
  }
  if (options.clientCertificate !== undefined) {
    out.cert = options.clientCertificate.cert;
    out.key = options.clientCertificate.key;
  }
  if (options.acceptableProtocols !== undefined) out.ALPNProtocols = [...options.acceptableProtocols];
  // The name to verify, even when connecting to an IP address with `servername` set.
  out.checkServerIdentity = (_host, cert) => tls.checkServerIdentity(hostname, cert);
  return out;
}

/**
 * Server settings from PEM files: the certificate, its key (default: the same file, as Twisted's
 * `certKey` defaults to `privateKey`), and optional extra chain certificates.
 *
 * @example
 * ```ts
 * reactor.listenSSL(443, factory, certificateOptionsFromFiles('server.key', 'server.crt'));
 * ```
 */
export function certificateOptionsFromFiles(
  privateKeyFile: string,
  certificateFile: string = privateKeyFile,
  extraCertChainFile?: string,
): TLSServerOptions {
  let cert = readFileSync(certificateFile);
  if (extraCertChainFile !== undefined)
    cert = Buffer.concat([cert, Buffer.from('\n'), readFileSync(extraCertChainFile)]);
  return { key: readFileSync(privateKeyFile), cert };
}
