/**
 * errorText and redactedError (server/lib/redact.ts) on the shapes errors take besides a plain Error:
 * causes that repeat, say nothing, are null or loop; thrown objects that are not Errors; chains
 * deeper than it reads. The URL redaction itself is in tests/server/security/url-credentials.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { errorText, redactedError } from '~/server/lib/redact';

/** error 1, caused by error 2, … caused by error `depth`. */
const chain = (depth: number): Error => Array.from({ length: depth }, (_, i) => depth - i).reduce<Error | undefined>((cause, n) => new Error(`error ${n}`, { cause }), undefined) as Error;

describe('errorText', () => {
  it('names each cause once, and skips those with nothing to say', () => {
    expect(errorText(new Error('fetch failed', { cause: new Error('fetch failed') }))).toBe('fetch failed');
    expect(errorText(new Error('a', { cause: new Error('') }))).toBe('a');
    expect(errorText(new Error('a', { cause: null }))).toBe('a');
  });

  it('reads the message of a thrown object that is not an Error, and its cause', () => {
    expect(errorText({ message: 'from a library', cause: { message: 'see https://u:p@h/x?k=v' } })).toBe('from a library: see https://h/x');
    expect(errorText({ message: '', code: 'ETIMEDOUT' })).toBe('ETIMEDOUT');
    expect(errorText(42)).toBe('42');
  });

  it('reads at most five errors down a chain, and ends on a cause that loops', () => {
    expect(errorText(chain(7))).toBe('error 1: error 2: error 3: error 4: error 5');
    const looped = new Error('again');
    looped.cause = looped;
    expect(errorText(looped)).toBe('again');
  });

  it('says "unknown error" when nothing says anything', () => {
    expect(errorText(new Error(''))).toBe('unknown error');
    expect(errorText(undefined)).toBe('unknown error');
    expect(errorText(null)).toBe('unknown error');
  });
});

describe('redactedError', () => {
  it('keeps the name of an Error (a TimeoutError stays one) and redacts its words; anything else becomes a plain Error', () => {
    const timeout = Object.assign(new Error('no answer from https://u:p@h/v1?api_key=k'), { name: 'TimeoutError' });
    const safe = redactedError(timeout);
    expect([safe.name, safe.message, safe.cause]).toEqual(['TimeoutError', 'no answer from https://h/v1', undefined]);
    expect(redactedError(new TypeError('bad')).name).toBe('TypeError');
    const plain = redactedError('a string at https://u:p@h/x');
    expect([plain instanceof Error, plain.name, plain.message]).toEqual([true, 'Error', 'a string at https://h/x']);
  });
});
