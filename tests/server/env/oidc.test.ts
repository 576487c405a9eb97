/** Single sign-on's variables are checked together at start-up, each problem in words. */
import { describe, expect, it } from 'vitest';
import { getEnv } from '~/server/env';

const base = { ADMIN_TOKEN: 'x'.repeat(24), APP_ORIGIN: 'https://panel.example.com' };
const sso = { OIDC_ISSUER: 'https://idp.example.com', OIDC_CLIENT_ID: 'panel', OIDC_CLIENT_SECRET: 'secret', OIDC_VIEWER_GROUPS: 'staff' };
const problems = (env: Record<string, string>) => {
  try {
    getEnv({ ...base, ...env });
    return '';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('OIDC settings', () => {
  it('accept a complete configuration, https, or http on loopback', () => {
    expect(problems(sso)).toBe('');
    expect(problems({ ...sso, OIDC_ISSUER: 'http://127.0.0.1:4000' })).toBe('');
    expect(getEnv({ ...base, ...sso, OIDC_ADMIN_GROUPS: ' ops , sre ,' }).OIDC_ADMIN_GROUPS).toEqual(['ops', 'sre']);
  });
  it('refuse a partial configuration, naming what is missing', () => {
    expect(problems({ OIDC_ISSUER: sso.OIDC_ISSUER })).toMatch(/OIDC_CLIENT_ID is missing.*OIDC_ISSUER is set[\s\S]*OIDC_CLIENT_SECRET is missing/);
  });
  it('refuse plain http off loopback, no groups, no APP_ORIGIN, and LOCAL_SIGN_IN=false alone', () => {
    expect(problems({ ...sso, OIDC_ISSUER: 'http://idp.example.com' })).toMatch(/must use https/);
    expect(problems({ ...sso, OIDC_VIEWER_GROUPS: '' })).toMatch(/at least one of OIDC_ADMIN_GROUPS/);
    expect(() => getEnv({ ADMIN_TOKEN: base.ADMIN_TOKEN, ...sso })).toThrow(/APP_ORIGIN is required with single sign-on/);
    expect(problems({ LOCAL_SIGN_IN: 'false' })).toMatch(/LOCAL_SIGN_IN=false needs single sign-on/);
  });
});
