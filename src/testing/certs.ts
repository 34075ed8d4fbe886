/**
 * Test certificates made at test time with the `openssl` command: a CA, a server certificate for
 * `localhost` (+ `127.0.0.1`, `::1`) and a client certificate, all signed by the CA, written as PEM
 * files in a fresh temporary directory. Nothing is committed; `cleanup()` removes the directory.
 *
 * @example
 * ```ts
 * import { makeTestCertificates } from 'twisted-ts/testing';
 * const certs = makeTestCertificates();
 * t.after(() => certs.cleanup());
 * reactor.listenSSL(0, factory, { key: certs.serverKey, cert: certs.serverCert });
 * ```
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * PEM material and the files holding it, from `makeTestCertificates`.
 *
 * @example
 * ```ts
 * const certs: TestCertificates = makeTestCertificates();
 * const tls = { key: certs.serverKey, cert: certs.serverCert }; // a client trusts it with ca: certs.caCert
 * certs.cleanup();
 * ```
 */
export interface TestCertificates {
  /** The temporary directory holding every file. */
  readonly dir: string;
  /** The CA certificate: what a peer passes as `ca` to trust the server and client certificates. */
  readonly caCert: Buffer;
  /** The server certificate for `localhost`, `127.0.0.1` and `::1`, signed by the CA. */
  readonly serverCert: Buffer;
  /** The server certificate's private key. */
  readonly serverKey: Buffer;
  /** A client certificate signed by the CA, for testing client-certificate authentication. */
  readonly clientCert: Buffer;
  /** The client certificate's private key. */
  readonly clientKey: Buffer;
  /** A self-signed certificate (not from the CA) for `localhost`, and its key. */
  readonly otherCert: Buffer;
  /** The key of `otherCert` (a server presenting `otherCert` fails verification against `caCert`). */
  readonly otherKey: Buffer;
  /** File paths: `ca.pem`, `server.pem`, `server.key`, `client.pem`, `client.key`, `other.pem`, `other.key`. */
  readonly files: Readonly<
    Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey' | 'otherCert' | 'otherKey', string>
  >;
  /** Removes the directory. */
  cleanup(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function leaf(dir: string, name: string, subject: string, ext: string): void {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`], dir);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
}

/**
 * Makes a CA, a `localhost` server certificate and a client certificate (EC P-256, valid 2 days).
 *
 * @example
 * ```ts
 * const { caCert, serverCert, serverKey } = makeTestCertificates();
 * ```
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'twisted-ts-certs-'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=twisted-ts test CA',
      '-days',
      '2',
      '-sha256',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  leaf(
    dir,
    'server',
    '/CN=localhost',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n',
  );
  leaf(
    dir,
    'client',
    '/CN=test client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n',
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'other.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'other.key',
      '-subj',
      '/CN=localhost',
      '-days',
      '2',
      '-sha256',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-out',
      'other.pem',
    ],
    dir,
  );
  const files = {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherCert: join(dir, 'other.pem'),
    otherKey: join(dir, 'other.key'),
  };
  return {
    dir,
    files,
    caCert: readFileSync(files.ca),
    serverCert: readFileSync(files.serverCert),
    serverKey: readFileSync(files.serverKey),
    clientCert: readFileSync(files.clientCert),
    clientKey: readFileSync(files.clientKey),
    otherCert: readFileSync(files.otherCert),
    otherKey: readFileSync(files.otherKey),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
