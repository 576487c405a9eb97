/** The provider list's cache cell: this app's values, a gateway's own format, nothing cached. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '~/components/common/format';
import { describeCache, NEEDS_OUR_FORMAT } from '~/components/providers/provider-cache';
import { ProviderRow } from '~/components/providers/provider-row';
import type { ProviderRowData } from '~/components/providers/use-providers';

const base: ProviderRowData = { name: 'groq', displayName: 'Groq', source: '', cached: true, stale: false, held: false, keys: 3, keysTotal: 3, ttlMs: 60_000, cachedAt: null, modelCount: 120, unpriced: 0, unguarded: [] };
const theirs: ProviderRowData = { ...base, format: 'theirs', sizeBytes: 3_500, modelKeys: 120 };

const row = (provider: ProviderRowData) =>
  renderToStaticMarkup(createElement('table', null, createElement('tbody', null, createElement(ProviderRow, { provider, selected: false, busy: null, age: 0, now: 0, onToggle: () => {}, acts: false }))));

describe('the cache cell', () => {
  it('shows a gateway\'s own value as cached, with its size and per-model keys, and says what needs our format', () => {
    expect(describeCache(theirs)).toEqual({ label: 'Cached, gateway format', tone: 'ok', detail: '3.4 KB · 120 per-model keys', note: NEEDS_OUR_FORMAT });
    const html = row(theirs);
    expect(html).toContain('Cached, gateway format');
    expect(html).toContain('3.4 KB · 120 per-model keys');
    expect(html).toContain('Delete only: soft mode, refresh and the Catalog page need this app&#x27;s format.');
    expect(html).not.toContain('Not cached');
    // Its TTL and its model count (from the index set) are shown as for any provider.
    expect(html).toContain('1 min');
    expect(html).toContain('>120<');
  });

  it('says partly cached when some of a gateway\'s keys are gone, and leaves out what it does not know', () => {
    expect(describeCache({ ...theirs, keys: 1, sizeBytes: null, modelKeys: null })).toEqual({ label: 'Partly cached, gateway format', tone: 'ok', detail: null, note: NEEDS_OUR_FORMAT });
  });

  it('keeps this app\'s own values and missing ones as they were', () => {
    expect(describeCache({ ...base, format: 'ours', sizeBytes: 100 })).toEqual({ label: 'Cached', tone: 'ok', detail: null, note: null });
    expect(describeCache({ ...base, keys: 1 })).toMatchObject({ label: 'Partly cached', note: null });
    expect(describeCache({ ...base, cached: false, format: null })).toMatchObject({ label: 'Not cached', tone: 'neutral', note: null });
    expect(row({ ...base, cached: false, ttlMs: null, format: null })).toContain('Not cached');
  });

  it('shows a provider the catalog guard holds as Held, with a link to its review (viewers too)', () => {
    const html = row({ ...base, held: true });
    expect(html).toContain('>Held<');
    expect(html).toContain('href="/review/groq"');
    expect(html).toContain('aria-label="Review groq"');
    expect(row(base)).not.toContain('Held');
  });

  it('shows unpriced models under the count, linking to the provider on the Catalog page, and nothing when none', () => {
    const html = row({ ...base, unpriced: 3 });
    expect(html).toContain('3 unpriced');
    expect(html).toContain('href="/catalog#catalog-groq"');
    expect(row(base)).not.toContain('unpriced');
  });

  it('flags a copy written past the guard with its breaches in words (three at most, then how many more)', () => {
    const breaches = ['model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10)', 'b', 'c', 'd', 'e'];
    const html = row({ ...base, unguarded: breaches });
    expect(html).toContain('Written past the guard');
    expect(html).toContain('breaks 5 rules against the last published catalog');
    expect(html).toContain('model-0 input price 2.50 → 2,500.00 $/MTok, ×1,000 (limit ×10); b; c; and 2 more');
    expect(row({ ...base, unguarded: ['x'] })).toContain('breaks a rule against');
    expect(row(base)).not.toContain('Written past the guard');
  });

  it('formats sizes in powers of 1024', () => {
    expect([512, 1024, 3_500, 20_000, 5 * 1024 * 1024].map(formatBytes)).toEqual(['512 B', '1.0 KB', '3.4 KB', '20 KB', '5.0 MB']);
  });
});
