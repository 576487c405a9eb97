/** Domain errors: the routers map each code to a TRPCError code or an HTTP status. */
export type DomainErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'BUSY' | 'UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const unknownProviders = (names: string[]) =>
  new DomainError('BAD_REQUEST', `Unknown provider${names.length > 1 ? 's' : ''}: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}`, {
    unknownProviders: names,
  });

export const jobNotFound = (jobId: string) => new DomainError('NOT_FOUND', `No invalidation job ${jobId}`);
