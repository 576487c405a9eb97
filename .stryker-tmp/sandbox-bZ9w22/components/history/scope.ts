// @ts-nocheck
import type { JobRecord } from '~/server/invalidation/schema';

/** "all providers", "groq", or "groq, openai and 3 more" (with the full list for a tooltip). */
export function describeScope(providers: JobRecord['request']['providers']): { short: string; full: string } {
  if (providers === 'all') return { short: 'All providers', full: 'All providers' };
  const full = providers.join(', ');
  const short = providers.length <= 3 ? full : `${providers.slice(0, 2).join(', ')} and ${providers.length - 2} more`;
  return { short, full };
}

export function describeCache(request: JobRecord['request']): string {
  const base = request.cacheType === 'all' ? 'all' : 'models';
  return request.cascade ? `${base} + full catalog` : base;
}
