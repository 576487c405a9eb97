/**
 * The page guard's decision: who sees a page, and where everyone else is sent (the path they asked
 * for carried along, encoded). The pages' API calls check again; this is what people see.
 */
import { describe, expect, it } from 'vitest';
import { accountPageAccess, isDetour, isForbidden, pageAccess, UNKNOWN_VIEWER } from '~/server/http/page-access';
import { adminAccount, bootstrapAdmin, pendingPassword, viewerAccount } from '../support/principals';

describe('page access', () => {
  it('sends nobody to the login page, keeping the page asked for', () => {
    expect(pageAccess(null, '/history?status=failed', 'viewer')).toEqual({ redirect: '/login?next=%2Fhistory%3Fstatus%3Dfailed' });
  });

  it('sends an account with its initial password to the password form first, even for a viewer page', () => {
    expect(pageAccess(pendingPassword, '/catalog', 'viewer')).toEqual({ redirect: '/account/password?next=%2Fcatalog' });
  });

  it('tells a viewer asking for an admin page which role it needs and who they are (no silent redirect); an admin sees it', () => {
    const vic = { name: 'vic', role: 'viewer', bootstrap: false, providers: null, credential: 'account' };
    expect(pageAccess(viewerAccount, '/accounts', 'admin')).toEqual({ forbidden: { needed: 'admin', viewer: vic, message: 'Forbidden: only an admin may do this; you are signed in as a viewer' } });
    expect(isForbidden(pageAccess(viewerAccount, '/accounts', 'admin'))).toBe(true);
    expect(pageAccess({ ...viewerAccount, role: 'operator' }, '/accounts', 'admin')).toMatchObject({ forbidden: { needed: 'admin', viewer: { role: 'operator' } } });
    expect(pageAccess(adminAccount, '/accounts', 'admin')).toEqual({ name: 'ana', role: 'admin', bootstrap: false, providers: null, credential: 'account' });
    expect(isForbidden(pageAccess(adminAccount, '/accounts', 'admin'))).toBe(false);
  });

  it('says how each signed in: an account (which has a password), a token, or the bootstrap admin', () => {
    const token = { kind: 'session' as const, label: 'token kiosk (session)', role: 'viewer' as const, tokenId: 'tok_0123456789abcdef', tokenName: 'kiosk', name: 'kiosk', mustChangePassword: false };
    expect(pageAccess(token, '/', 'viewer')).toMatchObject({ name: 'kiosk', credential: 'token' });
    expect(pageAccess(bootstrapAdmin, '/', 'viewer')).toMatchObject({ credential: 'bootstrap' });
    expect(pageAccess(viewerAccount, '/', 'viewer')).toMatchObject({ credential: 'account' });
  });

  it('shows a viewer page to a viewer as who they are, and marks the bootstrap admin', () => {
    expect(pageAccess(viewerAccount, '/', 'viewer')).toEqual({ name: 'vic', role: 'viewer', bootstrap: false, providers: null, credential: 'account' });
    expect(pageAccess(bootstrapAdmin, '/', 'viewer')).toEqual({ name: 'admin (bootstrap)', role: 'admin', bootstrap: true, providers: null, credential: 'bootstrap' });
    // A scoped operator: the page learns its providers, to offer actions on those only (issue 25).
    expect(pageAccess({ ...viewerAccount, role: 'operator', providers: ['groq'] }, '/', 'viewer')).toEqual({ name: 'vic', role: 'operator', bootstrap: false, providers: ['groq'], credential: 'account' });
  });

  it('renders the fewest controls when who is looking cannot be known', () => {
    expect(UNKNOWN_VIEWER).toEqual({ name: '', role: 'viewer', bootstrap: false, providers: null, credential: 'token' });
    expect(isDetour(UNKNOWN_VIEWER)).toBe(false);
  });

  it('lets any signed-in account reach the password page, initial password or not; nobody goes to the login page', () => {
    expect(accountPageAccess(pendingPassword)).toBe(pendingPassword);
    expect(accountPageAccess(viewerAccount)).toBe(viewerAccount);
    expect(accountPageAccess(null)).toEqual({ redirect: '/login?next=%2Faccount%2Fpassword' });
    expect(isDetour(accountPageAccess(null))).toBe(true);
  });
});
