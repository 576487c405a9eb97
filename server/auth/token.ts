import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Constant-time comparison: hashing both sides first gives equal lengths, so neither the content
 * nor the length of the admin token leaks through timing.
 */
export function tokenMatches(candidate: string, expected: string): boolean {
  return timingSafeEqual(sha256(candidate), sha256(expected));
}

export const hashToken = (token: string) => sha256(token).toString('hex');

export const newSecret = () => randomBytes(32).toString('base64url');
