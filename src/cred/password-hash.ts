/**
 * Password hashing with scrypt (`node:crypto`) in a self-describing format:
 * `$scrypt$N=16384,r=8,p=1$<salt base64>$<hash base64>`. The parameters travel with the hash, so
 * they can be raised later without breaking old entries. Comparison is constant-time.
 *
 * @example
 * ```ts
 * import { hashPassword, verifyPassword } from 'twisted-ts/cred';
 * const stored = await hashPassword('secret');
 * await verifyPassword('secret', stored); // true
 * ```
 * @module
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt parameters.
 *
 * @example
 * ```ts
 * const stored = await hashPassword('secret', { N: 1 << 15 });
 * ```
 */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two (default 16384). */
  N?: number;
  /** Block size (default 8). */
  r?: number;
  /** Parallelism (default 1). */
  p?: number;
  /** Length of the derived key in bytes (default 32). */
  keyLength?: number;
  /** Length of the random salt in bytes (default 16). */
  saltLength?: number;
}

const DEFAULTS = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
const FORMAT = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? DEFAULTS.N) * (options.r ?? DEFAULTS.r) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...options, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes `password` with a fresh random salt; returns the self-describing string.
 *
 * @example
 * ```ts
 * await hashPassword('secret'); // '$scrypt$N=16384,r=8,p=1$…$…'
 * ```
 */
export async function hashPassword(password: string, parameters: ScryptParameters = {}): Promise<string> {
  const N = parameters.N ?? DEFAULTS.N;
  const r = parameters.r ?? DEFAULTS.r;
  const p = parameters.p ?? DEFAULTS.p;
  const salt = randomBytes(parameters.saltLength ?? DEFAULTS.saltLength);
  const key = await derive(password, salt, parameters.keyLength ?? DEFAULTS.keyLength, { N, r, p });
  return `$scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/**
 * True when `encoded` has the `$scrypt$…` format (a cheap syntactic check, no hashing).
 *
 * @example
 * ```ts
 * isPasswordHash('secret'); // false: plaintext is never accepted
 * ```
 */
export function isPasswordHash(encoded: string): boolean {
  return FORMAT.test(encoded);
}

/**
 * True when `password` matches `encoded` (constant-time comparison). A malformed `encoded` gives
 * false.
 *
 * @example
 * ```ts
 * if (!(await verifyPassword(given, stored))) throw new UnauthorizedLogin();
 * ```
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const m = FORMAT.exec(encoded);
  if (m === null) return false;
  const [, N, r, p, salt, hash] = m as unknown as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  if (expected.length === 0) return false;
  let key: Buffer;
  try {
    key = await derive(password, Buffer.from(salt, 'base64'), expected.length, {
      N: Number(N),
      r: Number(r),
      p: Number(p),
    });
  } catch {
    return false;
  }
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * Does the work of a verification that cannot succeed, so an unknown user costs as much as a
 * wrong password.
 *
 * @example
 * ```ts
 * if (stored === undefined) { await burnVerification(password); throw new UnauthorizedLogin(); }
 * ```
 */
export async function burnVerification(password: string, like?: string): Promise<void> {
  if (like !== undefined && isPasswordHash(like)) {
    await verifyPassword(`${password}\0`, like);
    return;
  }
  dummy ??= hashPassword('twisted-ts dummy password');
  await verifyPassword(`${password}\0`, await dummy);
}
