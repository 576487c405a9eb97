import { plural } from '~/components/common/format';
import type { Scope } from '~/components/jobs/job-store';

export interface InvalidateChoice {
  mode: 'delete' | 'soft';
  cacheType: 'models' | 'all';
  cascade: boolean;
  refresh: boolean;
}

/** The server's counts for the same choice; null until the preview answers (or when it cannot). */
export interface PlannedCounts {
  keysPlanned: number;
  globalKeys: readonly unknown[];
}

/** Display names listed in a title at most; the rest are counted. */
const TITLE_NAMES = 4;

/**
 * "Invalidate all providers", "Invalidate Anthropic", "Invalidate 2 providers: Mistral AI and xAI":
 * display names (a slug without one stays a slug), every provider listed up to a few.
 */
export function dialogTitle(scope: Scope, displayName: (slug: string) => string = (slug) => slug): string {
  if (scope === 'all') return 'Invalidate all providers';
  const names = scope.map(displayName);
  if (names.length === 1) return `Invalidate ${names[0]}`;
  const shown = names.length > TITLE_NAMES ? [...names.slice(0, TITLE_NAMES - 1), `${names.length - TITLE_NAMES + 1} more`] : names;
  return `Invalidate ${plural(scope.length, 'provider')}: ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/**
 * Names exactly what will be deleted, so nobody confirms a bigger blast radius than they meant. The
 * numbers are the planner's own (from the preview), never a second count made here: without the
 * preview the sentence names the caches and no number.
 */
export function describeInvalidation({ mode, cacheType, cascade }: InvalidateChoice, scope: Scope, total: number, planned: PlannedCounts | null): string {
  const n = scope === 'all' ? total : scope.length;
  const who = scope === 'all' ? `all ${plural(n, 'provider')}` : scope.length === 1 ? scope[0] : plural(n, 'provider');
  if (mode === 'soft') {
    return `This marks the models cache of ${who} stale${cascade ? ' and drops the full catalog' : ''}. Readers keep getting the current copy, flagged stale, until one rebuild replaces it; nothing is ever served empty.`;
  }
  const perProvider = cacheType === 'all' ? 'models and pricing caches' : 'models cache';
  const providerKeys = planned ? ` (${plural(planned.keysPlanned - planned.globalKeys.length, 'key')})` : '';
  const parts = [`the ${perProvider} of ${who}${providerKeys}`];
  if (cascade) parts.push('the full catalog');
  if (cacheType === 'all') parts.push('the provider list', 'the global pricing table (rebuilt right after)');
  const last = parts.pop();
  const list = parts.length ? `${parts.join(', ')} and ${last}` : last;
  const upTo = planned ? `: up to ${plural(planned.keysPlanned, 'key')}` : '';
  return `This deletes ${list}${upTo}. Gateways rebuild them from the sources on their next read.`;
}

/** One phrase per key: what the job will do to it, given whether it exists now. */
export function keyFate({ exists, action }: { exists: boolean; action: 'delete' | 'mark-stale' }): string {
  if (action === 'mark-stale') return exists ? '(to mark stale: still served until rebuilt)' : '(not cached: nothing to mark)';
  return exists ? '' : '(not cached: nothing to delete)';
}
