/** Domain errors: the routers map each code to a TRPCError code or an HTTP status. */
export type DomainErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'BUSY' | 'UNAVAILABLE' | AccessErrorCode;
/** Added with accounts: who may do what, and how often (details.retryAfterSeconds on RATE_LIMITED). */
export type AccessErrorCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'CONFLICT' | 'RATE_LIMITED';

const BRAND = Symbol.for('catalog-invalidator.DomainError');

export class DomainError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  /**
   * Use instead of `instanceof`: Next bundles pages and route handlers separately, so the services
   * (shared on globalThis) may throw another bundle's copy of this class.
   */
  static is(err: unknown): err is DomainError {
    return typeof err === 'object' && err !== null && (err as { [BRAND]?: unknown })[BRAND] === true;
  }
}

export const unknownProviders = (names: string[]) =>
  new DomainError('BAD_REQUEST', `Unknown provider${names.length > 1 ? 's' : ''}: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ` and ${names.length - 20} more` : ''}`, {
    unknownProviders: names,
  });

export const jobNotFound = (jobId: string) => new DomainError('NOT_FOUND', `No invalidation job ${jobId}`);

/** A live stream ended because this instance is stopping: a 5xx, so tRPC's client resumes it (with its last id) elsewhere. */
export const shuttingDown = () => new DomainError('UNAVAILABLE', 'This server is shutting down; the stream resumes on another instance');
