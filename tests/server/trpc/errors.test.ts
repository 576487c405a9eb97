import { describe, expect, it, vi } from 'vitest';
import { toTRPCError } from '~/server/trpc/errors';

describe('domain errors to tRPC codes', () => {
  it('maps an error thrown by another copy of the domain module (Next bundles pages and routes apart)', async () => {
    vi.resetModules();
    const otherCopy = await import('~/server/lib/errors');
    const thrown = otherCopy.jobNotFound('0000000000000000000');
    expect(toTRPCError(thrown)).toMatchObject({ code: 'NOT_FOUND', message: 'No invalidation job 0000000000000000000' });
    expect(toTRPCError(otherCopy.unknownProviders(['a', 'b']))).toMatchObject({ code: 'BAD_REQUEST', message: 'Unknown providers: a, b' });
    expect(toTRPCError(new otherCopy.DomainError('BUSY', 'busy'))).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('says Redis is unavailable for connection errors, and leaves other errors alone', () => {
    expect(toTRPCError(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: 'Redis is unavailable; try again when it is back' });
    const other = new Error('boom');
    expect(toTRPCError(other)).toBe(other);
  });
});
