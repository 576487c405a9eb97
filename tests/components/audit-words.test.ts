/** Audit details as `key: value` lines (job ids marked for links), and what an unverified address means. */
import { describe, expect, it } from 'vitest';
import { addressNote, detailLines, keyWords } from '~/components/access/audit-words';

describe('detailLines', () => {
  it('turns the recorded details into key: value lines, in order, marking job ids', () => {
    expect(
      detailLines({
        jobId: 'mk3q9x0ab0123456789',
        retryAfterSeconds: 30,
        providers: ['groq', 'xai'],
        coalesced: false,
        scope: { role: 'viewer', providers: [] },
        note: null,
      }),
    ).toEqual([
      { key: 'job id', value: 'mk3q9x0ab0123456789', jobId: 'mk3q9x0ab0123456789' },
      { key: 'retry after seconds', value: '30' },
      { key: 'providers', value: 'groq, xai' },
      { key: 'coalesced', value: 'no' },
      { key: 'scope', value: 'role viewer; providers none' },
      { key: 'note', value: '—' },
    ]);
    expect(detailLines({})).toEqual([]);
    // Only a whole job id is one: a reason that mentions text is not a link.
    expect(detailLines({ reason: 'invalid credentials' })[0]?.jobId).toBeUndefined();
  });

  it('spells keys as words', () => {
    expect([keyWords('tokenId'), keyWords('retry_after'), keyWords('reason')]).toEqual(['token id', 'retry after', 'reason']);
  });
});

describe('addressNote', () => {
  it('explains an unverified or untrusted address, and says nothing of a believed one', () => {
    expect(addressNote('unverified 127.0.0.1')).toMatch(/X-Forwarded-For.*TRUSTED_PROXIES/);
    expect(addressNote('untrusted')).toMatch(/trusted proxy/);
    expect(addressNote('10.0.0.4')).toBeNull();
  });
});
