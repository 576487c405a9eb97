/** The Catalog page's list of a provider's unpriced models: named, and absent when there are none. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { UnpricedModels } from '~/components/catalog/unpriced-models';

const html = (ids: string[]) => renderToStaticMarkup(createElement(UnpricedModels, { provider: 'groq', ids }));

describe('the unpriced models of a provider', () => {
  it('names each one, in a note labelled for the provider', () => {
    const out = html(['groq/free', 'groq/new']);
    expect(out).toContain('aria-label="Unpriced models of groq"');
    expect(out).toContain('2 models unpriced');
    expect(out).toContain("<span><code>groq/free</code></span><span>, <code>groq/new</code></span>");
    expect(html(['one'])).toContain('1 model unpriced');
  });

  it('renders nothing when every model is priced', () => {
    expect(html([])).toBe('');
  });
});
