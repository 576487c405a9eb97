/** An audit entry's details and address in words (tests/components/audit-words.test.ts). Pure. */
import { JOB_ID } from '~/clients/node/instance-protocol';

export interface DetailLine {
  key: string;
  value: string;
  /** Set when the value is a job id: the row links to the job's page. */
  jobId?: string;
}

/** "retryAfterSeconds" → "retry after seconds"; "tokenId" → "token id". */
export function keyWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function valueWords(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length ? value.map(valueWords).join(', ') : 'none';
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${keyWords(k)} ${valueWords(v)}`)
      .join('; ');
  }
  return String(value);
}

/** One line per detail, `key: value`, in the order recorded; a job id is marked so it can be a link. */
export function detailLines(details: Record<string, unknown>): DetailLine[] {
  return Object.entries(details).map(([key, value]) => {
    const text = valueWords(value);
    return typeof value === 'string' && JOB_ID.test(value) ? { key: keyWords(key), value: text, jobId: value } : { key: keyWords(key), value: text };
  });
}

/**
 * What an entry's address means. `unverified <address>`: the request claimed it (X-Forwarded-For)
 * and no trusted proxy vouched for it (TRUSTED_PROXIES), so it may be anything the client wrote.
 */
export function addressNote(address: string): string | null {
  if (address.startsWith('unverified ')) {
    return 'Claimed by the request (X-Forwarded-For) and not vouched for by a trusted proxy (TRUSTED_PROXIES): the client may have written anything here.';
  }
  if (address === 'untrusted') return 'The request named no address a trusted proxy vouched for.';
  return null;
}
