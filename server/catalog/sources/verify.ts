/**
 * What a source's answer must be before it may replace a cached catalog: a model list, not empty,
 * without duplicated ids. Pure, so refresh-and-verify and any other rebuild can share it.
 */
import 'server-only';
import { describeZodError } from '~/server/lib/validation';
import { providerCatalogSchema } from '../schema';

/** Pure: why an answer must not replace the cache, or null when it may. */
export function rejectReason(answer: unknown): string | null {
  const parsed = providerCatalogSchema.safeParse(answer);
  if (!parsed.success) return `the source's answer is not a model list (${describeZodError(parsed.error).replace(/^Invalid input: /, '')})`;
  if (parsed.data.models.length === 0) return 'the source answered an empty model list';
  const ids = parsed.data.models.map((m) => m.id);
  if (new Set(ids).size !== ids.length) return 'the source listed the same model id twice';
  return null;
}
