/**
 * The one verified fetch: a provider's catalog from its source, checked (verify.ts) and stamped
 * with when and where it was fetched. Both rebuild paths use it: a reader's miss (read-through.ts)
 * and a job's refresh (invalidation/refresh.ts); each says the failure in its own words.
 */
import 'server-only';
import { redactText } from '~/server/lib/redact';
import { providerCatalogSchema, type CachedProviderCatalog } from '../schema';
import type { ProviderSource } from './sources';
import { rejectReason } from './verify';

/**
 * The source itself failed (error status, network, timeout, unparseable body): `cause` says how.
 * Its message, which readers and job records get, has every URL in it redacted (any source).
 */
export class SourceFailed extends Error {
  constructor(cause: unknown) {
    super(redactText(cause instanceof Error ? cause.message : String(cause)), { cause });
    this.name = 'SourceFailed';
  }
}

/** The source answered, but with something that must not replace a cached catalog. */
export class AnswerRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AnswerRejected';
  }
}

/** Throws SourceFailed or AnswerRejected; never returns an empty or malformed catalog. */
export async function fetchVerified(source: ProviderSource, now: () => number, signal?: AbortSignal): Promise<CachedProviderCatalog> {
  let answer: unknown;
  try {
    answer = await source.load(signal);
  } catch (err) {
    throw new SourceFailed(err);
  }
  const reason = rejectReason(answer);
  if (reason) throw new AnswerRejected(reason);
  return { ...providerCatalogSchema.parse(answer), cachedAt: now(), source: source.description };
}
