/**
 * `BrowserLikePolicyForHTTPS`: the TLS settings an `Agent` uses for an `https` URI. Like a
 * browser (and Twisted's policy of the same name) it verifies the server's certificate chain
 * against the trust roots (the system's, or `trustRoot`) and checks that the certificate names
 * the host in the URI; a failure errbacks the request with Node's TLS error, whose message says
 * what failed (`self-signed certificate`, `Hostname/IP does not match certificate's altnames…`).
 *
 * @example
 * ```ts
 * const agent = new Agent(reactor, { tlsPolicy: new BrowserLikePolicyForHTTPS({ trustRoot: caPem }) });
 * ```
 * @module
 */
import {
  type ClientTLSOptions,
  optionsForClientTLS,
  type TLSClientOptions,
} from '../../internet/tls-options.js';

/**
 * Chooses the TLS settings for a host; Twisted's `IPolicyForHTTPS`.
 *
 * @example
 * ```ts
 * const internalCA: IPolicyForHTTPS = {
 *   creatorForNetloc: (host: string) =>
 *     host.endsWith('.internal')
 *       ? optionsForClientTLS(host, { trustRoot: readFileSync('internal-ca.pem') })
 *       : optionsForClientTLS(host),
 * };
 * const agent = new Agent(reactor, { tlsPolicy: internalCA });
 * ```
 */
export interface IPolicyForHTTPS {
  /** The TLS options for a connection to `hostname:port`. */
  creatorForNetloc(hostname: string, port: number): TLSClientOptions;
}

/**
 * Verifies certificate and host name; see the module doc.
 *
 * @example
 * ```ts
 * const policy = new BrowserLikePolicyForHTTPS({ trustRoot: readFileSync('ca.pem') });
 * const agent = new Agent(reactor, { tlsPolicy: policy }); // trusts servers whose chain ends at ca.pem
 * ```
 */
export class BrowserLikePolicyForHTTPS implements IPolicyForHTTPS {
  readonly #options: ClientTLSOptions;

  /** @param options `trustRoot` (PEM CAs to trust instead of the system roots), client certificate, ALPN. */
  constructor(options: ClientTLSOptions = {}) {
    this.#options = options;
  }

  /**
   * The settings for `hostname`: SNI, chain and name verification.
   *
   * @example
   * ```ts
   * new BrowserLikePolicyForHTTPS().creatorForNetloc('example.com', 443).rejectUnauthorized; // true
   * ```
   */
  creatorForNetloc(hostname: string, _port: number): TLSClientOptions {
    return optionsForClientTLS(hostname, this.#options);
  }
}
