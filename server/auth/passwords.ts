/**
 * Password hashes: scrypt from node:crypto (no native dependency), N=2^17, r=8, p=1 by default
 * (OWASP's current minimum: 128 MB and a few hundred ms per hash; slow for a guesser, fine for a
 * sign-in; SCRYPT_LOG2_N sets N). Stored as `scrypt$N$r$p$salt$hash`, so a hash made with weaker
 * parameters still verifies, and `needsRehash` tells sign-in to store a new one.
 */
import 'server-only';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const DEFAULT_N = 2 ** 17;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: Required<Pick<ScryptOptions, 'N' | 'r' | 'p'>>): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N * options.r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, N: number = DEFAULT_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A stored hash made with a cost below `N` (or another block size): redo it with the password just verified. */
export function needsRehash(stored: string, N: number = DEFAULT_N): boolean {
  const [scheme, n, r] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < N || Number(r) !== R;
}

/** Constant-time check; a malformed stored hash is simply "no match". */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spends the same time as a real check, so an unknown username answers as slowly as a known one. */
const dummies = new Map<number, Promise<string>>();
export async function burnPasswordCheck(password: string, N: number = DEFAULT_N): Promise<void> {
  if (!dummies.has(N)) dummies.set(N, hashPassword('dummy-password-for-timing', N));
  await verifyPassword(password, (await dummies.get(N)) ?? '');
}

/** An initial password shown once to the admin who creates the account: 24 URL-safe characters. */
export const newInitialPassword = () => randomBytes(18).toString('base64url');
